"""Facts from the comparison layer: per-key ratios, load patterns and the score."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from advisor.engine.vocabulary import Fact, make

if TYPE_CHECKING:
    from advisor.compare.models import KeyComparison, LoadPattern, Score
    from advisor.ingest.load import Dataset

log = logging.getLogger(__name__)


def comparison_facts(comparisons: Sequence[KeyComparison]) -> list[Fact]:
    """One fact per significant slower key, plus a count of slow keys per component."""
    out: list[Fact] = []
    slow: Counter[str] = Counter()
    for item in comparisons:
        if not (
            item.significant and item.enough_events and item.ratio and item.ratio > 1
        ):
            continue
        slow[item.component] += 1
        out.append(
            make(
                "compare.key_ratio",
                round(item.ratio, 3),
                component=item.component,
                key=f"{item.kind}:{item.key}",
                metric=item.percentile,
                baseline=item.baseline_ms,
                ratio=item.ratio,
                ci_low=item.ci_low,
                ci_high=item.ci_high,
                impact_s=item.time_lost_s,
                source=item.source or "baseline",
            )
        )
    # A compared component with no slow key has a known count of 0, not an unknown.
    for item in comparisons:
        slow.setdefault(item.component, 0)
    for component, count in sorted(slow.items()):
        out.append(
            make(
                "compare.slow_keys",
                float(count),
                component=component,
                key=component,
                source="comparison",
            )
        )
    return out


def pattern_facts(patterns: Sequence[LoadPattern]) -> list[Fact]:
    """The load pattern (and its rho) of each component."""
    out: list[Fact] = []
    for item in patterns:
        out.append(
            make(
                "load.pattern",
                item.pattern,
                component=item.component,
                key=item.component,
                source="per-minute statistics",
            )
        )
        if item.rho is not None:
            out.append(
                make(
                    "load.rho",
                    round(item.rho, 3),
                    component=item.component,
                    key=item.component,
                    source="per-minute statistics",
                )
            )
    return out


def score_facts(score: Score) -> list[Fact]:
    """The overall score and each component's."""
    out: list[Fact] = []
    if score.overall is not None:
        out.append(
            make(
                "score.overall",
                round(score.overall, 1),
                source=f"baseline {score.baseline}",
            )
        )
    for item in score.components:
        if item.score is not None:
            out.append(
                make(
                    "score.component",
                    round(item.score, 1),
                    component=item.component,
                    key=item.component,
                    source=f"baseline {score.baseline}",
                )
            )
    return out


def compare_facts(dataset: Dataset, baseline: str) -> tuple[list[Fact], dict[str, Any]]:
    """Runs the comparison layer when it is available; returns facts and Diagnosis parts."""
    try:
        from advisor import compare as api

        run, patterns, scorer = api.compare, api.load_patterns, api.score
        from advisor.compare.baseline import load_baseline
    except (ImportError, AttributeError):
        log.info("the comparison layer is not available; no baseline facts")
        return [], {}
    reference = load_baseline(baseline)
    comparisons = run(dataset, reference)
    # As `advisor score` does: patterns need the comparisons to tell `constant` apart,
    # and the score names its baseline.
    found = patterns(dataset, comparisons)
    score = scorer(comparisons, reference.name)
    facts = comparison_facts(comparisons) + pattern_facts(found) + score_facts(score)
    extra = {
        "comparisons": [c.model_dump(mode="json") for c in comparisons],
        "load_patterns": [p.model_dump(mode="json") for p in found],
        "score": score.model_dump(mode="json"),
        "baseline": baseline,
    }
    return facts, extra
