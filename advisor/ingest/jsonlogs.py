"""Reads JSON-lines logs with DuckDB into the common event columns, in one pass.

Every source field is read as text, so a value of the wrong type never drops its line;
the casts below turn it into NULL and the line is counted under a skip reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from advisor.ingest.kinds import EVENT_COLUMN_NAMES

log = logging.getLogger(__name__)


#: Source fields that carry a duration: read as text, so a wrong type is reported.
DURATION_FIELDS = frozenset(("duration_s", "duration", "grpc.time_ms", "duration_ms"))
#: Other numeric source fields: read as numbers (JSON numbers need no conversion to
#: text and back); a value of the wrong type becomes NULL, its line is kept.
NUMERIC_SUFFIXES = ("_s", "_ms", "_bytes", "_count", "maxrss", "inblock", "oublock")
NUMERIC_FIELDS = frozenset(
    ("db", "view", "db_duration", "gitaly_duration", "queue_duration", "status")
)


def field_type(name: str) -> str:
    """The DuckDB type a source field is read as."""
    if name == "time":
        return "TIMESTAMPTZ"
    if name in DURATION_FIELDS:
        return "VARCHAR"
    if name in NUMERIC_FIELDS or name.endswith(NUMERIC_SUFFIXES):
        return "DOUBLE"
    return "VARCHAR"


def q(field: str) -> str:
    """Quotes a source field name for SQL."""
    return '"' + field.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A SQL string literal holding ``value``."""
    return "'" + value.replace("'", "''") + "'"


def num(field: str) -> str:
    """SQL for a numeric source field, NULL when missing or not a number."""
    return f"TRY_CAST({q(field)} AS DOUBLE)"


def secs(field: str, legacy_ms: str | None = None) -> str:
    """SQL for a seconds field in ms, falling back to a legacy millisecond field."""
    if legacy_ms is None:
        return f"{num(field)} * 1000"
    return f"COALESCE({num(field)} * 1000, {num(legacy_ms)})"


def text(field: str) -> str:
    """SQL for a text source field; JSON ``null`` and empty strings become NULL."""
    if field_type(field) == "DOUBLE":
        return f"CAST(TRY_CAST({q(field)} AS BIGINT) AS VARCHAR)"
    return f"NULLIF(NULLIF({q(field)}, ''), 'null')"


NOT_JSON = "not JSON, or no known field"
TIME = f"TRY_CAST({q('time')} AS TIMESTAMPTZ)::TIMESTAMP"
ID_PATH = (
    f"regexp_replace(split_part({q('path')}, '?', 1), '/[0-9]+(/|$)', '/:id\\1', 'g')"
)
HTTP_FAILED = f"COALESCE(TRY_CAST({q('status')} AS INTEGER) >= 500, false)"


@dataclass(frozen=True)
class JsonSpec:
    """How one kind's JSON fields become event columns."""

    fields: tuple[str, ...]
    columns: dict[str, str]
    """Event column -> SQL expression over the source fields; missing ones are NULL."""
    is_event: str
    """SQL condition: the line is an event of this kind (others are counted apart)."""
    other_reason: str
    """Skip reason for valid lines that are not events."""
    duration_source: str
    """SQL that is NULL when the line has no duration at all."""


RAILS_FIELDS = (
    "time",
    "controller",
    "action",
    "route",
    "status",
    "method",
    "path",
    "duration_s",
    "duration",
    "db_duration_s",
    "db",
    "view_duration_s",
    "view",
    "gitaly_duration_s",
    "gitaly_duration",
    "redis_duration_s",
    "cpu_s",
    "queue_duration_s",
    "queue_duration",
    "correlation_id",
    "meta.project",
    "meta.user",
    "username",
    "ua",
    "exception.class",
    "exception.message",
    "exception.backtrace",
    "mem_bytes",
)


def _rails(key: str, legacy: bool) -> JsonSpec:
    """Rails request logs; with ``legacy``, also the pre-13.0 millisecond keys."""

    def dur(field: str, legacy_ms: str) -> str:
        return secs(field, legacy_ms if legacy else None)

    return JsonSpec(
        fields=RAILS_FIELDS,
        columns={
            "time": TIME,
            "key": key,
            "duration_ms": dur("duration_s", "duration"),
            "status": text("status"),
            "failed": HTTP_FAILED,
            "cancelled": "false",
            "db_ms": dur("db_duration_s", "db"),
            "gitaly_ms": dur("gitaly_duration_s", "gitaly_duration"),
            "redis_ms": secs("redis_duration_s"),
            "cpu_ms": secs("cpu_s"),
            "view_ms": dur("view_duration_s", "view"),
            "queue_ms": dur("queue_duration_s", "queue_duration"),
            "correlation_id": text("correlation_id"),
            "project": text("meta.project"),
            "user": f"COALESCE({text('meta.user')}, {text('username')})",
            "path": text("path"),
            "client": text("ua"),
            "error_class": text("exception.class"),
            "error_message": text("exception.message"),
            "error_backtrace": text("exception.backtrace"),
        },
        is_event="true",
        other_reason="",
        duration_source=(
            f"COALESCE({q('duration_s')}, {q('duration')})"
            if legacy
            else q("duration_s")
        ),
    )


#: Requests answered before a controller ran (ETag caching) are keyed by their path.
PRODUCTION_KEY = (
    f"CASE WHEN {text('controller')} IS NULL THEN {q('method')} || ' ' || {ID_PATH} "
    f"WHEN {text('action')} IS NULL THEN {q('controller')} "
    f"ELSE {q('controller')} || '#' || {q('action')} END"
)
API_KEY = f"COALESCE({text('route')}, {text('path')})"

GITALY_CODE = text("grpc.code")
GITALY = JsonSpec(
    fields=(
        "time",
        "msg",
        "level",
        "grpc.method",
        "grpc.service",
        "grpc.code",
        "grpc.time_ms",
        "correlation_id",
        "grpc.request.glProjectPath",
        "grpc.request.repoPath",
        "username",
        "user_id",
        "grpc.meta.client_name",
        "command.cpu_time_ms",
        "command.user_time_ms",
        "command.system_time_ms",
        "command.maxrss",
        "command.inblock",
        "command.oublock",
        "grpc.response.payload_bytes",
        "limit.concurrency_queue_ms",
        "error",
    ),
    columns={
        "time": TIME,
        "key": text("grpc.method"),
        "duration_ms": num("grpc.time_ms"),
        "status": GITALY_CODE,
        "failed": f"{GITALY_CODE} NOT IN ('OK', 'Canceled')",
        "cancelled": f"{GITALY_CODE} = 'Canceled'",
        "cpu_ms": f"COALESCE({num('command.cpu_time_ms')}, "
        f"{num('command.user_time_ms')} + {num('command.system_time_ms')})",
        "queue_ms": num("limit.concurrency_queue_ms"),
        "correlation_id": text("correlation_id"),
        "project": f"COALESCE({text('grpc.request.glProjectPath')}, "
        f"{text('grpc.request.repoPath')})",
        "user": f"COALESCE({text('username')}, {text('user_id')})",
        "client": text("grpc.meta.client_name"),
        "error_class": GITALY_CODE,
        "error_message": text("error"),
        "bytes_out": num("grpc.response.payload_bytes"),
        "rss_kb": num("command.maxrss"),
        "disk_read": num("command.inblock"),
        "disk_write": num("command.oublock"),
    },
    is_event=f"{GITALY_CODE} IS NOT NULL",
    other_reason="not an RPC completion line",
    duration_source=q("grpc.time_ms"),
)

SIDEKIQ_STATUS = text("job_status")


def _sidekiq(legacy: bool) -> JsonSpec:
    """Sidekiq job logs; with ``legacy``, also the keys from before the ``_s`` suffix."""
    # The legacy Sidekiq ``duration`` is already in seconds, unlike Rails'.
    duration = num("duration_s")
    if legacy:
        duration = f"COALESCE({duration}, {num('duration')})"
    return JsonSpec(
        fields=(
            "time",
            "class",
            "job_status",
            "duration_s",
            "duration",
            "scheduling_latency_s",
            "db_duration_s",
            "db_duration",
            "gitaly_duration_s",
            "redis_duration_s",
            "cpu_s",
            "correlation_id",
            "meta.project",
            "meta.user",
            "queue",
            "error_class",
            "error_message",
            "error_backtrace",
        ),
        columns={
            "time": TIME,
            "key": text("class"),
            "duration_ms": f"{duration} * 1000",
            "status": SIDEKIQ_STATUS,
            "failed": f"{SIDEKIQ_STATUS} = 'fail'",
            "cancelled": "false",
            "db_ms": secs("db_duration_s", "db_duration" if legacy else None),
            "gitaly_ms": secs("gitaly_duration_s"),
            "redis_ms": secs("redis_duration_s"),
            "cpu_ms": secs("cpu_s"),
            "queue_ms": secs("scheduling_latency_s"),
            "correlation_id": text("correlation_id"),
            "project": text("meta.project"),
            "user": text("meta.user"),
            "client": text("queue"),
            "error_class": text("error_class"),
            "error_message": text("error_message"),
            "error_backtrace": text("error_backtrace"),
        },
        is_event=f"{SIDEKIQ_STATUS} IN ('done', 'fail')",
        other_reason="not a job completion line (start or other message)",
        duration_source=(
            f"COALESCE({q('duration_s')}, {q('duration')})"
            if legacy
            else q("duration_s")
        ),
    )


WORKHORSE = JsonSpec(
    fields=(
        "time",
        "msg",
        "method",
        "uri",
        "route",
        "status",
        "duration_ms",
        "ttfb_ms",
        "correlation_id",
        "written_bytes",
        "user_agent",
        "remote_ip",
    ),
    columns={
        "time": TIME,
        "key": f"COALESCE({text('route')}, {q('method')} || ' ' || "
        f"regexp_replace(split_part({q('uri')}, '?', 1), '/[0-9]+(/|$)', '/:id\\1', 'g'))",
        "duration_ms": num("duration_ms"),
        "status": text("status"),
        "failed": HTTP_FAILED,
        "cancelled": "false",
        "ttfb_ms": num("ttfb_ms"),
        "correlation_id": text("correlation_id"),
        "path": f"split_part({q('uri')}, '?', 1)",
        "client": text("user_agent"),
        "bytes_out": num("written_bytes"),
    },
    is_event=f"{q('msg')} = 'access'",
    other_reason="not an access line",
    duration_source=q("duration_ms"),
)

SHELL = JsonSpec(
    fields=(
        "time",
        "msg",
        "level",
        "command",
        "gl_project_path",
        "username",
        "user_id",
        "url",
        "method",
        "status",
        "duration_ms",
        "duration_s",
        "correlation_id",
        "error",
    ),
    columns={
        "time": TIME,
        "key": f"COALESCE({text('command')}, {q('method')} || ' ' || "
        f"regexp_replace({q('url')}, '^[a-z]+://[^/]*', ''), {text('msg')})",
        "duration_ms": f"COALESCE({num('duration_ms')}, {num('duration_s')} * 1000)",
        "status": text("status"),
        "failed": f"{HTTP_FAILED} OR COALESCE({q('level')} = 'error', false)",
        "cancelled": "false",
        "correlation_id": text("correlation_id"),
        "project": text("gl_project_path"),
        "user": f"COALESCE({text('username')}, {text('user_id')})",
        "error_class": text("msg"),
        "error_message": text("error"),
    },
    is_event=f"COALESCE({q('duration_ms')}, {q('duration_s')}) IS NOT NULL",
    other_reason="no duration (not a finished request)",
    duration_source=f"COALESCE({q('duration_ms')}, {q('duration_s')})",
)

EXCEPTIONS = JsonSpec(
    fields=(
        "time",
        "exception.class",
        "exception.message",
        "exception.backtrace",
        "correlation_id",
        "extra.project_id",
        "user.username",
    ),
    columns={
        "time": TIME,
        "key": text("exception.class"),
        "duration_ms": "0.0",
        "failed": "true",
        "cancelled": "false",
        "correlation_id": text("correlation_id"),
        "user": text("user.username"),
        "error_class": text("exception.class"),
        "error_message": text("exception.message"),
        "error_backtrace": text("exception.backtrace"),
    },
    is_event="true",
    other_reason="",
    duration_source="0",
)

APPLICATION_SEVERITY = f"upper({text('severity')})"
#: Application events that ``stats errors`` lists: warnings and worse.
APPLICATION_PROBLEM = (
    f"CASE WHEN {APPLICATION_SEVERITY} IN ('WARN', 'WARNING', 'ERROR', 'FATAL') "
    f"THEN {APPLICATION_SEVERITY} END"
)
APPLICATION = JsonSpec(
    fields=(
        "time",
        "severity",
        "message",
        "correlation_id",
        "memwd_rss_bytes",
        "worker_id",
    ),
    columns={
        "time": TIME,
        "key": text("message"),
        "duration_ms": "0.0",
        "status": APPLICATION_SEVERITY,
        "failed": f"COALESCE({APPLICATION_SEVERITY} IN ('ERROR', 'FATAL'), false)",
        "cancelled": "false",
        "correlation_id": text("correlation_id"),
        "client": text("worker_id"),
        "error_class": APPLICATION_PROBLEM,
        "error_message": text("message"),
        "rss_kb": f"{num('memwd_rss_bytes')} / 1024",
    },
    is_event="true",
    other_reason="",
    duration_source="0",
)

SPECS: dict[str, JsonSpec] = {
    "production": _rails(PRODUCTION_KEY, legacy=True),
    "api": _rails(API_KEY, legacy=True),
    "gitaly": GITALY,
    "sidekiq": _sidekiq(legacy=True),
    "workhorse": WORKHORSE,
    "shell": SHELL,
    "exceptions": EXCEPTIONS,
    "application": APPLICATION,
}
#: Kinds whose schema changed units; a file whose first lines show only the current
#: ``_s`` keys is read with these, leaving the legacy keys unread.
CURRENT_SPECS: dict[str, JsonSpec] = {
    "production": _rails(PRODUCTION_KEY, legacy=False),
    "api": _rails(API_KEY, legacy=False),
    "sidekiq": _sidekiq(legacy=False),
}


def spec_for(kind: str, legacy_seen: bool) -> JsonSpec:
    """The spec to read a file with, given whether its first lines use legacy keys."""
    if legacy_seen:
        return SPECS[kind]
    return CURRENT_SPECS.get(kind, SPECS[kind])


#: Columns every command needs; the rest are read only when asked for (detail).
CORE_COLUMNS = frozenset(
    ("time", "key", "duration_ms", "failed", "cancelled")
    + ("db_ms", "gitaly_ms", "redis_ms", "cpu_ms", "view_ms", "queue_ms", "ttfb_ms")
)


def wanted_columns(spec: JsonSpec, detail: bool) -> list[str]:
    """Event columns a load fills: all with ``detail``, else the core ones."""
    return [
        name
        for name in EVENT_COLUMN_NAMES
        if name in spec.columns and (detail or name in CORE_COLUMNS)
    ]


def used_fields(spec: JsonSpec, detail: bool) -> list[str]:
    """Source fields the wanted columns refer to (JSON keys not read are skipped)."""
    expressions = [spec.columns[name] for name in wanted_columns(spec, detail)]
    sql = " ".join([*expressions, spec.is_event, spec.duration_source])
    return [field for field in spec.fields if q(field) in sql]


def select_sql(spec: JsonSpec, source: str, detail: bool = True) -> str:
    """SQL producing the wanted event columns and a ``skip`` reason, each computed once.

    The columns are those of ``wanted_columns``, in that order. Without ``detail`` only
    the core ones are produced, which saves reading identifiers and messages that plain
    statistics do not show.
    """
    wanted = wanted_columns(spec, detail)
    # A line is "not JSON, or no known field" by the core fields alone, so that its
    # reason does not depend on how many fields a run reads.
    all_null = " AND ".join(
        f"{q(field)} IS NULL" for field in used_fields(spec, detail=False)
    )
    inner = [f"{spec.columns[name]} AS {q('_v_' + name)}" for name in wanted]
    inner += [
        f"({all_null}) AS _nothing",
        f"COALESCE({spec.is_event}, false) AS _event",
        f"({spec.duration_source}) IS NULL AS _no_duration",
    ]
    outer = [_clean(name) for name in wanted]
    reason = (
        "CASE "
        f"WHEN _nothing THEN '{NOT_JSON}' "
        f"WHEN NOT _event THEN '{spec.other_reason}' "
        "WHEN _v_key IS NULL THEN 'no key field' "
        "WHEN _no_duration THEN 'duration missing or null' "
        "WHEN _v_duration_ms IS NULL OR NOT isfinite(_v_duration_ms) "
        "THEN 'duration not a number' "
        "WHEN _v_duration_ms < 0 THEN 'duration negative' "
        "WHEN _v_time IS NULL THEN 'time missing or unparseable' "
        "ELSE NULL END AS skip"
    )
    return (
        f"SELECT {', '.join(outer)}, {reason} "
        f"FROM (SELECT {', '.join(inner)} FROM {source})"
    )


def _clean(name: str) -> str:
    """Outer expression of a column: durations must be finite and not negative."""
    raw = q("_v_" + name)
    if name.endswith("_ms"):
        return f"CASE WHEN isfinite({raw}) AND {raw} >= 0 THEN {raw} END AS {q(name)}"
    return f"{raw} AS {q(name)}"


def read_json_sql(
    spec: JsonSpec, path: str, compression: str, extra: str = "", detail: bool = True
) -> str:
    """SQL reading one file with the fields a load needs, each at its type."""
    fields = {name: field_type(name) for name in used_fields(spec, detail)}
    if extra:
        fields[extra] = "VARCHAR"
    columns = ", ".join(f"{literal(name)}: '{kind}'" for name, kind in fields.items())
    return (
        f"read_json({literal(path)}, format='newline_delimited', ignore_errors=true, "
        f"compression='{compression}', "
        f"columns={{{columns}}})"
    )
