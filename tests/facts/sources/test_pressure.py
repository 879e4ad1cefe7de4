"""Tests for the pressure stall parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import pressure

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(pressure)


def test_io_pressure_of_the_sample_archive() -> None:
    stall = pressure.parse(sample("pressure_io.txt"))
    assert stall.value.some_avg10 == 41.5
    assert stall.value.full_avg300 == 21.9


def test_cpu_file_without_full_line() -> None:
    stall = pressure.parse("some avg10=1.00 avg60=2.00 avg300=3.00 total=9\n")
    assert stall.value.full_avg10 is None


def test_garbled_number_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="avg10"):
        pressure.parse("some avg10=x avg60=2.00 avg300=3.00 total=9\n")
