"""Memory and swap sizes - file ``meminfo`` (a copy of ``/proc/meminfo``).

Sample input::

    MemTotal:       16265344 kB
    MemFree:          421092 kB
    MemAvailable:    5384240 kB
    SwapTotal:       2097148 kB
    SwapFree:         529404 kB

Examples:
    >>> info = parse(SAMPLE)
    >>> info.memory_mb.value, info.memory_mb.source.line
    (15884, 1)
    >>> info.swap_mb.value, info.swap_used_mb.value
    (2047, 1531)
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
MemTotal:       16265344 kB
MemFree:          421092 kB
MemAvailable:    5384240 kB
SwapTotal:       2097148 kB
SwapFree:         529404 kB
"""


class MemInfo(BaseModel):
    """Sizes in MiB (kB / 1024, rounded down)."""

    memory_mb: Fact[int]
    memory_available_mb: Fact[int] | None = None
    swap_mb: Fact[int] | None = None
    swap_used_mb: Fact[int] | None = None


def parse(text: str, file: str = "meminfo") -> MemInfo:
    """Reads MemTotal, MemAvailable, SwapTotal and SwapFree."""
    rows: dict[str, tuple[int, int]] = {}
    for line_no, line in numbered(text):
        key, _, value = line.partition(":")
        words = value.split()
        if words and words[0].isdigit():
            rows[key.strip()] = (int(words[0]) // 1024, line_no)
    if "MemTotal" not in rows:
        raise ParseError("no 'MemTotal:' row")
    swap_used = None
    if "SwapTotal" in rows and "SwapFree" in rows:
        used = rows["SwapTotal"][0] - rows["SwapFree"][0]
        swap_used = fact(used, file, rows["SwapFree"][1])
    return MemInfo(
        memory_mb=fact(rows["MemTotal"][0], file, rows["MemTotal"][1]),
        memory_available_mb=_row(rows, "MemAvailable", file),
        swap_mb=_row(rows, "SwapTotal", file),
        swap_used_mb=swap_used,
    )


def _row(rows: dict[str, tuple[int, int]], key: str, file: str) -> Fact[int] | None:
    """Returns one row as a fact, or None when absent."""
    return fact(rows[key][0], file, rows[key][1]) if key in rows else None
