"""The environment score, 0-100, and one per component (docs/scoring.md).

A ranked key (enough events, a baseline value) scores ``100 * min(1, 1 / ratio) * (1 -
f)``, where f is its share of failed events above the baseline's: 100 when at least as
fast and as reliable as the baseline, 50 when twice as slow, 10 when ten times. A
component scores the event-weighted mean of its keys. The environment scores the
event-weighted mean over request-level keys, each key counted once with the worse of
its duration and queue scores (database time is part of a request's duration, so it
feeds only the database component).
"""

from __future__ import annotations

import logging
from collections import defaultdict

from advisor.compare.compare import ranked
from advisor.compare.components import COMPONENTS
from advisor.compare.models import ComponentScore, KeyComparison, Score

log = logging.getLogger(__name__)


def key_score(ratio: float, excess_fail_pct: float = 0.0) -> float:
    """Score of one key: 100 / ratio (at most 100), less the share of extra failures."""
    speed = 1.0 if ratio <= 0 else min(1.0, 1.0 / ratio)
    kept = 1.0 - min(100.0, max(0.0, excess_fail_pct)) / 100.0
    return 100.0 * speed * kept


def excess_failures(row: KeyComparison) -> float:
    """Percentage points of failures above the baseline's (above 0 for thresholds)."""
    return max(0.0, row.fail_pct - (row.baseline_fail_pct or 0.0))


def _weighted(pairs: list[tuple[float, int]]) -> float | None:
    events = sum(count for _, count in pairs)
    if not events:
        return None
    return round(sum(value * count for value, count in pairs) / events, 1)


def score(comparisons: list[KeyComparison], baseline: str = "") -> Score:
    """Scores comparisons (from ``compare``) per component and overall."""
    rows = [row for row in comparisons if ranked(row) and row.ratio is not None]
    by_component: dict[str, list[tuple[float, int]]] = defaultdict(list)
    units: dict[tuple[str, str, str], tuple[float, int]] = {}
    for row in rows:
        value = key_score(row.ratio or 0.0, excess_failures(row))
        by_component[row.component].append((value, row.count))
        if row.metric == "db":
            continue
        unit = (row.kind, row.key, row.component)
        previous = units.get(unit)
        if previous is None or value < previous[0]:
            units[unit] = (value, row.count)
    components = [
        ComponentScore(
            component=name,
            score=_weighted(by_component[name]),
            events=sum(count for _, count in by_component[name]),
            keys_scored=len(by_component[name]),
        )
        for name in COMPONENTS
    ]
    overall = _weighted(list(units.values()))
    log.debug("score against %s: %s", baseline, overall)
    return Score(baseline=baseline, overall=overall, components=components)
