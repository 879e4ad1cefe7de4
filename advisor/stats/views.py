"""Other views of the same events: top talkers, grouped errors, percentile samples."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from advisor.errors import UsageError
from advisor.ingest.load import Dataset
from advisor.stats.aggregate import PERCENTILES
from advisor.stats.window import Window

log = logging.getLogger(__name__)

#: Who-or-what dimensions per kind: label -> event column.
DIMENSIONS: dict[str, dict[str, str]] = {
    "production": {"path": "key", "project": "project", "user": "user"},
    "api": {"path": "key", "project": "project", "user": "user"},
    "gitaly": {"project": "project", "user": "user", "client": "client"},
    "sidekiq": {"worker": "key", "project": "project", "user": "user"},
    "workhorse": {"path": "path", "client": "client"},
    "shell": {"command": "key", "project": "project", "user": "user"},
    "postgres": {"statement": "key"},
}

#: Sums a ``top`` table can show and sort by: name -> (header, SQL over events).
TOP_MEASURES: dict[str, tuple[str, str]] = {
    "duration": ("DUR", "sum(duration_ms)"),
    "db": ("DB", "sum(db_ms)"),
    "gitaly": ("GITALY", "sum(gitaly_ms)"),
    "redis": ("REDIS", "sum(redis_ms)"),
    "cpu": ("CPU", "sum(cpu_ms)"),
    "queue": ("QUEUE", "sum(queue_ms)"),
    "fail": ("FAIL_CT", "count_if(failed)"),
    "response-bytes": ("RESP_BYTES", "sum(bytes_out)"),
    "disk-read": ("DISK_R", "sum(disk_read)"),
    "disk-write": ("DISK_W", "sum(disk_write)"),
}
TOP_BY_KIND: dict[str, tuple[str, ...]] = {
    "production": ("duration", "db", "redis", "gitaly", "cpu", "queue", "fail"),
    "api": ("duration", "db", "redis", "gitaly", "cpu", "queue", "fail"),
    "sidekiq": ("duration", "db", "redis", "gitaly", "cpu", "queue", "fail"),
    "gitaly": ("duration", "cpu", "response-bytes", "disk-read", "disk-write", "fail"),
    "workhorse": ("duration", "response-bytes", "fail"),
    "shell": ("duration", "fail"),
    "postgres": ("duration",),
}


@dataclass
class TopTable:
    """Top values of one dimension (project, user, path...) by one measure."""

    kind: str
    dimension: str
    sort_by: str
    measures: list[str]
    rows: list[tuple[str, int, list[float]]]
    """(value, count, sums in the order of ``measures``)."""
    totals: list[float]
    total_count: int
    first: datetime | None
    last: datetime | None


def top(
    dataset: Dataset,
    kind: str,
    sort_by: str = "duration",
    limit: int = 10,
    window: Window | None = None,
    search: str | None = None,
) -> list[TopTable]:
    """Aggregates a kind's events by who or what, one table per dimension."""
    measures = list(TOP_BY_KIND.get(kind, ("duration",)))
    if sort_by not in measures:
        raise UsageError(
            f"top --sort-by {sort_by!r} does not apply to {kind} logs.",
            fix=f"Choose one of: {', '.join(measures)}.",
        )
    table = dataset.table(kind)
    where, params = (window or Window()).where(search)
    sums = ", ".join(f"coalesce({TOP_MEASURES[m][1]}, 0)" for m in measures)
    totals_row = dataset.con.execute(
        f"SELECT count(*), min(time), max(time), {sums} FROM {table} {where}", params
    ).fetchone()
    assert totals_row is not None
    total_count, first, last, *totals = totals_row
    order = measures.index(sort_by) + 3
    result = []
    for label, column in DIMENSIONS.get(kind, {}).items():
        rows = dataset.con.execute(
            f"SELECT {column}, count(*), {sums} FROM {table} {where} "
            f"GROUP BY {column} HAVING {column} IS NOT NULL "
            f"ORDER BY {order} DESC, 1 LIMIT {int(limit)}",
            params,
        ).fetchall()
        result.append(
            TopTable(
                kind,
                label,
                sort_by,
                measures,
                [(str(r[0]), r[1], list(r[2:])) for r in rows],
                list(totals),
                total_count,
                first,
                last,
            )
        )
    return result


@dataclass
class ErrorEvent:
    """One failed event, for the 'last events' list of an error group."""

    time: datetime | None
    correlation_id: str | None
    key: str | None
    user: str | None
    project: str | None


@dataclass
class ErrorGroup:
    """Errors sharing a class (or gRPC code, or HTTP status) and message."""

    kind: str
    error: str
    message: str
    count: int
    backtrace: str | None
    last_events: list[ErrorEvent] = field(default_factory=list)


def _status_label(kind: str) -> str:
    """SQL naming a failure that has no error class: HTTP status or job status."""
    if kind == "sidekiq":
        return "'job ' || status"
    if kind in ("production", "api", "workhorse", "shell"):
        return "'HTTP ' || status"
    return "status"


def _error_condition(kind: str) -> str:
    if kind == "gitaly":
        return "(failed OR cancelled)"
    if kind in ("shell", "workhorse", "postgres"):
        return "failed"
    return "(failed OR error_class IS NOT NULL)"


def errors(
    dataset: Dataset,
    kind: str,
    last: int = 10,
    window: Window | None = None,
    search: str | None = None,
) -> list[ErrorGroup]:
    """Groups a kind's failed events by error class and message, most frequent first.

    ``search`` filters on the key (controller, route, method, worker), as in stats.
    """
    table = dataset.table(kind)
    where, params = (window or Window()).where(search)
    condition = _error_condition(kind)
    where = f"{where} AND {condition}" if where else f"WHERE {condition}"
    rows = dataset.con.execute(
        f"SELECT coalesce(error_class, {_status_label(kind)}, 'error') AS error, "
        "left(split_part(coalesce(error_message, ''), chr(10), 1), 200) AS message, "
        "count(*), any_value(error_backtrace) FILTER (WHERE error_backtrace IS NOT NULL), "
        "list([strftime(time, '%Y-%m-%dT%H:%M:%S.%g'), correlation_id, key, user, project] "
        f"ORDER BY time DESC)[1:{int(last)}] "
        f"FROM {table} {where} GROUP BY error, message ORDER BY 3 DESC, 1, 2",
        params,
    ).fetchall()
    groups = []
    for error, message, count, backtrace, events in rows:
        samples = [
            ErrorEvent(datetime.fromisoformat(e[0]) if e[0] else None, *e[1:])
            for e in events
        ]
        groups.append(ErrorGroup(kind, error, message, count, backtrace, samples))
    return groups


@dataclass
class PercentileSample:
    """The event whose duration is closest to a key's percentile."""

    key: str
    percentile: str
    duration_ms: float
    time: datetime | None
    correlation_id: str | None


def percentile_samples(
    dataset: Dataset, kind: str, keys: list[str], window: Window | None = None
) -> list[PercentileSample]:
    """Finds, per key, the events at P99, P95 and the median (for --verbose)."""
    if not keys:
        return []
    table = dataset.table(kind)
    where, params = (window or Window()).where()
    key_filter = "key IN (SELECT unnest(?))"
    where = f"{where} AND {key_filter}" if where else f"WHERE {key_filter}"
    params = [*params, keys]
    picks = ", ".join(
        f"arg_min([duration_ms::VARCHAR, strftime(time, '%Y-%m-%dT%H:%M:%S.%g'), "
        f"correlation_id], abs(duration_ms - q[{i + 1}]))"
        for i in range(len(PERCENTILES))
    )
    rows = dataset.con.execute(
        f"WITH q AS (SELECT key, quantile_cont(duration_ms, {list(PERCENTILES)}) AS q "
        f"FROM {table} {where} GROUP BY key) "
        f"SELECT e.key, {picks} FROM {table} e JOIN q USING (key) {where} GROUP BY e.key",
        params + params,
    ).fetchall()
    names = ("P99", "P95", "MEDIAN")
    samples = []
    order = {key: index for index, key in enumerate(keys)}
    for key, *picked in sorted(rows, key=lambda r: order.get(r[0], 0)):
        for name, (duration, time, correlation) in zip(names, picked, strict=True):
            stamp = datetime.fromisoformat(time) if time else None
            samples.append(
                PercentileSample(key, name, float(duration), stamp, correlation)
            )
    return samples
