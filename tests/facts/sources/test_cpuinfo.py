"""Tests for the cpuinfo parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import cpuinfo

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(cpuinfo)


def test_counts_processors_of_the_sample_archive() -> None:
    info = cpuinfo.parse(sample("cpuinfo"))
    assert info.vcpus.value == 8
    assert info.vcpus.source.line == 99
    assert info.model is not None and "8259CL" in info.model.value


def test_garbled_file_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="processor"):
        cpuinfo.parse("cat: /proc/cpuinfo: No such file or directory\n")
