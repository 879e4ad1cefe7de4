"""Tests for the sar parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import sar

from .helpers import run_doctests, sample

SAR_CPU = """\
Linux 5.15.0 (h)  03/06/2025  _x86_64_  (8 CPU)

16:05:01        CPU     %user     %nice   %system   %iowait    %steal     %idle
16:05:02        all     40.00      0.00      6.00     12.00      9.00     33.00
Average:        all     42.00      0.00      6.00     11.00      8.00     33.00
"""


def test_doctests() -> None:
    run_doctests(sar)


def test_network_of_the_sample_archive_leaves_out_loopback() -> None:
    report = sar.parse(sample("sar_dev"), "sar_dev")
    (ens5,) = report.interfaces
    assert (ens5.interface, ens5.rx_kb_per_s, ens5.tx_kb_per_s) == (
        "ens5",
        11500.0,
        60000.0,
    )


def test_tcp_retransmits_from_the_average_row() -> None:
    report = sar.parse(sample("sar_tcp"), "sar_tcp")
    assert report.tcp_retransmits_per_s is not None
    assert report.tcp_retransmits_per_s.value == 40.0
    assert report.tcp_retransmits_per_s.source.line == 15


def test_cpu_split_in_24_hour_layout() -> None:
    report = sar.parse(SAR_CPU, "sar_cpu")
    assert report.steal_pct is not None and report.steal_pct.value == 8.0


def test_no_table_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        sar.parse("Cannot open /var/log/sa/sa06: No such file or directory\n")
