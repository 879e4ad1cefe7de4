"""Small helpers shared by the system-file parsers."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from advisor.facts.errors import ParseError

log = logging.getLogger(__name__)


def numbered(text: str) -> Iterator[tuple[int, str]]:
    """Yields `(line number, line)` pairs, counting from 1."""
    yield from enumerate(text.splitlines(), start=1)


def number(word: str, context: str) -> float:
    """Reads a decimal that may use a comma; raises ParseError naming `context`."""
    try:
        return float(word.replace(",", "."))
    except ValueError:
        raise ParseError(f"{context}: {word!r} is not a number") from None


def mean(values: list[float]) -> float:
    """Averages a non-empty list, rounded to two decimals."""
    return round(sum(values) / len(values), 2)


def numeric_tail(words: list[str], count: int, context: str) -> list[float]:
    """Reads the last `count` words of a row as numbers."""
    if len(words) < count:
        raise ParseError(f"{context}: expected {count} values, found {len(words)}")
    return [number(word, context) for word in words[-count:]]
