"""Tests for the hostname parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import hostname

from .helpers import run_doctests


def test_doctests() -> None:
    run_doctests(hostname)


def test_error_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        hostname.parse("hostname: command not found\n")
