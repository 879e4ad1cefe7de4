"""Migration status - ``gitlab-rake db:migrate:status`` (file ``gitlab_migrations``).

Sample input::

    database: gitlabhq_production

     Status   Migration ID    Migration Name
    --------------------------------------------------
       up     20240216020102  Add name to ml candidates
      down    20240419082037  Remove ci builds metadata columns

Examples:
    >>> status = parse(SAMPLE)
    >>> status.value, status.source.line
    (['20240419082037 Remove ci builds metadata columns'], 6)
"""

from __future__ import annotations

import logging

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, Source
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
database: gitlabhq_production

 Status   Migration ID    Migration Name
--------------------------------------------------
   up     20240216020102  Add name to ml candidates
  down    20240419082037  Remove ci builds metadata columns
"""


def parse(text: str, file: str = "gitlab_migrations") -> Fact[list[str]]:
    """Lists `down` rows (pending or failed); cites the first, or the last row read."""
    pending: list[tuple[int, str]] = []
    rows = 0
    last = 0
    for line_no, line in numbered(text):
        words = line.split()
        if len(words) >= 2 and words[0] in ("up", "down") and words[1].isdigit():
            rows, last = rows + 1, line_no
            if words[0] == "down":
                pending.append((line_no, " ".join(words[1:])))
    if not rows:
        raise ParseError("no 'up|down <version> <name>' rows")
    cited = pending[0][0] if pending else last
    names = [name for _, name in pending]
    return Fact[list[str]](value=names, source=Source(file=file, line=cited))
