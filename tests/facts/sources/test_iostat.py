"""Tests for the iostat parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import iostat

from .helpers import run_doctests, sample

OLD_LAYOUT = """\
Linux 3.10.0-1160.el7.x86_64 (gitlab)  03/06/2025  _x86_64_  (4 CPU)

avg-cpu:  %user   %nice %system %iowait  %steal   %idle
          10.00    0.00    3.00    2.00    0.00   85.00

Device:         rrqm/s   wrqm/s     r/s     w/s    rkB/s    wkB/s avgrq-sz avgqu-sz   await r_await w_await  svctm  %util
sda               0.00     1.00    5.00   10.00    80.00   200.00    37.33     0.05    3.00    2.00    3.50   1.00   1.50

avg-cpu:  %user   %nice %system %iowait  %steal   %idle
          40.00    0.00    8.00   25.00    0.00   27.00

Device:         rrqm/s   wrqm/s     r/s     w/s    rkB/s    wkB/s avgrq-sz avgqu-sz   await r_await w_await  svctm  %util
sda               0.00    30.00  300.00  200.00  9000.00  8000.00    68.00    12.00   24.00   20.00   30.00   2.00  98.00
"""  # noqa: E501


def test_doctests() -> None:
    run_doctests(iostat)


def test_sysstat_12_layout_worked_out_by_hand() -> None:
    # nvme1n1 in reports 2 and 3: %util 96 and 99, r_await 14 and 18, w_await 30, 38.
    stat = iostat.parse(sample("iostat"))
    devices = {d.device: d for d in stat.devices}
    data = devices["nvme1n1"]
    assert (data.util_pct, data.util_peak_pct, data.intervals) == (97.5, 99.0, 2)
    assert (data.r_await_ms, data.w_await_ms) == (16.0, 34.0)
    assert devices["nvme0n1"].util_pct == 0.8
    assert stat.iowait_pct is not None and stat.iowait_pct.value == 17.0


def test_old_layout_with_device_colon() -> None:
    stat = iostat.parse(OLD_LAYOUT)
    (sda,) = stat.devices
    assert (sda.util_pct, sda.r_await_ms, sda.w_await_ms) == (98.0, 20.0, 30.0)


def test_no_tables_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        iostat.parse("iostat: command not found\n")
