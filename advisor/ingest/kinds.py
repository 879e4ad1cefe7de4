"""The log kinds the advisor reads, and the columns every kind is normalised into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Columns of every kind's event table, with their DuckDB types. Durations are in ms.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("time", "TIMESTAMP"),
    ("key", "VARCHAR"),
    ("duration_ms", "DOUBLE"),
    ("status", "VARCHAR"),
    ("failed", "BOOLEAN"),
    ("cancelled", "BOOLEAN"),
    ("db_ms", "DOUBLE"),
    ("gitaly_ms", "DOUBLE"),
    ("redis_ms", "DOUBLE"),
    ("cpu_ms", "DOUBLE"),
    ("view_ms", "DOUBLE"),
    ("queue_ms", "DOUBLE"),
    ("ttfb_ms", "DOUBLE"),
    ("correlation_id", "VARCHAR"),
    ("project", "VARCHAR"),
    ("user", "VARCHAR"),
    ("path", "VARCHAR"),
    ("client", "VARCHAR"),
    ("error_class", "VARCHAR"),
    ("error_message", "VARCHAR"),
    ("error_backtrace", "VARCHAR"),
    ("bytes_out", "DOUBLE"),
    ("rss_kb", "DOUBLE"),
    ("disk_read", "DOUBLE"),
    ("disk_write", "DOUBLE"),
)
EVENT_COLUMN_NAMES = tuple(name for name, _ in EVENT_COLUMNS)


def csv_row(event: dict[str, object]) -> list[object]:
    """One event as a CSV row in the order of the event columns."""
    row: list[object] = []
    for name in EVENT_COLUMN_NAMES:
        value = event.get(name)
        if isinstance(value, datetime):
            value = value.isoformat(sep=" ")
        elif value is None:
            value = ""
        row.append(value)
    return row


#: Component time columns and the label each gets in tables.
COMPONENT_LABELS = {
    "db_ms": "db",
    "gitaly_ms": "gitaly",
    "redis_ms": "redis",
    "cpu_ms": "cpu",
    "view_ms": "view",
    "queue_ms": "queue",
    "ttfb_ms": "ttfb",
}


@dataclass(frozen=True)
class Kind:
    """A log kind: what its events are keyed by and which components it reports."""

    name: str
    title: str
    key_label: str
    components: tuple[str, ...]
    failure_rule: str
    has_stats: bool = True
    queue_label: str = "queue"
    """What the ``queue`` component means for this kind."""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "production",
            "Rails web requests (gitlab-rails/production_json.log)",
            "CONTROLLER",
            ("db_ms", "gitaly_ms", "redis_ms", "cpu_ms", "view_ms", "queue_ms"),
            "HTTP status 500 or above",
            queue_label="workhorse/puma queue",
        ),
        Kind(
            "api",
            "Rails API requests (gitlab-rails/api_json.log)",
            "ROUTE",
            ("db_ms", "gitaly_ms", "redis_ms", "cpu_ms", "view_ms", "queue_ms"),
            "HTTP status 500 or above",
            queue_label="workhorse/puma queue",
        ),
        Kind(
            "gitaly",
            "Gitaly RPCs (gitaly/current)",
            "METHOD",
            ("cpu_ms", "queue_ms"),
            "gRPC code other than OK and Canceled; Canceled (the client gave up) "
            "is counted apart as %CANCEL",
            queue_label="concurrency queue",
        ),
        Kind(
            "sidekiq",
            "Sidekiq jobs (sidekiq/current)",
            "WORKER",
            ("db_ms", "gitaly_ms", "redis_ms", "cpu_ms", "queue_ms"),
            "job_status fail (text logs: 'fail:')",
            queue_label="scheduling latency",
        ),
        Kind(
            "workhorse",
            "Workhorse requests (gitlab-workhorse/current)",
            "ROUTE",
            ("ttfb_ms",),
            "HTTP status 500 or above",
        ),
        Kind(
            "shell",
            "gitlab-shell / gitlab-sshd (gitlab-shell/gitlab-shell.log)",
            "COMMAND",
            (),
            "HTTP status 500 or above, or level error",
        ),
        Kind(
            "postgres",
            "PostgreSQL slow statements (postgresql/current)",
            "STATEMENT",
            (),
            "none: every line is a statement slower than log_min_duration_statement",
        ),
        Kind(
            "exceptions",
            "Rails exceptions (gitlab-rails/exceptions_json.log)",
            "EXCEPTION",
            (),
            "every line is an error",
            has_stats=False,
        ),
        Kind(
            "application",
            "Rails application events (gitlab-rails/application_json.log)",
            "MESSAGE",
            (),
            "severity ERROR or FATAL",
            has_stats=False,
        ),
    )
}


def kind_names() -> list[str]:
    """Returns the names accepted by ``--kind``."""
    return list(KINDS)
