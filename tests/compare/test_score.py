"""The score: bounds, the documented effect of doubling latency, faults per component."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from advisor.compare import compare, score
from advisor.compare.baseline import RecordedBaseline, load_baseline
from advisor.compare.models import KeyComparison, Score
from advisor.compare.score import key_score
from advisor.ingest.load import load
from advisor.ingest.sources import open_inputs

from .conftest import recorded

#: Scenario -> the component its fault is in.
FAULTS = {
    "slow-storage": "gitaly",
    "gitaly-cpu-clone-storm": "gitaly",
    "gitaly-concurrency-limit": "gitaly",
    "missing-housekeeping": "gitaly",
    "puma-saturation": "api",
    "redis-latency": "api",
    "memory-swap": "api",
    "undersized-for-load": "web",
    "sidekiq-backlog": "sidekiq",
    "db-missing-statistics": "database",
}


def _component(result: Score, name: str) -> float:
    found = next(c for c in result.components if c.component == name)
    assert found.score is not None
    return found.score


def test_key_score_is_bounded() -> None:
    assert key_score(0.5) == 100
    assert key_score(1.0) == 100
    assert key_score(2.0) == 50
    assert key_score(1000.0) == pytest.approx(0.1)
    assert key_score(2.0, excess_fail_pct=10) == 45


def test_healthy_scores_at_least_90_against_targets(
    dataset: Callable[..., Any],
) -> None:
    result = score(compare(dataset("healthy"), load_baseline("gitlab-targets")))
    assert result.overall is not None and result.overall >= 90
    assert all(c.score is None or c.score >= 90 for c in result.components)


def test_doubling_every_latency_halves_the_score(
    archive: Callable[..., Any],
) -> None:
    with open_inputs([str(archive("healthy"))]) as inputs:
        data = load(inputs, None, None, False)
    own = recorded(data)
    assert score(compare(data, own)).overall == 100
    for kind in data.kinds:
        data.con.execute(
            f"UPDATE raw_{kind} SET duration_ms = 2 * duration_ms, "
            "queue_ms = 2 * queue_ms, db_ms = 2 * db_ms"
        )
    doubled = score(compare(data, own))
    assert doubled.overall == 50
    assert all(c.score in (50, None) for c in doubled.components)


def test_same_input_same_score(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("memory-swap"), healthy_baseline)
    assert score(rows, "healthy") == score(list(reversed(rows)), "healthy")


def test_few_events_do_not_move_the_score() -> None:
    common: dict[str, Any] = {"kind": "api", "component": "api", "baseline_ms": 10.0}
    many = KeyComparison(key="a", count=1000, observed_ms=10, ratio=1, **common)
    few = KeyComparison(
        key="b", count=5, observed_ms=90, ratio=9, enough_events=False, **common
    )
    assert score([many, few]).overall == 100


@pytest.mark.parametrize("scenario", sorted(FAULTS))
def test_faulty_scenarios_score_lower_in_their_component(
    scenario: str, dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    component = FAULTS[scenario]
    healthy = score(compare(dataset("healthy", 2), healthy_baseline))
    faulty = score(compare(dataset(scenario), healthy_baseline))
    assert _component(faulty, component) < _component(healthy, component)
    assert faulty.overall is not None and healthy.overall is not None
    assert faulty.overall < healthy.overall
