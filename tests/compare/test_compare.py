"""Comparison of simulated archives with recorded and target baselines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.compare import compare
from advisor.compare.baseline import RecordedBaseline, load_baseline
from advisor.compare.compare import MARGIN, min_events, ranked
from advisor.compare.models import KeyComparison


def _top(rows: list[KeyComparison], n: int) -> list[KeyComparison]:
    return [row for row in rows if ranked(row)][:n]


def test_slow_storage_names_gitaly_keys_first(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("slow-storage"), healthy_baseline)
    top = _top(rows, 5)
    assert sum(row.component == "gitaly" for row in top) >= 3
    assert rows[0].component in ("gitaly", "git")  # git: SSH clones wait on Gitaly
    for row in top:
        assert row.significant and row.ci_low is not None and row.ci_low > 1 + MARGIN


def test_sidekiq_backlog_names_sidekiq_queue_first(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("sidekiq-backlog"), healthy_baseline)
    for row in _top(rows, 5):
        assert (row.component, row.metric) == ("sidekiq", "queue")
        assert row.ci_low is not None and row.ci_low > 1


def test_db_missing_statistics_ranks_database_time(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("db-missing-statistics"), healthy_baseline)
    database = [row for row in _top(rows, 6) if row.component == "database"]
    assert database and all(row.ratio and row.ratio > 5 for row in database)


def test_two_healthy_seeds_differ_nowhere(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("healthy", 2), healthy_baseline)
    assert sum(ranked(row) for row in rows) > 50
    assert [row.key for row in rows if row.significant] == []


def test_sorted_by_time_lost_with_unranked_last(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    rows = compare(dataset("slow-storage"), healthy_baseline)
    flags = [ranked(row) for row in rows]
    assert flags == sorted(flags, reverse=True)
    slow = [row for row in rows if ranked(row) and row.significant and row.ratio > 1]
    lost = [row.time_lost_s for row in slow]
    assert lost == sorted(lost, reverse=True)
    few = [row for row in rows if row.count < min_events("p95")]
    assert few and all(not row.enough_events and row.ci_low is None for row in few)


def test_same_input_same_intervals(
    dataset: Callable[..., Any], healthy_baseline: RecordedBaseline
) -> None:
    first = compare(dataset("slow-storage"), healthy_baseline)
    second = compare(dataset("slow-storage"), healthy_baseline)
    assert [r.model_dump() for r in first] == [r.model_dump() for r in second]


def test_targets_are_thresholds_with_observed_side_intervals(
    dataset: Callable[..., Any],
) -> None:
    rows = compare(dataset("healthy"), load_baseline("gitlab-targets"))
    web = next(row for row in rows if row.key == "ProjectsController#show")
    assert web.threshold and web.baseline_ms == 1000 and web.baseline_count is None
    assert web.ratio == web.observed_ms / 1000
    assert web.ci_low is not None and web.ci_low <= web.ratio <= (web.ci_high or 0)
    blame = next(row for row in rows if row.key == "Projects::BlameController#show")
    assert blame.baseline_ms == 5000  # low urgency
    queue = next(r for r in rows if r.kind == "sidekiq" and r.metric == "queue")
    assert queue.baseline_ms in (10000, 60000)


def test_published_gpt_results_compare_on_p90(dataset: Callable[..., Any]) -> None:
    rows = compare(dataset("healthy"), load_baseline("gpt-10k"))
    matched = [row for row in rows if row.baseline_ms is not None]
    assert matched and all(row.percentile == "p90" for row in matched)
    user = next(row for row in matched if row.key == "/api/:version/user")
    assert user.baseline_ms == 41
