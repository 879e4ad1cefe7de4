"""Pressure stall information - files ``pressure_cpu.txt``, ``pressure_io.txt`` and
``pressure_mem.txt`` (copies of ``/proc/pressure/*``).

Sample input::

    some avg10=12.50 avg60=9.80 avg300=6.10 total=812345678
    full avg10=4.20 avg60=3.10 avg300=1.90 total=301234567

Examples:
    >>> stall = parse(SAMPLE, "pressure_io.txt")
    >>> stall.value.some_avg60, stall.value.full_avg10, stall.source.line
    (9.8, 4.2, 1)
"""

from __future__ import annotations

import logging

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, Pressure, fact
from advisor.facts.sources._text import number, numbered

log = logging.getLogger(__name__)

SAMPLE = """\
some avg10=12.50 avg60=9.80 avg300=6.10 total=812345678
full avg10=4.20 avg60=3.10 avg300=1.90 total=301234567
"""

#: File name in the archive for each resource.
FILES = {
    "cpu": "pressure_cpu.txt",
    "io": "pressure_io.txt",
    "memory": "pressure_mem.txt",
}


def parse(text: str, file: str = "pressure_io.txt") -> Fact[Pressure]:
    """Reads the `some` line and, where the kernel prints it, the `full` line."""
    found: dict[str, tuple[dict[str, float], int]] = {}
    for line_no, line in numbered(text):
        words = line.split()
        if words and words[0] in ("some", "full"):
            pairs = (word.partition("=") for word in words[1:])
            averages = {k: number(v, k) for k, _, v in pairs if k.startswith("avg")}
            found[words[0]] = (averages, line_no)
    if "some" not in found:
        raise ParseError("no 'some avg10=...' line")
    some, line_no = found["some"]
    full = found.get("full", ({}, 0))[0]
    try:
        stall = Pressure(
            some_avg10=some["avg10"],
            some_avg60=some["avg60"],
            some_avg300=some["avg300"],
            full_avg10=full.get("avg10"),
            full_avg60=full.get("avg60"),
            full_avg300=full.get("avg300"),
        )
    except KeyError as missing:
        raise ParseError(f"'some' line lacks {missing}") from None
    return fact(stall, file, line_no)
