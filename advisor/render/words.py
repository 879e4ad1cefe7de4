"""Small pieces of English shared by the text outputs."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``1 run``, ``3 runs``: a count with its noun made plural when it is not 1."""
    return f"{number} {noun}{'s' if number != 1 else ''}"
