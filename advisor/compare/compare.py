"""Per-key comparison of observed latencies with a baseline: ratio, interval, impact.

A key is ranked only when both sides hold enough events for the percentile
(``min_events``). A difference is significant only when the whole confidence interval
of the ratio lies beyond the practical margin: above ``1 + MARGIN`` (slower) or below
``1 - MARGIN`` (faster). Ranked keys are sorted by time lost, significant slowdowns
first; keys without a baseline value or with too few events come last, unranked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from advisor.compare.baseline import (
    Baseline,
    KeyRecord,
    PublishedBaseline,
    RecordedBaseline,
    TargetsBaseline,
)
from advisor.compare.components import component_of
from advisor.compare.interval import ratio_interval
from advisor.compare.models import KeyComparison
from advisor.compare.observe import observe, to_sketch
from advisor.errors import UsageError
from advisor.ingest.load import Dataset
from advisor.stats.window import Window

log = logging.getLogger(__name__)

#: Practical margin: differences inside +/-15 % are never called significant.
MARGIN = 0.15
QUANTILES = {"p50": 0.5, "p90": 0.9, "p95": 0.95, "p99": 0.99}


def min_events(percentile: str) -> int:
    """Events a side needs: at least 5 above the percentile, and never fewer than 30."""
    q = QUANTILES[percentile]
    return max(30, round(5 / (1 - q)))


def compare(
    dataset: Dataset,
    baseline: Baseline,
    percentile: str | None = None,
    window: Window | None = None,
) -> list[KeyComparison]:
    """Compares every observed key with a baseline; returns them ranked by impact."""
    observed = observe(dataset, window)
    return compare_records(observed, baseline, percentile)


def compare_records(
    observed: list[KeyRecord], baseline: Baseline, percentile: str | None = None
) -> list[KeyComparison]:
    """Compares observed records with a baseline (see ``compare``)."""
    match: Callable[[KeyRecord, str], KeyComparison | None]
    if isinstance(baseline, RecordedBaseline):
        index = {(r.kind, r.key, r.metric): r for r in baseline.keys}
        percentile = percentile or "p95"

        def match(record: KeyRecord, pct: str) -> KeyComparison | None:
            found = index.get((record.kind, record.key, record.metric))
            return _against_record(record, found, pct, baseline.name)

    elif isinstance(baseline, TargetsBaseline | PublishedBaseline):
        percentile = percentile or baseline.percentile
        match = _threshold_matcher(baseline)
    else:
        raise UsageError(
            f"baseline {baseline.name!r} holds reference architecture sizes, "
            "not latencies.",
            fix="Compare with gitlab-targets, a gpt-* baseline or a recorded one.",
        )
    if percentile not in QUANTILES:
        raise UsageError(
            f"percentile {percentile!r} is not one of {', '.join(QUANTILES)}.",
            fix="Choose p50, p90, p95 or p99.",
        )
    rows = [row for record in observed if (row := match(record, percentile))]
    return rank(rows)


def _base(record: KeyRecord, percentile: str) -> KeyComparison | None:
    component = component_of(record.kind, record.key, record.metric)
    if component is None:
        return None
    return KeyComparison(
        kind=record.kind,
        key=record.key,
        metric=record.metric,
        component=component,
        percentile=percentile,  # type: ignore[arg-type]
        count=record.count,
        observed_ms=_pct(record, percentile),
        observed_mean_ms=record.mean_ms,
        fail_pct=100.0 * record.failed / record.count,
        baseline_ms=None,
        enough_events=record.count >= min_events(percentile),
    )


def _pct(record: KeyRecord, percentile: str) -> float:
    exact = getattr(record, f"{percentile}_ms", None)
    if exact is not None:
        return float(exact)
    value = to_sketch(record.sketch).quantile(QUANTILES[percentile])
    return float(value or 0.0)


def _label(row: KeyComparison) -> str:
    return f"{row.kind}|{row.key}|{row.metric}|{row.percentile}"


def _against_record(
    record: KeyRecord, found: KeyRecord | None, percentile: str, name: str
) -> KeyComparison | None:
    row = _base(record, percentile)
    if row is None or found is None:
        return row
    row.baseline_ms = _pct(found, percentile)
    row.baseline_count = found.count
    row.baseline_mean_ms = found.mean_ms
    row.baseline_fail_pct = 100.0 * found.failed / found.count
    row.source = f"{name}: {found.kind} {found.key} ({found.metric})"
    row.enough_events = row.enough_events and found.count >= min_events(percentile)
    lost_ms = record.count * max(0.0, record.mean_ms - found.mean_ms)
    row.time_lost_s = lost_ms / 1000
    if row.baseline_ms > 0:
        row.ratio = row.observed_ms / row.baseline_ms
        _interval(row, to_sketch(record.sketch), to_sketch(found.sketch))
    return row


def _threshold_matcher(
    baseline: TargetsBaseline | PublishedBaseline,
) -> Callable[[KeyRecord, str], KeyComparison | None]:
    def match(record: KeyRecord, percentile: str) -> KeyComparison | None:
        row = _base(record, percentile)
        if row is None:
            return None
        if isinstance(baseline, TargetsBaseline):
            found = baseline.target(record.kind, record.key, record.metric)
        elif record.metric == "duration" and (
            test := baseline.lookup(record.kind, record.key)
        ):
            found = (test.ttfb_p90_ms, f"GPT {test.test} TTFB P90")
        else:
            found = None
        if found is None:
            return row
        row.baseline_ms, what = found
        row.threshold = True
        row.source = f"{baseline.name}: {what}"
        row.ratio = row.observed_ms / row.baseline_ms
        excess = 1 - 1 / row.ratio if row.ratio > 1 else 0.0
        row.time_lost_s = record.count * record.mean_ms * excess / 1000
        _interval(row, to_sketch(record.sketch), row.baseline_ms)
        return row

    return match


def _interval(row: KeyComparison, observed: Any, baseline: Any) -> None:
    if not row.enough_events:
        return
    q = QUANTILES[row.percentile]
    row.ci_low, row.ci_high = ratio_interval(
        observed, baseline, q, _label(row), row.ci_level
    )
    row.significant = row.ci_low > 1 + MARGIN or row.ci_high < 1 - MARGIN


def ranked(row: KeyComparison) -> bool:
    """True when a row has a baseline value, a ratio and enough events."""
    return row.enough_events and row.ratio is not None


def slower(row: KeyComparison) -> bool:
    """True for a significant slowdown."""
    return row.significant and (row.ci_low or 0.0) > 1


def rank(rows: list[KeyComparison]) -> list[KeyComparison]:
    """Significant slowdowns by time lost, then other ranked rows, then the rest."""
    return sorted(
        rows,
        key=lambda r: (
            not ranked(r),
            not slower(r),
            -r.time_lost_s,
            -(r.ratio or 0.0),
            r.kind,
            r.key,
            r.metric,
        ),
    )
