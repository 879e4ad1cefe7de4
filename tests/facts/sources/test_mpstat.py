"""Tests for the mpstat parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import mpstat

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(mpstat)


def test_average_rows_of_the_sample_archive() -> None:
    stat = mpstat.parse(sample("mpstat"))
    assert stat.cpu_busy_pct.value == 87.0
    assert stat.iowait_pct is not None and stat.iowait_pct.value == 17.0
    assert stat.steal_pct is not None and stat.steal_pct.value == 3.5
    assert stat.busiest_cpu_pct is not None and stat.busiest_cpu_pct.value == 95.5
    assert stat.vcpus is not None and stat.vcpus.value == 8


def test_timed_rows_are_averaged_without_average_rows() -> None:
    text = sample("mpstat").split("Average:")[0]
    assert mpstat.parse(text).steal_pct.value == 3.5  # type: ignore[union-attr]


def test_no_all_rows_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="all"):
        mpstat.parse("Linux 5.15 (h) 03/06/2025 _x86_64_ (8 CPU)\n")
