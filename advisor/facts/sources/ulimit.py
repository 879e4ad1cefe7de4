"""Process limits of the git user - command ``ulimit -a`` (file ``ulimit``).

Sample input::

    core file size          (blocks, -c) 0
    max locked memory       (kbytes, -l) 65536
    open files                      (-n) 1024
    max user processes              (-u) 63338
    virtual memory          (kbytes, -v) unlimited

Examples:
    >>> limits = parse(SAMPLE)
    >>> limits.open_files.value, limits.open_files.source.line
    (1024, 3)
    >>> limits.max_user_processes.value
    63338
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
core file size          (blocks, -c) 0
max locked memory       (kbytes, -l) 65536
open files                      (-n) 1024
max user processes              (-u) 63338
virtual memory          (kbytes, -v) unlimited
"""

#: `name  (unit, -flag) value`; the unit part is optional.
ROW = re.compile(r"^(?P<name>.+?)\s+\((?:[^)]*,\s*)?-(?P<flag>\w)\)\s+(?P<value>\S+)$")


class Ulimit(BaseModel):
    """The limits the advisor checks; `None` values mean unlimited."""

    open_files: Fact[int | None] | None = None
    max_user_processes: Fact[int | None] | None = None


def parse(text: str, file: str = "ulimit") -> Ulimit:
    """Reads rows by their flag (`-n`, `-u`)."""
    flags: dict[str, Fact[int | None]] = {}
    for line_no, line in numbered(text):
        match = ROW.match(line.strip())
        if match:
            raw = match["value"]
            value = None if raw == "unlimited" else int(raw) if raw.isdigit() else -1
            if value != -1:
                flags[match["flag"]] = fact(value, file, line_no)
    if not flags:
        raise ParseError("no 'name (-flag) value' rows")
    return Ulimit(open_files=flags.get("n"), max_user_processes=flags.get("u"))
