"""Tests for the uptime parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import uptime

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(uptime)


def test_reads_the_sample_archive() -> None:
    load = uptime.parse(sample("uptime"))
    assert (load.load_1m.value, load.load_5m.value, load.load_15m.value) == (
        9.6,
        8.2,
        7.1,
    )


def test_no_load_average_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="load average"):
        uptime.parse("up 3 days\n")
