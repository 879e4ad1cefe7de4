"""Tests for the vmstat parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import vmstat

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(vmstat)


def test_means_worked_out_by_hand() -> None:
    # Samples 2-5 (the first is since boot): us+sy 67, 65, 66, 68; wa 16, 17, 19, 16;
    # st 4, 3, 3, 3; si 140, 120, 160, 100; so 410, 380, 450, 360; r 11, 9, 10, 12.
    stat = vmstat.parse(sample("vmstat"))
    assert stat.samples == 4
    assert stat.cpu_busy_pct.value == 66.5
    assert stat.iowait_pct is not None and stat.iowait_pct.value == 17.0
    assert stat.steal_pct is not None and stat.steal_pct.value == 3.25
    assert stat.swap_in_kb_per_s is not None and stat.swap_in_kb_per_s.value == 130.0
    assert stat.swap_out_kb_per_s is not None and stat.swap_out_kb_per_s.value == 400.0
    assert stat.run_queue is not None and stat.run_queue.value == 10.5


def test_single_sample_is_used_as_is() -> None:
    text = " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n"
    text += " 2  0      0 900000  10000 500000    0    0     1     2    3    4 10  5 80  5  0\n"
    assert vmstat.parse(text).iowait_pct.value == 5.0  # type: ignore[union-attr]


def test_garbled_row_is_a_parse_error() -> None:
    text = " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n"
    with pytest.raises(ParseError):
        vmstat.parse(text + " 1  x\n")
