"""Line parsers for the text log formats, producing the same event columns as JSON.

Each parser takes one line (svlogd prefix already split off) and returns an event dict,
or a skip reason string when the line is not an event.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime

from advisor.ingest.detect import LOGGER_HEADER, SVLOGD_PREFIX

log = logging.getLogger(__name__)

Event = dict[str, object]
Parser = Callable[[str, str | None], "Event | str"]

LOGFMT_PAIR = re.compile(r'([\w.\-]+)=("(?:[^"\\]|\\.)*"|\S*)')
SIDEKIQ_OLD = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT[\d:.]+Z) (?P<pid>\d+) TID-\S+ "
    r"(?P<worker>[\w:]+) JID-\S+ (?P<level>[A-Z]+): (?P<status>done|fail|start)"
    r"(?:: (?P<seconds>[\d.]+) sec)?"
)
SIDEKIQ_NEW = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT[\d:.]+Z) (?P<pairs>pid=.*?) (?P<level>[A-Z]+): "
    r"(?P<status>done|fail|start)\b"
)
WORKHORSE_ACCESS = re.compile(
    r'\[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<uri>\S+) [^"]*" (?P<status>\d{3}) '
    r'(?P<bytes>\d+) "[^"]*" "(?P<agent>[^"]*)" (?P<seconds>[\d.]+)$'
)
POSTGRES_DURATION = re.compile(
    r"(?:^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) \w+ \[\d+\] )?"
    r"LOG:  duration: (?P<ms>[\d.]+) ms  (?:statement|execute [^:]*|parse [^:]*|"
    r"bind [^:]*): (?P<sql>.*)$"
)
SQL_STRING = re.compile(r"'(?:[^']|'')*'")
SQL_NUMBER = re.compile(r"(?<![\w$\"])-?\d+(?:\.\d+)?\b")
SQL_PARAM = re.compile(r"\$\d+")
SQL_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)")
SPACES = re.compile(r"\s+")
FINGERPRINT_LENGTH = 160


def split_svlogd(line: str) -> tuple[str | None, str]:
    """Splits svlogd's prefix into an ISO time and the rest of the line."""
    match = SVLOGD_PREFIX.match(line)
    if not match:
        return None, line
    stamp = line[: match.end() - 1]
    return stamp.replace("_", "T") + "Z", line[match.end() :]


def parse_time(value: str | None) -> datetime | None:
    """Parses the timestamp shapes text logs use, as naive UTC."""
    if not value:
        return None
    text = value.strip().strip('"')
    try:
        if "/" in text:
            parsed = datetime.strptime(text, "%Y/%m/%d:%H:%M:%S %z")
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def logfmt(line: str) -> dict[str, str]:
    """Parses ``key=value`` pairs, unquoting quoted values."""
    pairs = {}
    for key, value in LOGFMT_PAIR.findall(line):
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        pairs[key] = value
    return pairs


def _float(value: object) -> float | None:
    """A finite, non-negative number, or None."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def parse_gitaly(line: str, stamp: str | None) -> Event | str:
    """Parses a logfmt Gitaly line; RPC completions become events."""
    pairs = logfmt(line)
    if not pairs:
        return "not a logfmt line"
    code = pairs.get("grpc.code")
    if not code:
        return "not an RPC completion line"
    duration = _float(pairs.get("grpc.time_ms"))
    if duration is None:
        return "duration missing or null"
    return {
        "time": parse_time(pairs.get("time") or stamp),
        "key": pairs.get("grpc.method"),
        "duration_ms": duration,
        "status": code,
        "failed": code not in ("OK", "Canceled"),
        "cancelled": code == "Canceled",
        "correlation_id": pairs.get("correlation_id"),
        "project": pairs.get("grpc.request.glProjectPath")
        or pairs.get("grpc.request.repoPath"),
        "client": pairs.get("grpc.meta.client_name"),
        "error_class": code,
        "error_message": pairs.get("error"),
    }


def parse_sidekiq(line: str, stamp: str | None) -> Event | str:
    """Parses a text Sidekiq line; ``done`` and ``fail`` lines become events."""
    old = SIDEKIQ_OLD.match(line)
    if old:
        worker, status, seconds = old["worker"], old["status"], old["seconds"]
        time = old["time"]
    else:
        new = SIDEKIQ_NEW.match(line)
        if not new:
            return "not a job line"
        pairs = logfmt(new["pairs"])
        worker, status, time = pairs.get("class", ""), new["status"], new["time"]
        seconds = pairs.get("elapsed")
    if status == "start":
        return "not a job completion line (start or other message)"
    duration = _float(seconds)
    if duration is None:
        return "duration missing or null"
    return {
        "time": parse_time(time or stamp),
        "key": worker or None,
        "duration_ms": duration * 1000,
        "status": status,
        "failed": status == "fail",
        "cancelled": False,
    }


def parse_workhorse(line: str, stamp: str | None) -> Event | str:
    """Parses a text Workhorse access line (duration in seconds at the end)."""
    match = WORKHORSE_ACCESS.search(line)
    if not match:
        return "not an access line"
    uri = match["uri"].split("?", 1)[0]
    status = match["status"]
    seconds = _float(match["seconds"])
    if seconds is None:
        return "duration not a number"
    return {
        "time": parse_time(match["time"]) or parse_time(stamp),
        "key": f"{match['method']} {re.sub(r'/[0-9]+(?=/|$)', '/:id', uri)}",
        "duration_ms": seconds * 1000,
        "status": status,
        "failed": int(status) >= 500,
        "cancelled": False,
        "path": uri,
        "client": match["agent"],
        "bytes_out": _float(match["bytes"]),
    }


def parse_shell(line: str, stamp: str | None) -> Event | str:
    """Parses a logfmt gitlab-shell line; finished HTTP requests become events."""
    pairs = logfmt(line)
    if "url" not in pairs or "duration" not in pairs and "duration_ms" not in pairs:
        return "no duration (not a finished request)"
    seconds = _float(pairs.get("duration"))
    duration = (
        seconds * 1000 if seconds is not None else _float(pairs.get("duration_ms"))
    )
    if duration is None:
        return "duration not a number"
    url = re.sub(r"^[a-z]+://[^/]*", "", pairs["url"])
    status = pairs.get("status")
    return {
        "time": parse_time(pairs.get("time") or stamp),
        "key": f"{pairs.get('method', '')} {url}".strip(),
        "duration_ms": duration,
        "status": status,
        "failed": (status or "0").isdigit()
        and int(status or 0) >= 500
        or pairs.get("level") == "error",
        "cancelled": False,
        "correlation_id": pairs.get("correlation_id"),
    }


def fingerprint(sql: str) -> str:
    """Normalises a SQL statement so that runs differing only in values group together."""
    text = SQL_STRING.sub("?", sql)
    text = SQL_PARAM.sub("?", text)
    text = SQL_NUMBER.sub("?", text)
    text = SQL_LIST.sub("(...)", text)
    text = SPACES.sub(" ", text).strip()
    if len(text) > FINGERPRINT_LENGTH:
        text = text[: FINGERPRINT_LENGTH - 1] + "…"
    return text


def parse_postgres(line: str, stamp: str | None) -> Event | str:
    """Parses a PostgreSQL slow-statement line into an event keyed by fingerprint."""
    match = POSTGRES_DURATION.search(line)
    if not match:
        return "not a slow-statement line"
    duration = _float(match["ms"])
    if duration is None:
        return "duration not a number"
    return {
        "time": parse_time(match["time"]) or parse_time(stamp),
        "key": fingerprint(match["sql"]),
        "duration_ms": duration,
        "failed": False,
        "cancelled": False,
    }


PARSERS: dict[str, Parser] = {
    "gitaly": parse_gitaly,
    "sidekiq": parse_sidekiq,
    "workhorse": parse_workhorse,
    "shell": parse_shell,
    "postgres": parse_postgres,
}


#: Per kind, the reason a parser gives for a line that is not of its format at all
#: (gitlab-shell's parser cannot tell such a line from an unfinished request).
NOT_TEXT = {
    "gitaly": "not a logfmt line",
    "sidekiq": "not a job line",
    "workhorse": "not an access line",
    "shell": "no duration (not a finished request)",
    "postgres": "not a slow-statement line",
}


def parse_line(kind: str, raw: str) -> Event | str:
    """Parses one raw text line of a kind; returns an event or a skip reason."""
    if raw.startswith(LOGGER_HEADER):
        return "logger header line"
    stamp, body = split_svlogd(raw)
    result = PARSERS[kind](body, stamp)
    if isinstance(result, dict):
        if not result.get("key"):
            return "no key field"
        if result.get("time") is None:
            return "time missing or unparseable"
    return result
