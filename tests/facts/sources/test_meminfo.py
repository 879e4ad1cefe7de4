"""Tests for the meminfo parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import meminfo

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(meminfo)


def test_sizes_in_mib_worked_out_by_hand() -> None:
    # 16084020 kB // 1024 = 15707; SwapTotal 4194300 // 1024 = 4095;
    # SwapFree 1048572 // 1024 = 1023, so 3072 MiB of swap is used.
    info = meminfo.parse(sample("meminfo"))
    assert info.memory_mb.value == 15707
    assert info.memory_available_mb is not None
    assert info.memory_available_mb.value == 2950
    assert info.swap_mb is not None and info.swap_mb.value == 4095
    assert info.swap_used_mb is not None
    assert (info.swap_used_mb.value, info.swap_used_mb.source.line) == (3072, 10)


def test_missing_memtotal_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="MemTotal"):
        meminfo.parse("SwapTotal: 0 kB\n")
