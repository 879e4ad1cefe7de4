"""Tests for the timedatectl parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import timedatectl

from .helpers import CLUSTER, run_doctests, sample


def test_doctests() -> None:
    run_doctests(timedatectl)


def test_synchronised_single_node() -> None:
    clock = timedatectl.parse(sample("timedatectl"))
    assert clock.ntp_synchronized.value is True


def test_old_systemd_layout() -> None:
    root = CLUSTER / "gitlabsos.rails-1.20250306160712_nginx-puma-sidekiq"
    clock = timedatectl.parse(sample("timedatectl", root))
    assert (clock.ntp_synchronized.value, clock.ntp_synchronized.source.line) == (
        False,
        6,
    )


def test_missing_sync_row_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        timedatectl.parse(
            "Failed to create bus connection: No such file or directory\n"
        )
