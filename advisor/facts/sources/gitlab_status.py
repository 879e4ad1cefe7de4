"""Services and their states - command ``gitlab-ctl status`` (file ``gitlab_status``).

Sample input::

    run: gitaly: (pid 1101) 86400s; run: log: (pid 1090) 86400s
    run: gitlab-workhorse: (pid 1170) 86390s; run: log: (pid 1099) 86400s
    run: puma: (pid 1187) 86380s; run: log: (pid 1102) 86400s
    down: sidekiq: 12s, normally up, want up; run: log: (pid 1105) 86400s

Examples:
    >>> services = parse(SAMPLE)
    >>> [(s.name, s.state, s.uptime_s) for s in services][-1]
    ('sidekiq', 'down', 12)
    >>> roles_of(services)
    ['gitaly', 'rails', 'sidekiq']
"""

from __future__ import annotations

import logging
import re

from advisor.facts.errors import ParseError
from advisor.facts.models import Service
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
run: gitaly: (pid 1101) 86400s; run: log: (pid 1090) 86400s
run: gitlab-workhorse: (pid 1170) 86390s; run: log: (pid 1099) 86400s
run: puma: (pid 1187) 86380s; run: log: (pid 1102) 86400s
down: sidekiq: 12s, normally up, want up; run: log: (pid 1105) 86400s
"""

#: `state: service: ... Ns` at the start of a line.
ROW = re.compile(
    r"^(?P<state>run|down|finish|fail|warning|timeout): (?P<name>[\w.-]+):"
    r"(?:.*?\)?\s*(?P<secs>\d+)s)?"
)

#: The role each service implies; services not listed imply no role.
ROLE_OF = {
    "puma": "rails",
    "unicorn": "rails",
    "gitlab-workhorse": "rails",
    "sidekiq": "sidekiq",
    "sidekiq-cluster": "sidekiq",
    "gitaly": "gitaly",
    "praefect": "praefect",
    "postgresql": "postgresql",
    "patroni": "postgresql",
    "pgbouncer": "pgbouncer",
    "redis": "redis",
    "sentinel": "redis_sentinel",
    "consul": "consul",
    "nginx": "nginx",
    "prometheus": "monitoring",
    "geo-postgresql": "geo",
    "geo-logcursor": "geo",
    "registry": "registry",
}


def parse(text: str, file: str = "gitlab_status") -> list[Service]:
    """Reads one service per line; the `; run: log:` part is the log service."""
    services: list[Service] = []
    for line_no, line in numbered(text):
        match = ROW.match(line.strip())
        if match:
            secs = int(match["secs"]) if match["secs"] else None
            services.append(
                Service(
                    name=match["name"],
                    state=match["state"],
                    uptime_s=secs,
                    line=line_no,
                )
            )
    if not services:
        raise ParseError("no 'state: service:' lines")
    return services


def roles_of(services: list[Service]) -> list[str]:
    """Lists the roles the node is set up for, sorted; a down service still counts."""
    return sorted({ROLE_OF[s.name] for s in services if s.name in ROLE_OF})
