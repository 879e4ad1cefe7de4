"""Per-CPU utilisation, iowait and steal - command ``mpstat -P ALL 1 10`` (``mpstat``).

Sample input, with the `%nice %irq %soft %guest %gnice` columns left out here (the
full-width layout is in ``SAMPLE``)::

    Linux 5.15.0-1051-aws (rails-1)  03/06/2025  _x86_64_  (4 CPU)

    04:05:01 PM  CPU    %usr    %sys %iowait  %steal   %idle
    04:05:02 PM  all   61.00    9.00    2.00    8.00   19.00
    04:05:02 PM    0   90.00    8.00    0.00    0.00    0.00

    Average:     CPU    %usr    %sys %iowait  %steal   %idle
    Average:     all   58.00    9.50    2.50    7.50   21.50
    Average:       0   88.00    9.00    0.00    0.00    1.00

`Average:` rows are used when present; otherwise the timed rows are averaged.

Examples:
    >>> stat = parse(SAMPLE)
    >>> stat.steal_pct.value, stat.cpu_busy_pct.value, stat.busiest_cpu_pct.value
    (7.5, 78.5, 99.0)
    >>> stat.steal_pct.source.line, stat.vcpus.value
    (8, 4)
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import mean, numbered, numeric_tail

log = logging.getLogger(__name__)

SAMPLE = """\
Linux 5.15.0-1051-aws (rails-1)  03/06/2025  _x86_64_  (4 CPU)

04:05:01 PM  CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  \
%gnice   %idle
04:05:02 PM  all   61.00    0.00    9.00    2.00    0.00    1.00    8.00    0.00    \
0.00   19.00
04:05:02 PM    0   90.00    0.00    8.00    0.00    0.00    2.00    0.00    0.00    \
0.00    0.00

Average:     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  \
%gnice   %idle
Average:     all   58.00    0.00    9.50    2.50    0.00    1.00    7.50    0.00    \
0.00   21.50
Average:       0   88.00    0.00    9.00    0.00    0.00    2.00    0.00    0.00    \
0.00    1.00
"""

BANNER_CPUS = re.compile(r"\((\d+) CPU\)")

Row = tuple[int, str, dict[str, float]]


class MpStat(BaseModel):
    """The `all` row's split and the busiest single CPU."""

    cpu_busy_pct: Fact[float]
    iowait_pct: Fact[float] | None = None
    steal_pct: Fact[float] | None = None
    busiest_cpu_pct: Fact[float] | None = None
    vcpus: Fact[int] | None = None


def parse(text: str, file: str = "mpstat") -> MpStat:
    """Reads rows by aligning values from the right of the `%idle` header."""
    names: list[str] = []
    timed: list[Row] = []
    average: list[Row] = []
    vcpus = None
    for line_no, line in numbered(text):
        words = line.split()
        banner = BANNER_CPUS.search(line) if line.startswith("Linux") else None
        if banner:
            vcpus = fact(int(banner.group(1)), file, line_no)
        elif "%idle" in words:
            names = words[words.index("CPU") + 1 :]
        elif names and len(words) > len(names):
            values = numeric_tail(words, len(names), f"line {line_no}")
            row = (
                line_no,
                words[-len(names) - 1],
                dict(zip(names, values, strict=True)),
            )
            (average if words[0] == "Average:" else timed).append(row)
    rows = average or timed
    if not any(cpu == "all" for _, cpu, _ in rows):
        raise ParseError("no 'all' rows under a '%idle' header")
    return _summary(rows, file, vcpus)


def _summary(rows: list[Row], file: str, vcpus: Fact[int] | None) -> MpStat:
    """Averages the `all` rows and finds the busiest CPU."""
    overall = [(line, values) for line, cpu, values in rows if cpu == "all"]
    first, note = overall[0][0], f"mean of {len(overall)} rows"

    def column(name: str) -> Fact[float] | None:
        values = [row[name] for _, row in overall if name in row]
        return fact(mean(values), file, first, note) if values else None

    busy = fact(mean([100 - row["%idle"] for _, row in overall]), file, first, note)
    per_cpu = [(line, 100 - row["%idle"]) for line, cpu, row in rows if cpu != "all"]
    busiest = max(per_cpu, key=lambda item: item[1], default=None)
    return MpStat(
        cpu_busy_pct=busy,
        iowait_pct=column("%iowait"),
        steal_pct=column("%steal"),
        busiest_cpu_pct=fact(round(busiest[1], 2), file, busiest[0])
        if busiest
        else None,
        vcpus=vcpus,
    )
