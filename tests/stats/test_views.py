"""Top talkers, grouped errors, percentile samples and comparisons."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import UsageError
from advisor.ingest.load import Dataset, load
from advisor.ingest.sources import open_inputs
from advisor.stats.aggregate import key_stats
from advisor.stats.compare import Comparison, common_kinds, ratio
from advisor.stats.views import errors, percentile_samples, top
from tests.conftest import write_lines


def rails(tmp_path: Path) -> Dataset:
    def req(second: int, key: str, dur: float, db: float, user: str, status: int = 200):
        controller, action = key.split("#")
        line = {
            "time": f"2024-05-01T12:00:{second:02d}Z",
            "controller": controller,
            "action": action,
            "duration_s": dur,
            "db_duration_s": db,
            "status": status,
            "meta.user": user,
            "meta.project": "acme/app",
            "path": f"/{action}",
            "correlation_id": f"c{second}",
        }
        if status >= 500:
            line["exception.class"] = "Timeout"
            line["exception.message"] = "took too long\nsecond line"
            line["exception.backtrace"] = ["a.rb:1", "b.rb:2"]
        return line

    log = write_lines(
        tmp_path / "production_json.log",
        [
            req(1, "A#x", 1.0, 0.5, "ann"),
            req(2, "A#x", 2.0, 0.5, "bob"),
            req(3, "B#y", 4.0, 3.0, "bob", 500),
            req(4, "B#y", 3.0, 1.0, "bob", 503),
        ],
    )
    with open_inputs([str(log)]) as inputs:
        return load(inputs)


def test_top_users_by_duration_with_totals(tmp_path: Path) -> None:
    tables = {t.dimension: t for t in top(rails(tmp_path), "production", "duration")}
    users = tables["user"]
    assert users.measures[0] == "duration"
    assert [(v, c, sums[0]) for v, c, sums in users.rows] == [
        ("bob", 3, 9000.0),
        ("ann", 1, 1000.0),
    ]
    assert (users.total_count, users.totals[0]) == (4, 10000.0)
    db = users.measures.index("db")
    assert users.rows[0][2][db] == 4500.0
    fail = users.measures.index("fail")
    assert users.totals[fail] == 2


def test_top_refuses_measures_a_kind_lacks(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="'disk-read' does not apply to production"):
        top(rails(tmp_path), "production", "disk-read")


def test_errors_grouped_with_backtrace_and_last_events(tmp_path: Path) -> None:
    (group,) = errors(rails(tmp_path), "production", last=1)
    assert (group.error, group.message, group.count) == ("Timeout", "took too long", 2)
    assert group.backtrace == '["a.rb:1","b.rb:2"]'
    assert [(e.correlation_id, e.key) for e in group.last_events] == [("c4", "B#y")]


def test_percentile_samples_pick_the_closest_event(tmp_path: Path) -> None:
    samples = percentile_samples(rails(tmp_path), "production", ["A#x"])
    # A#x has 1000 and 2000 ms: P99 = 1990 -> 2000 (c2); median 1500 ties -> either.
    assert [(s.percentile, s.correlation_id) for s in samples][:2] == [
        ("P99", "c2"),
        ("P95", "c2"),
    ]


def test_comparison_ratios(tmp_path: Path) -> None:
    a = key_stats(rails(tmp_path / "a"), "production")
    b = key_stats(rails(tmp_path / "b"), "production")
    for row in b.rows:
        row.p99 *= 2
    comparison = Comparison("production", "a", "b", a, b)
    data = comparison.as_dict()
    assert [r["ratios"]["p99"] for r in data["rows"]] == [2.0, 2.0]
    headers, rows = comparison.table_rows()
    assert headers[:4] == ["CONTROLLER", "COUNT_A", "COUNT_B", "COUNT_x"]
    assert rows[0][6] == "2.00x"
    assert ratio(0, 5) is None


def test_comparing_different_kinds_is_refused() -> None:
    with pytest.raises(UsageError, match="logs of different kinds cannot be compared"):
        common_kinds(["gitaly"], ["sidekiq"], "a", "b", None)
    assert common_kinds(["gitaly", "api"], ["api"], "a", "b", None) == ["api"]
