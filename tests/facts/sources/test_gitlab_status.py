"""Tests for the gitlab-ctl status parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import gitlab_status

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(gitlab_status)


def test_roles_of_the_single_node() -> None:
    services = gitlab_status.parse(sample("gitlab_status"))
    assert len(services) == 15
    assert gitlab_status.roles_of(services) == [
        "gitaly",
        "monitoring",
        "nginx",
        "postgresql",
        "rails",
        "redis",
        "sidekiq",
    ]


def test_garbled_file_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        gitlab_status.parse("sudo: gitlab-ctl: command not found\n")
