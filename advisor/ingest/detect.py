"""Detects a log's kind and format from its first lines, not from its name."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from advisor.ingest.sources import LogFile, open_binary

log = logging.getLogger(__name__)

SAMPLE_LINES = 400
SAMPLE_BYTES = 1 << 20
SVLOGD_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d+ ")
LOGGER_HEADER = "# Logfile created on"
POSTGRES = re.compile(r"\b(LOG|ERROR|FATAL|WARNING|STATEMENT|DETAIL):  ")
SIDEKIQ_TEXT = re.compile(r" TID-\S+ .*(INFO|WARN|ERROR):|\bpid=\d+ tid=\S+ ")
WORKHORSE_TEXT = re.compile(
    r'\[\d{4}/\d\d/\d\d:[^\]]*\] "[A-Z]+ \S+ HTTP/[\d.]+" \d{3} \d+ ".*" ".*" [\d.]+$'
)
#: Kinds a line is given only for lack of anything more specific: a file is of such a
#: kind only when none of its first lines is of another.
WEAK_KINDS = frozenset(("application",))
HELM_SUBCOMPONENTS = {
    "production_json": "production",
    "api_json": "api",
    "exceptions_json": "exceptions",
    "application_json": "application",
}


@dataclass(frozen=True)
class Sniff:
    """What the first lines of a file say about it."""

    kind: str | None
    fmt: str
    """``json``, ``text`` or ``helm`` (JSON lines of several kinds, by subcomponent)."""
    truncated_first_line: bool = False
    header_lines: int = 0
    """Logger header lines such as ``# Logfile created on ...``."""
    legacy_units: bool = False
    """Some first lines use pre-13.0 keys (``duration`` without ``duration_s``)."""


def strip_svlogd(line: str) -> str:
    """Removes svlogd's ``YYYY-MM-DD_HH:MM:SS.fffff`` prefix if present."""
    match = SVLOGD_PREFIX.match(line)
    return line[match.end() :] if match else line


def classify_json(record: dict[str, Any]) -> str | None:
    """Names the kind of one JSON log record from its keys, or None."""
    if "subcomponent" in record:
        return "helm" if record["subcomponent"] in HELM_SUBCOMPONENTS else None
    if "grpc.method" in record or "grpc.code" in record:
        return "gitaly"
    if "controller" in record:
        return "production"
    if "job_status" in record or ("class" in record and "jid" in record):
        return "sidekiq"
    if record.get("msg") == "access" or ("uri" in record and "duration_ms" in record):
        return "workhorse"
    if "route" in record and ("duration_s" in record or "duration" in record):
        return "api"
    if "exception.class" in record:
        return "exceptions"
    if "severity" in record and "message" in record and "class" not in record:
        return "application"
    if "gl_project_path" in record or record.get("msg") in (
        "executing git command",
        "access: finish",
    ):
        return "shell"
    url = record.get("url")
    if isinstance(url, str) and "/api/v4/internal/" in url and "duration_ms" in record:
        return "shell"
    return None


def classify_text(line: str) -> str | None:
    """Names the kind of one text log line, or None."""
    body = strip_svlogd(line)
    if "grpc.method=" in body and "grpc.code=" in body:
        return "gitaly"
    if SIDEKIQ_TEXT.search(body):
        return "sidekiq"
    if WORKHORSE_TEXT.search(body):
        return "workhorse"
    if 'msg="finished HTTP request"' in body and "url=" in body:
        return "shell"
    if 'msg="executing git command"' in body or body.startswith(("I, [", "E, [")):
        return "shell"
    if body is not line and POSTGRES.search(body):
        return "postgres"
    if POSTGRES.match(re.sub(r"^\S+ \S+ \S+ \[\d+\] ", "", body)):
        return "postgres"
    return None


def _classify_line(line: str) -> tuple[str | None, str]:
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            record = json.loads(stripped)
        except (ValueError, RecursionError):
            return None, "broken"
        if isinstance(record, dict):
            kind = classify_json(record)
            if "duration" in record and "duration_s" not in record:
                return kind, "json-legacy"
            return kind, "helm" if kind == "helm" else "json"
        return None, "broken"
    return classify_text(stripped), "text"


def sniff_lines(lines: list[str]) -> Sniff:
    """Decides kind and format from a sample of lines by majority vote."""
    votes: Counter[tuple[str, str]] = Counter()
    first_bad = False
    headers = 0
    legacy = False
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith(LOGGER_HEADER):
            headers += 1
            continue
        kind, fmt = _classify_line(line)
        if kind is None:
            first_bad = first_bad or index == 0
            continue
        if fmt == "json-legacy":
            legacy = True
            fmt = "json"
        votes[(kind, fmt)] += 1
    if any(kind not in WEAK_KINDS for kind, _ in votes):
        # Other logs (Sidekiq start-up, for one) have plain messages too.
        votes = Counter(
            {vote: n for vote, n in votes.items() if vote[0] not in WEAK_KINDS}
        )
    if not votes:
        return Sniff(kind=None, fmt="unknown", header_lines=headers)
    (kind, fmt), _ = votes.most_common(1)[0]
    truncated = first_bad and fmt in ("json", "helm") and _looks_cut(lines[0])
    return Sniff(
        kind=kind,
        fmt=fmt,
        truncated_first_line=truncated,
        header_lines=headers,
        legacy_units=legacy,
    )


def _looks_cut(line: str) -> bool:
    """Tells whether a line is the tail of a JSON object whose start was cut off."""
    stripped = line.strip()
    return stripped.endswith("}") and not stripped.startswith("{")


def read_head(logfile: LogFile) -> list[str]:
    """Reads the first lines of a (possibly compressed) log."""
    lines: list[str] = []
    read = 0
    with open_binary(logfile.path, logfile.compression) as handle:
        for raw in handle:
            read += len(raw)
            lines.append(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
            if len(lines) >= SAMPLE_LINES or read >= SAMPLE_BYTES:
                break
    return lines


def sniff(logfile: LogFile) -> Sniff:
    """Detects a file's kind and format from its first lines."""
    try:
        lines = read_head(logfile)
    except (OSError, EOFError) as error:
        log.debug("cannot read %s: %s", logfile.name, error)
        return Sniff(kind=None, fmt="unreadable")
    result = sniff_lines(lines)
    log.debug("%s: kind=%s fmt=%s", logfile.name, result.kind, result.fmt)
    return result
