"""Tests for the migration status parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import gitlab_migrations

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(gitlab_migrations)


def test_pending_migrations_across_both_databases() -> None:
    pending = gitlab_migrations.parse(sample("gitlab_migrations"))
    assert [name.split()[0] for name in pending.value] == [
        "20250115100000",
        "20250117130511",
    ]
    assert pending.source.line == 9


def test_all_up_cites_the_last_row() -> None:
    text = "   up     20240101000000  Init schema\n"
    assert gitlab_migrations.parse(text).value == []


def test_rake_error_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        gitlab_migrations.parse("rake aborted!\nPG::ConnectionBad\n")
