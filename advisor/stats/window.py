"""Time windows and key filters applied to event tables, and interval parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from advisor.errors import UsageError

INTERVAL = re.compile(r"^(?P<count>\d+)(?P<unit>[smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Window:
    """An optional time range, inclusive of ``since`` and exclusive of ``until``."""

    since: datetime | None = None
    until: datetime | None = None

    def where(self, search: str | None = None) -> tuple[str, list[object]]:
        """SQL WHERE clause and parameters for this window and a key search."""
        clauses: list[str] = []
        params: list[object] = []
        if self.since is not None:
            clauses.append("time >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("time < ?")
            params.append(self.until)
        if search:
            clauses.append("contains(lower(key), ?)")
            params.append(search.lower())
        if not clauses:
            return "", params
        return "WHERE " + " AND ".join(clauses), params


MAX_INTERVAL_S = 366 * 86400


def parse_interval(text: str) -> timedelta:
    """Parses ``<N>[s|m|h|d]`` such as ``5m`` or ``1h``, from one second to a year."""
    match = INTERVAL.match(text.strip())
    if not match or int(match["count"]) == 0:
        raise UsageError(
            f"--interval {text!r} is not a length of time.",
            fix="Use a whole number and a unit s, m, h or d, such as 5m or 1h.",
        )
    seconds = int(match["count"]) * UNIT_SECONDS[match["unit"]]
    if seconds > MAX_INTERVAL_S:
        raise UsageError(
            f"--interval {text!r} is longer than a year.",
            fix="Use a bucket of at most 366d; without --interval the whole input is one.",
        )
    return timedelta(seconds=seconds)


def parse_time(text: str, option: str) -> datetime:
    """Parses an ISO 8601 date or time given on the command line, as naive UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date or time.",
            fix="Use ISO 8601, such as 2024-05-01 or 2024-05-01T12:00:00Z (UTC).",
        ) from None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value
