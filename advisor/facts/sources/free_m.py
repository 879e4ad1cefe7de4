"""Memory and swap in MiB - command ``free -m`` (file ``free_m``).

Sample input::

                   total        used        free      shared  buff/cache   available
    Mem:           15884        9871         417         412        5595        5257
    Swap:           2047        1530         517

Examples:
    >>> info = parse(SAMPLE)
    >>> info.memory_mb.value, info.memory_available_mb.value
    (15884, 5257)
    >>> info.swap_used_mb.value, info.swap_used_mb.source.line
    (1530, 3)
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
               total        used        free      shared  buff/cache   available
Mem:           15884        9871         417         412        5595        5257
Swap:           2047        1530         517
"""


class FreeM(BaseModel):
    """The `Mem:` and `Swap:` rows."""

    memory_mb: Fact[int]
    memory_available_mb: Fact[int] | None = None
    swap_mb: Fact[int] | None = None
    swap_used_mb: Fact[int] | None = None


def parse(text: str, file: str = "free_m") -> FreeM:
    """Reads the table by its header, so old layouts without `available` work too."""
    header: list[str] = []
    rows: dict[str, tuple[dict[str, int], int]] = {}
    for line_no, line in numbered(text):
        words = line.split()
        if words and words[0] == "total":
            header = words
        elif words and words[0] in ("Mem:", "Swap:") and header:
            values = [int(word) for word in words[1:] if word.isdigit()]
            rows[words[0]] = (dict(zip(header, values, strict=False)), line_no)
    if "Mem:" not in rows or "total" not in rows["Mem:"][0]:
        raise ParseError("no 'Mem:' row under a 'total' header")
    mem, mem_line = rows["Mem:"]
    result = FreeM(memory_mb=fact(mem["total"], file, mem_line))
    if "available" in mem:
        result.memory_available_mb = fact(mem["available"], file, mem_line)
    if "Swap:" in rows:
        swap, swap_line = rows["Swap:"]
        result.swap_mb = fact(swap.get("total", 0), file, swap_line)
        result.swap_used_mb = fact(swap.get("used", 0), file, swap_line)
    return result
