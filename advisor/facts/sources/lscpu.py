"""CPU count, model and hypervisor - command ``lscpu``.

Sample input::

    Architecture:                    x86_64
    CPU op-mode(s):                  32-bit, 64-bit
    CPU(s):                          8
    On-line CPU(s) list:             0-7
    Thread(s) per core:              2
    Model name:                      Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
    Hypervisor vendor:               KVM

Examples:
    >>> info = parse(SAMPLE)
    >>> info.vcpus.value, info.vcpus.source.line
    (8, 3)
    >>> info.hypervisor.value
    'KVM'
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
Architecture:                    x86_64
CPU op-mode(s):                  32-bit, 64-bit
CPU(s):                          8
On-line CPU(s) list:             0-7
Thread(s) per core:              2
Model name:                      Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz
Hypervisor vendor:               KVM
"""


class LsCpu(BaseModel):
    """The CPU facts `lscpu` states."""

    vcpus: Fact[int]
    model: Fact[str] | None = None
    hypervisor: Fact[str] | None = None


def parse(text: str, file: str = "lscpu") -> LsCpu:
    """Reads the `CPU(s)`, `Model name` and `Hypervisor vendor` rows."""
    rows: dict[str, tuple[str, int]] = {}
    for line_no, line in numbered(text):
        key, sep, value = line.partition(":")
        if sep and key.strip() not in rows:
            rows[key.strip()] = (value.strip(), line_no)
    if "CPU(s)" not in rows or not rows["CPU(s)"][0].isdigit():
        raise ParseError("no numeric 'CPU(s):' row")
    cpus, line_no = rows["CPU(s)"]
    return LsCpu(
        vcpus=fact(int(cpus), file, line_no),
        model=_row(rows, "Model name", file),
        hypervisor=_row(rows, "Hypervisor vendor", file),
    )


def _row(rows: dict[str, tuple[str, int]], key: str, file: str) -> Fact[str] | None:
    """Returns one row as a fact, or None when absent."""
    if key not in rows or not rows[key][0]:
        return None
    return fact(rows[key][0], file, rows[key][1])
