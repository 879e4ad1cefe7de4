"""Load averages - command ``uptime``.

Sample input::

     16:05:01 up 12 days,  3:04,  2 users,  load average: 7.52, 6.80, 5.91

Examples:
    >>> load = parse(SAMPLE)
    >>> load.load_1m.value, load.load_5m.value, load.load_15m.value
    (7.52, 6.8, 5.91)
    >>> parse(" 10:00:00 up 1 day, load average: 0,52, 0,58, 0,59").load_15m.value
    0.59
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import number, numbered

log = logging.getLogger(__name__)

SAMPLE = " 16:05:01 up 12 days,  3:04,  2 users,  load average: 7.52, 6.80, 5.91\n"

#: Three decimals after "load average:", with a dot or (some locales) a comma.
LOAD = re.compile(
    r"load averages?:\s*"
    r"(?P<one>\d+[.,]\d+),?\s+(?P<five>\d+[.,]\d+),?\s+(?P<fifteen>\d+[.,]\d+)"
)


class Uptime(BaseModel):
    """The 1, 5 and 15 minute load averages."""

    load_1m: Fact[float]
    load_5m: Fact[float]
    load_15m: Fact[float]


def parse(text: str, file: str = "uptime") -> Uptime:
    """Finds the `load average:` triple."""
    for line_no, line in numbered(text):
        match = LOAD.search(line)
        if match:
            one, five, fifteen = (number(word, "load") for word in match.groups())
            return Uptime(
                load_1m=fact(one, file, line_no),
                load_5m=fact(five, file, line_no),
                load_15m=fact(fifteen, file, line_no),
            )
    raise ParseError("no 'load average:' triple")
