"""Tests for facts.yaml validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.facts.errors import FactsError
from advisor.facts.user_file import load, parse

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "facts.example.yaml"


def test_shipped_example_is_valid() -> None:
    facts = load(EXAMPLE)
    assert facts.users == 3000
    assert facts.fio is not None and facts.fio[0].read_iops > 0


def test_line_numbers_of_keys() -> None:
    facts = parse("users: 500\nnodes:\n  rails-1:\n    roles: [rails]\n")
    assert facts.line_of("nodes.rails-1.roles") == 4


def test_misspelt_key_gets_a_suggestion() -> None:
    with pytest.raises(FactsError) as caught:
        parse("refrence_architecture: 3k\n")
    message = str(caught.value)
    assert "unknown key 'refrence_architecture'" in message
    assert "did you mean 'reference_architecture'?" in message


def test_bad_value_names_path_value_and_allowed_values() -> None:
    with pytest.raises(FactsError) as caught:
        parse("nodes:\n  rails-1:\n    roles: [rail]\n")
    message = str(caught.value)
    assert "nodes.rails-1.roles[0]: bad value 'rail'" in message
    assert "did you mean 'rails'?" in message
    assert "allowed: rails, sidekiq, gitaly" in message


def test_nested_misspelling_in_a_list() -> None:
    with pytest.raises(FactsError, match=r"fio\[0\]\.writes_iops'; did you mean"):
        parse("fio:\n  - node: g\n    read_iops: 1\n    writes_iops: 2\n")


def test_negative_number_is_rejected() -> None:
    with pytest.raises(FactsError, match="users: bad value -5"):
        parse("users: -5\n")


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(FactsError, match="not valid YAML at line 3"):
        parse("users: 1\nnodes: [a\nfio: 2\n")


def test_missing_file_is_a_facts_error(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="Cannot read facts file"):
        load(tmp_path / "nope.yaml")


def test_a_key_given_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(FactsError) as caught:
        parse("users: 3000\nnodes:\n  a:\n    roles: [rails]\nusers: 4000\n", "f.yaml")
    assert "f.yaml:5: 'users' is given twice (first on line 1)" in str(caught.value)
    with pytest.raises(FactsError, match="'nodes.a.roles' is given twice"):
        parse("nodes:\n  a:\n    roles: [rails]\n    roles: [gitaly]\n")
