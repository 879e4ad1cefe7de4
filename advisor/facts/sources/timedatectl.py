"""Clock synchronisation - command ``timedatectl`` (file ``timedatectl``).

Sample input::

                   Local time: Thu 2025-03-06 16:05:02 UTC
               Universal time: Thu 2025-03-06 16:05:02 UTC
                     RTC time: Thu 2025-03-06 16:05:01
                    Time zone: Etc/UTC (UTC, +0000)
    System clock synchronized: no
                  NTP service: inactive
              RTC in local TZ: no

Older systemd prints ``NTP synchronized: yes`` instead.

Examples:
    >>> clock = parse(SAMPLE)
    >>> clock.ntp_synchronized.value, clock.ntp_synchronized.source.line
    (False, 5)
    >>> clock.ntp_service.value
    'inactive'
"""

from __future__ import annotations

import logging

from pydantic import BaseModel

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
               Local time: Thu 2025-03-06 16:05:02 UTC
           Universal time: Thu 2025-03-06 16:05:02 UTC
                 RTC time: Thu 2025-03-06 16:05:01
                Time zone: Etc/UTC (UTC, +0000)
System clock synchronized: no
              NTP service: inactive
          RTC in local TZ: no
"""

SYNC_KEYS = ("System clock synchronized", "NTP synchronized")
SERVICE_KEYS = ("NTP service", "NTP enabled", "Network time on")


class TimeDateCtl(BaseModel):
    """Whether the clock is synchronised and by which service."""

    ntp_synchronized: Fact[bool]
    ntp_service: Fact[str] | None = None
    universal_time: Fact[str] | None = None


def parse(text: str, file: str = "timedatectl") -> TimeDateCtl:
    """Reads the `key: value` rows."""
    rows: dict[str, tuple[str, int]] = {}
    for line_no, line in numbered(text):
        key, sep, value = line.partition(":")
        if sep:
            rows[key.strip()] = (value.strip(), line_no)
    sync = next((rows[key] for key in SYNC_KEYS if key in rows), None)
    if sync is None:
        raise ParseError("no 'System clock synchronized:' row")
    service = next((rows[key] for key in SERVICE_KEYS if key in rows), None)
    universal = rows.get("Universal time")
    return TimeDateCtl(
        ntp_synchronized=fact(sync[0] == "yes", file, sync[1]),
        ntp_service=fact(service[0], file, service[1]) if service else None,
        universal_time=fact(universal[0], file, universal[1]) if universal else None,
    )
