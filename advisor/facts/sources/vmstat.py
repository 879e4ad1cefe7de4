"""CPU, run queue and swap activity - command ``vmstat 1 10`` (file ``vmstat``).

Sample input::

    procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
     r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
     3  1 1566720 431204  10240 5718000   2    5   110   260    5    9 22  4 70  4  0
     9  2 1566720 420112  10240 5718100 120  340  5120  8800 9100 15000 55  9 16 18  2
     7  3 1566976 418800  10240 5718200  80  260  4300  9100 8800 14200 50 10 18 20  2

The first sample averages everything since boot, so only the later ones are averaged.

Examples:
    >>> stat = parse(SAMPLE)
    >>> stat.iowait_pct.value, stat.swap_out_kb_per_s.value, stat.cpu_busy_pct.value
    (19.0, 300.0, 62.0)
    >>> stat.iowait_pct.source.line, stat.samples
    (4, 2)
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import mean, numbered, numeric_tail

log = logging.getLogger(__name__)

SAMPLE = """\
procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
 r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
 3  1 1566720 431204  10240 5718000   2    5   110   260    5    9 22  4 70  4  0
 9  2 1566720 420112  10240 5718100 120  340  5120  8800 9100 15000 55  9 16 18  2
 7  3 1566976 418800  10240 5718200  80  260  4300  9100 8800 14200 50 10 18 20  2
"""


class VmStat(BaseModel):
    """Means over the samples after the first (or the only sample)."""

    samples: int
    run_queue: Fact[float] | None = None
    cpu_busy_pct: Fact[float]
    iowait_pct: Fact[float] | None = None
    steal_pct: Fact[float] | None = None
    swap_in_kb_per_s: Fact[float] | None = None
    swap_out_kb_per_s: Fact[float] | None = None


def parse(text: str, file: str = "vmstat") -> VmStat:
    """Reads the sample rows under the ` r  b ...` header by column name."""
    header: list[str] = []
    rows: list[tuple[int, dict[str, float]]] = []
    for line_no, line in numbered(text):
        words = line.split()
        if words[:2] == ["r", "b"]:
            header = words
        elif header and words and words[0].isdigit():
            values = numeric_tail(words, len(header), f"line {line_no}")
            rows.append((line_no, dict(zip(header, values, strict=True))))
    if not rows:
        raise ParseError("no sample rows under an 'r b' header")
    used = rows[1:] or rows
    first = used[0][0]
    note = f"mean of {len(used)} samples"

    def column(name: str) -> Fact[float] | None:
        if name not in header:
            return None
        return fact(mean([row[name] for _, row in used]), file, first, note)

    busy = [row["us"] + row["sy"] for _, row in used]
    return VmStat(
        samples=len(used),
        run_queue=column("r"),
        cpu_busy_pct=fact(mean(busy), file, first, note),
        iowait_pct=column("wa"),
        steal_pct=column("st"),
        swap_in_kb_per_s=column("si"),
        swap_out_kb_per_s=column("so"),
    )
