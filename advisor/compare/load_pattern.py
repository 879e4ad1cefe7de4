"""Load or fault: does a component's latency follow its throughput, minute by minute?

Per component, events are bucketed by minute (minutes with fewer than
``MIN_PER_MINUTE`` events, or under a tenth of the median minute's, are dropped); each
minute gives its event count and the P95 of its latency (the ``duration`` series of
components.py; the ``db`` series for the database). The pattern is, in this order:

- ``unknown``: fewer than ``MIN_MINUTES`` minutes;
- ``load-induced``: Spearman's rho >= 0.5 with p < 0.01, and the busiest quarter of
  minutes is at least 1.5x slower than the quietest quarter;
- ``intermittent``: some minutes (at most a quarter) stand far above the rest: above
  twice the median and above the median + 6 scaled MADs; their times are listed;
- ``constant``: comparisons were given and significant slowdowns cover at least half
  of the component's ranked events: slow at every load;
- ``none`` otherwise.
"""

from __future__ import annotations

import logging
import statistics
from datetime import datetime

from advisor.compare.compare import ranked, slower
from advisor.compare.components import COMPONENTS, SERIES, sql_component
from advisor.compare.models import Component, KeyComparison, LoadPattern, Pattern
from advisor.ingest.load import Dataset
from advisor.stats.window import Window

log = logging.getLogger(__name__)

MIN_MINUTES = 10
MIN_PER_MINUTE = 5
#: Minutes with under this share of the median minute's events are partial (the
#: edges of the logs) and are dropped.
PARTIAL = 0.1
RHO = 0.5
P_VALUE = 0.01
LOAD_FACTOR = 1.5
SPIKE_FACTOR = 2.0
SPIKE_MADS = 6.0
MAX_SPIKE_SHARE = 0.25


def load_patterns(
    dataset: Dataset,
    comparisons: list[KeyComparison] | None = None,
    window: Window | None = None,
) -> list[LoadPattern]:
    """The load pattern of every component the dataset has events for."""
    patterns = []
    for component in COMPONENTS:
        minutes = per_minute(dataset, component, window or Window())
        if minutes:
            patterns.append(classify(component, minutes, comparisons))
    return patterns


def _selects(dataset: Dataset, component: str, window: Window) -> tuple[str, list]:
    parts, params = [], []
    where, window_params = window.where()
    for series in SERIES:
        is_db = series.metric == "db" or series.kind == "postgres"
        if series.kind not in dataset.kinds or series.metric == "queue":
            continue
        if is_db != (component == "database"):
            continue
        owner = "'database'" if is_db else sql_component(series.kind)
        source = (
            f"SELECT time, {series.sql} AS v, {owner} AS c "
            f"FROM {dataset.table(series.kind)} {where}"
        )
        parts.append(f"SELECT time, v FROM ({source}) WHERE c = ? AND v IS NOT NULL")
        params += [*window_params, component]
    return " UNION ALL ".join(parts), params


def per_minute(
    dataset: Dataset, component: str, window: Window
) -> list[tuple[datetime, int, float]]:
    """(minute, events, P95 latency in ms) for each minute with enough events."""
    union, params = _selects(dataset, component, window)
    if not union:
        return []
    rows = dataset.con.execute(
        f"SELECT date_trunc('minute', time) AS m, count(*) AS n, "
        f"quantile_cont(v, 0.95) FROM ({union}) GROUP BY m "
        f"HAVING count(*) >= {MIN_PER_MINUTE} ORDER BY m",
        params,
    ).fetchall()
    if not rows:
        return []
    typical = statistics.median(n for _, n, _ in rows)
    return [(m, int(n), float(p)) for m, n, p in rows if n >= PARTIAL * typical]


def classify(
    component: Component,
    minutes: list[tuple[datetime, int, float]],
    comparisons: list[KeyComparison] | None = None,
) -> LoadPattern:
    """Names the pattern of one component's per-minute load and latency."""
    result = LoadPattern(component=component, pattern="unknown", minutes=len(minutes))
    if len(minutes) < MIN_MINUTES:
        return result
    from scipy.stats import spearmanr

    counts = [n for _, n, _ in minutes]
    latency = [p for _, _, p in minutes]
    rho, p_value = spearmanr(counts, latency)
    if rho == rho:  # NaN when either side is constant
        result.rho, result.p_value = round(float(rho), 3), float(p_value)
    result.low_load_ms, result.high_load_ms = _quarters(minutes)
    result.spikes = _spikes(minutes)
    result.pattern = _name(result, comparisons)
    return result


def _quarters(minutes: list[tuple[datetime, int, float]]) -> tuple[float, float]:
    by_load = sorted(minutes, key=lambda m: (m[1], m[0]))
    size = max(1, len(by_load) // 4)
    low = statistics.median(p for _, _, p in by_load[:size])
    high = statistics.median(p for _, _, p in by_load[-size:])
    return round(low, 1), round(high, 1)


def _spikes(minutes: list[tuple[datetime, int, float]]) -> list[datetime]:
    latency = [p for _, _, p in minutes]
    median = statistics.median(latency)
    mad = statistics.median(abs(p - median) for p in latency) * 1.4826
    floor = max(median * SPIKE_FACTOR, median + SPIKE_MADS * mad)
    return [m for m, _, p in minutes if p > floor]


def _name(result: LoadPattern, comparisons: list[KeyComparison] | None) -> Pattern:
    low, high = result.low_load_ms or 0.0, result.high_load_ms or 0.0
    rho = result.rho if result.rho is not None else 0.0
    p_value = result.p_value if result.p_value is not None else 1.0
    rising = rho >= RHO and p_value < P_VALUE
    if rising and high >= LOAD_FACTOR * max(low, 1e-9):
        return "load-induced"
    if result.spikes and len(result.spikes) <= MAX_SPIKE_SHARE * result.minutes:
        return "intermittent"
    result.spikes = []
    if comparisons is not None and _mostly_slower(result.component, comparisons):
        return "constant"
    return "none"


def _mostly_slower(component: str, comparisons: list[KeyComparison]) -> bool:
    rows = [r for r in comparisons if r.component == component and ranked(r)]
    events = sum(r.count for r in rows)
    slow = sum(r.count for r in rows if slower(r))
    return bool(events) and slow >= events / 2
