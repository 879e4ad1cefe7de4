"""Load or fault: naming a component's pattern from per-minute load and latency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from advisor.compare import compare, load_patterns
from advisor.compare.load_pattern import classify
from advisor.compare.models import KeyComparison

START = datetime(2024, 5, 7, 12, 0)


def _minutes(
    counts: list[int], latency: list[float]
) -> list[tuple[datetime, int, float]]:
    return [
        (START + timedelta(minutes=i), n, p)
        for i, (n, p) in enumerate(zip(counts, latency, strict=True))
    ]


def test_latency_that_follows_load_is_load_induced() -> None:
    counts = list(range(10, 40))
    result = classify("api", _minutes(counts, [5.0 * n for n in counts]))
    assert result.pattern == "load-induced"
    assert result.rho == 1 and result.p_value is not None and result.p_value < 0.01
    assert (result.high_load_ms or 0) > 2 * (result.low_load_ms or 0)


def test_rare_slow_minutes_are_intermittent_spikes_with_times() -> None:
    latency = [100.0 + (i % 3) for i in range(30)]
    latency[10] = latency[20] = 900.0
    result = classify("web", _minutes([50 + i % 5 for i in range(30)], latency))
    assert result.pattern == "intermittent"
    assert result.spikes == [
        START + timedelta(minutes=10),
        START + timedelta(minutes=20),
    ]


def test_flat_latency_is_constant_only_when_slower_than_baseline() -> None:
    minutes = _minutes(
        [50 + i % 7 for i in range(30)], [200.0 + i % 4 for i in range(30)]
    )
    slow = KeyComparison(
        kind="gitaly", key="FindCommit", component="gitaly", count=500,
        observed_ms=50, baseline_ms=5, ratio=10, ci_low=9, ci_high=11, significant=True,
    )  # fmt: skip
    assert classify("gitaly", minutes, [slow]).pattern == "constant"
    assert classify("gitaly", minutes, []).pattern == "none"
    assert classify("gitaly", minutes[:5]).pattern == "unknown"


def test_simulated_faults_get_their_patterns(dataset: Callable[..., Any]) -> None:
    healthy = {p.component: p.pattern for p in load_patterns(dataset("healthy"))}
    assert set(healthy.values()) == {"none"}
    redis = {p.component: p for p in load_patterns(dataset("redis-latency"))}
    assert redis["api"].pattern == "intermittent" and redis["api"].spikes
    storage = dataset("slow-storage")
    from .conftest import recorded

    rows = compare(storage, recorded(dataset("healthy")))
    patterns = {p.component: p.pattern for p in load_patterns(storage, rows)}
    assert patterns["gitaly"] == "constant"
