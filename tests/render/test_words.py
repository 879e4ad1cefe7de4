"""Counts with their nouns."""

from __future__ import annotations

from advisor.render.words import counted


def test_counted_makes_the_noun_plural_unless_one() -> None:
    assert [counted(n, "run") for n in (0, 1, 2)] == ["0 runs", "1 run", "2 runs"]
