"""Tests for the free -m parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import free_m

from .helpers import run_doctests, sample

OLD_LAYOUT = """\
             total       used       free     shared    buffers     cached
Mem:          7822       7531        291          0        120       3012
-/+ buffers/cache:       4399       3423
Swap:         2047        812       1235
"""


def test_doctests() -> None:
    run_doctests(free_m)


def test_reads_the_sample_archive() -> None:
    info = free_m.parse(sample("free_m"))
    assert info.memory_mb.value == 15707
    assert info.swap_used_mb is not None and info.swap_used_mb.value == 3072


def test_reads_the_old_layout_without_available() -> None:
    info = free_m.parse(OLD_LAYOUT)
    assert info.memory_mb.value == 7822
    assert info.memory_available_mb is None
    assert info.swap_used_mb is not None and info.swap_used_mb.value == 812


def test_no_mem_row_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        free_m.parse("free: command not found\n")
