"""Per-key latency statistics, fast-stats style, computed in DuckDB.

Percentiles use linear interpolation between the two closest ranks (DuckDB's
``quantile_cont``, numpy's default ``linear`` method, Hyndman and Fan type 7): for n
sorted values x[0..n-1] the q-quantile is at rank h = (n - 1) * q, and is
x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
STDDEV is the population standard deviation. SCORE is COUNT x P99 in ms.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from advisor.ingest.kinds import COMPONENT_LABELS, KINDS
from advisor.ingest.load import Dataset
from advisor.stats.window import Window

log = logging.getLogger(__name__)

PERCENTILES = (0.99, 0.95, 0.5)


@dataclass(frozen=True)
class Component:
    """Time one component took across a key's events, in ms."""

    total: float
    mean: float | None
    p95: float | None


@dataclass
class KeyStats:
    """One row of a statistics table."""

    key: str
    count: int
    rps: float | None
    p99: float
    p95: float
    median: float
    max: float
    min: float
    stddev: float
    score: float
    fail_pct: float
    cancel_pct: float
    failed: int
    cancelled: int
    components: dict[str, Component] = field(default_factory=dict)


@dataclass
class KindTable:
    """The statistics of one log kind over one time range."""

    kind: str
    first: datetime | None
    last: datetime | None
    rows: list[KeyStats]
    bucket_start: datetime | None = None
    bucket_end: datetime | None = None
    events: int = 0
    """Events behind the whole table, before any row limit."""

    @property
    def span_s(self) -> float | None:
        """Observed span in seconds (first to last event, or the bucket's part of it)."""
        start, end = self.first, self.last
        if start is None or end is None:
            return None
        if self.bucket_start is not None:
            start = max(start, self.bucket_start)
        if self.bucket_end is not None:
            end = min(end, self.bucket_end)
        return (end - start).total_seconds()

    @property
    def key_label(self) -> str:
        """Header of the key column (CONTROLLER, ROUTE, METHOD, WORKER...)."""
        return KINDS[self.kind].key_label


def _aggregates(components: tuple[str, ...]) -> str:
    parts = [
        "count(*)",
        f"quantile_cont(duration_ms, {list(PERCENTILES)})",
        "max(duration_ms)",
        "min(duration_ms)",
        "coalesce(stddev_pop(duration_ms), 0)",
        "count_if(failed)",
        "count_if(cancelled)",
    ]
    for column in components:
        parts += [
            f"coalesce(sum({column}), 0)",
            f"avg({column})",
            f"quantile_cont({column}, 0.95)",
        ]
    return ", ".join(parts)


def _row(
    key: str, values: tuple, components: tuple[str, ...], span: float | None
) -> KeyStats:
    count, quantiles, maximum, minimum, stddev, failed, cancelled, *rest = values
    p99, p95, median = quantiles
    row = KeyStats(
        key=key,
        count=count,
        rps=count / span if span else None,
        p99=p99,
        p95=p95,
        median=median,
        max=maximum,
        min=minimum,
        stddev=stddev,
        score=count * p99,
        fail_pct=100.0 * failed / count,
        cancel_pct=100.0 * cancelled / count,
        failed=failed,
        cancelled=cancelled,
    )
    for index, column in enumerate(components):
        total, mean, p95c = rest[3 * index : 3 * index + 3]
        row.components[COMPONENT_LABELS[column]] = Component(total, mean, p95c)
    return row


def _span(
    dataset: Dataset, table: str, window: Window
) -> tuple[datetime | None, datetime | None]:
    """First and last event of the whole (windowed) input: RPS ignores --search."""
    where, params = window.where()
    row = dataset.con.execute(
        f"SELECT min(time), max(time) FROM {table} {where}", params
    )
    first, last = row.fetchone() or (None, None)
    return first, last


def summary_aggregates(kind: str) -> str:
    """The aggregates ``key_stats`` needs, for a load to compute while it reads."""
    return _aggregates(KINDS[kind].components)


def key_stats(
    dataset: Dataset, kind: str, window: Window | None = None, search: str | None = None
) -> KindTable:
    """Computes one table of per-key statistics for a kind."""
    window = window or Window()
    components = KINDS[kind].components
    where, params = window.where(search)
    if not where and kind in dataset.summaries:
        rows = dataset.summaries[kind]
    else:
        rows = dataset.con.execute(
            f"SELECT key, min(time), max(time), {_aggregates(components)} "
            f"FROM {dataset.table(kind)} {where} GROUP BY key",
            params,
        ).fetchall()
    if search:
        first, last = _span(dataset, dataset.table(kind), window)
    else:  # the span of the whole input is that of its keys together
        first = min((row[1] for row in rows), default=None)
        last = max((row[2] for row in rows), default=None)
    span = (last - first).total_seconds() if first and last else None
    result = [_row(key, tuple(values), components, span) for key, _, _, *values in rows]
    return KindTable(kind, first, last, result, events=sum(r.count for r in result))


def bucketed_stats(
    dataset: Dataset,
    kind: str,
    interval: timedelta,
    window: Window | None = None,
    search: str | None = None,
) -> list[KindTable]:
    """Computes one table per time bucket of ``interval``, oldest first."""
    window = window or Window()
    table = dataset.table(kind)
    first, last = _span(dataset, table, window)
    where, params = window.where(search)
    components = KINDS[kind].components
    seconds = int(interval.total_seconds())
    rows = dataset.con.execute(
        f"SELECT time_bucket(INTERVAL '{seconds} seconds', time) AS bucket, key, "
        f"{_aggregates(components)} FROM {table} {where} GROUP BY bucket, key "
        "ORDER BY bucket",
        params,
    ).fetchall()
    buckets: dict[datetime, KindTable] = {}
    for bucket, key, *values in rows:
        if bucket not in buckets:
            buckets[bucket] = KindTable(
                kind, first, last, [], bucket, bucket + interval
            )
        target = buckets[bucket]
        target.rows.append(_row(key, tuple(values), components, target.span_s))
        target.events += target.rows[-1].count
    return list(buckets.values())
