"""Per-key statistics and sketches of every compared series, read from a dataset."""

from __future__ import annotations

import logging
from collections import defaultdict

from advisor.compare.baseline import KeyRecord, SketchData
from advisor.compare.components import SERIES, Series
from advisor.ingest.load import Dataset
from advisor.stats.sketch import RELATIVE_ACCURACY, Sketch, sql_bucket
from advisor.stats.window import Window

log = logging.getLogger(__name__)


def observe(dataset: Dataset, window: Window | None = None) -> list[KeyRecord]:
    """Statistics of every series the dataset holds, one record per key and metric."""
    records: list[KeyRecord] = []
    for series in SERIES:
        if series.kind in dataset.kinds:
            records += _series(dataset, series, window or Window())
    log.debug("observed %d key series", len(records))
    return records


def _values(dataset: Dataset, series: Series, window: Window) -> tuple[str, list]:
    where, params = window.where()
    table = dataset.table(series.kind)
    source = f"SELECT key, time, failed, {series.sql} AS v FROM {table} {where}"
    return f"(SELECT * FROM ({source}) WHERE v IS NOT NULL AND isfinite(v))", params


def _series(dataset: Dataset, series: Series, window: Window) -> list[KeyRecord]:
    values, params = _values(dataset, series, window)
    span = _span_s(dataset, series.kind, window)
    rows = dataset.con.execute(
        f"SELECT key, count(*), count_if(failed), avg(v), "
        f"quantile_cont(v, [0.5, 0.95, 0.99]) "
        f"FROM {values} GROUP BY key",
        params,
    ).fetchall()
    sketches = _sketches(dataset, values, params)
    return [
        KeyRecord(
            kind=series.kind,  # type: ignore[arg-type]
            key=key,
            metric=series.metric,
            count=count,
            failed=failed,
            rps=count / span if span else None,
            mean_ms=max(0.0, mean),
            p50_ms=max(0.0, quantiles[0]),
            p95_ms=max(0.0, quantiles[1]),
            p99_ms=max(0.0, quantiles[2]),
            sketch=_data(sketches[key]),
        )
        for key, count, failed, mean, quantiles in rows
    ]


def _sketches(dataset: Dataset, values: str, params: list) -> dict[str, Sketch]:
    rows = dataset.con.execute(
        f"SELECT key, {sql_bucket('v')} AS b, count(*) FROM {values} GROUP BY key, b",
        params,
    ).fetchall()
    sketches: dict[str, Sketch] = defaultdict(Sketch)
    for key, bucket, count in rows:
        if bucket is None:
            sketches[key].zeros += count
        else:
            sketches[key].bins[bucket] = count
    return sketches


def _span_s(dataset: Dataset, kind: str, window: Window) -> float | None:
    where, params = window.where()
    row = dataset.con.execute(
        f"SELECT min(time), max(time) FROM {dataset.table(kind)} {where}", params
    ).fetchone()
    if not row or row[0] is None:
        return None
    return (row[1] - row[0]).total_seconds() or None


def _data(sketch: Sketch) -> SketchData:
    start, counts = sketch.dense()
    return SketchData(
        accuracy=RELATIVE_ACCURACY, zeros=sketch.zeros, start=start, counts=counts
    )


def to_sketch(data: SketchData) -> Sketch:
    """The sketch a stored record holds."""
    return Sketch.from_dense(data.accuracy, data.zeros, data.start, data.counts)
