"""CPU count and model - file ``cpuinfo`` (a copy of ``/proc/cpuinfo``).

Sample input::

    processor	: 0
    vendor_id	: GenuineIntel
    model name	: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
    cpu MHz		: 2499.998

    processor	: 1
    vendor_id	: GenuineIntel
    model name	: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz

Examples:
    >>> info = parse(SAMPLE)
    >>> info.vcpus.value, info.vcpus.source.line
    (2, 6)
    >>> info.model.value
    'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz'
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
cpu MHz\t\t: 2499.998

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
"""


class CpuInfo(BaseModel):
    """Logical CPUs (cited at the last `processor` line) and the CPU model."""

    vcpus: Fact[int]
    model: Fact[str] | None = None


def parse(text: str, file: str = "cpuinfo") -> CpuInfo:
    """Counts `processor` entries and reads the first `model name`."""
    count, last, model = 0, 0, None
    for line_no, line in numbered(text):
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "processor":
            count, last = count + 1, line_no
        elif key in ("model name", "Processor") and model is None and value.strip():
            model = fact(value.strip(), file, line_no)
    if not count:
        raise ParseError("no 'processor' lines")
    return CpuInfo(vcpus=fact(count, file, last), model=model)
