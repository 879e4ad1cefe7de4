"""Tests for the ulimit parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import ulimit

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(ulimit)


def test_reads_the_sample_archive() -> None:
    limits = ulimit.parse(sample("ulimit"))
    assert limits.open_files is not None
    assert (limits.open_files.value, limits.open_files.source.line) == (1024, 9)
    assert limits.max_user_processes is not None
    assert limits.max_user_processes.value == 62811


def test_unlimited_is_none() -> None:
    limits = ulimit.parse("open files                      (-n) unlimited\n")
    assert limits.open_files is not None and limits.open_files.value is None


def test_no_rows_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        ulimit.parse("su: user git does not exist\n")
