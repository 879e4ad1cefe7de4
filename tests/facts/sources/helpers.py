"""Helpers shared by the parser tests: sample archive files and doctest running."""

from __future__ import annotations

import doctest
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parents[1] / "data"
SINGLE = (
    DATA
    / "single"
    / "gitlabsos.gitlab-single.20250306160501_gitaly-nginx-prometheus-psql-puma-redis-sidekiq"
)
CLUSTER = DATA / "cluster"


def sample(name: str, root: Path = SINGLE) -> str:
    """Reads one file of a sample archive."""
    return (root / name).read_text()


def run_doctests(module: ModuleType) -> None:
    """Runs a parser module's docstring examples and fails on any mismatch."""
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
