"""Per-key statistics against values worked out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from advisor.ingest.load import Dataset, load
from advisor.ingest.sources import open_inputs
from advisor.stats.aggregate import (
    KeyStats,
    KindTable,
    bucketed_stats,
    key_stats,
    summary_aggregates,
)
from advisor.stats.window import Window
from tests.conftest import write_lines


def gitaly_log(path: Path, calls: list[tuple[str, str, float, str]]) -> Path:
    """Writes Gitaly RPC lines from (time, method, ms, code)."""
    return write_lines(
        path,
        [
            {
                "time": t,
                "grpc.method": m,
                "grpc.time_ms": ms,
                "grpc.code": code,
                "command.cpu_time_ms": ms / 2,
            }
            for t, m, ms, code in calls
        ],
    )


# FindCommit: 10, 20, 30, 40, 50 ms over 40 s; one ResourceExhausted, one Canceled.
CALLS = [
    ("2024-05-01T12:00:00Z", "FindCommit", 10, "OK"),
    ("2024-05-01T12:00:10Z", "FindCommit", 20, "OK"),
    ("2024-05-01T12:00:20Z", "FindCommit", 30, "ResourceExhausted"),
    ("2024-05-01T12:00:30Z", "FindCommit", 40, "OK"),
    ("2024-05-01T12:00:40Z", "FindCommit", 50, "Canceled"),
    ("2024-05-01T12:00:40Z", "TreeEntries", 7, "OK"),
]


def dataset(tmp_path: Path) -> Dataset:
    log = gitaly_log(tmp_path / "current", CALLS)
    with open_inputs([str(log)]) as inputs:
        return load(inputs)


def test_fast_stats_columns_by_hand(tmp_path: Path) -> None:
    table = key_stats(dataset(tmp_path), "gitaly")
    rows = {row.key: row for row in table.rows}
    find = rows["FindCommit"]
    # Sorted 10..50, n=5. Linear interpolation: rank h = (n-1)q.
    # P99: h=3.96 -> 40 + 0.96*10 = 49.6; P95: h=3.8 -> 48; median: h=2 -> 30.
    assert (find.count, find.p99, find.p95, find.median) == (5, 49.6, 48.0, 30.0)
    assert (find.max, find.min) == (50, 10)
    # Population stddev of 10..50: sqrt(((20)^2+10^2+0+10^2+20^2)/5) = sqrt(200).
    assert find.stddev == pytest.approx(200**0.5)
    assert find.score == pytest.approx(5 * 49.6)
    # ResourceExhausted fails; Canceled is counted apart.
    assert (find.failed, find.fail_pct, find.cancelled, find.cancel_pct) == (
        1,
        20.0,
        1,
        20.0,
    )
    # The span of the whole input is 40 s (12:00:00 to 12:00:40).
    assert table.span_s == 40.0
    assert find.rps == pytest.approx(5 / 40)
    assert rows["TreeEntries"].rps == pytest.approx(1 / 40)
    cpu = find.components["cpu"]
    assert (cpu.total, cpu.mean, cpu.p95) == (75.0, 15.0, 24.0)


def test_single_event_and_zero_span(tmp_path: Path) -> None:
    log = gitaly_log(tmp_path / "current", [("2024-05-01T12:00:00Z", "M", 3, "OK")])
    with open_inputs([str(log)]) as inputs:
        table = key_stats(load(inputs), "gitaly")
    (row,) = table.rows
    assert (row.p99, row.p95, row.median, row.stddev) == (3.0, 3.0, 3.0, 0.0)
    assert row.rps is None
    assert table.span_s == 0.0


def test_window_and_search(tmp_path: Path) -> None:
    data = dataset(tmp_path)
    window = Window(
        since=datetime(2024, 5, 1, 12, 0, 10), until=datetime(2024, 5, 1, 12, 0, 40)
    )
    table = key_stats(data, "gitaly", window, search="findCOMMIT")
    (row,) = table.rows
    assert (row.key, row.count, row.median) == ("FindCommit", 3, 30.0)
    assert (table.span_s, table.events) == (20.0, 3)


def test_buckets_use_their_observed_span(tmp_path: Path) -> None:
    tables = bucketed_stats(dataset(tmp_path), "gitaly", timedelta(seconds=30))
    assert [t.bucket_start for t in tables] == [
        datetime(2024, 5, 1, 12, 0, 0),
        datetime(2024, 5, 1, 12, 0, 30),
    ]
    first, second = tables
    assert {r.key: r.count for r in first.rows} == {"FindCommit": 3}
    assert {r.key: r.count for r in second.rows} == {"FindCommit": 2, "TreeEntries": 1}
    # First bucket: events from 12:00:00, bucket ends 12:00:30 -> 30 s observed.
    # Second: bucket starts 12:00:30, last event 12:00:40 -> 10 s observed.
    assert (first.span_s, second.span_s) == (30.0, 10.0)
    assert second.rows[0].rps == pytest.approx(second.rows[0].count / 10)


def skipping_log(path: Path) -> Path:
    """The six calls of CALLS and four skipped lines."""
    gitaly_log(path, CALLS)
    extra = [
        '{"time": "2024-05-01T12:00:05Z", "msg": "starting"}',
        '{"time": "2024-05-01T12:00:06Z", "grpc.method": "X", "grpc.code": "OK", '
        '"grpc.time_ms": -4}',
        '{"time": "2024-05-01T12:00:07Z", "grpc.method": "X", "grpc.code": "OK", '
        '"grpc.time_ms": "slow"}',
        "not json at all",
    ]
    with open(path, "a") as sink:
        sink.write("\n".join(extra) + "\n")
    return path


def by_key(table: KindTable) -> dict[str, KeyStats]:
    return {row.key: row for row in table.rows}


def test_summary_while_reading_matches_the_table(tmp_path: Path) -> None:
    log = skipping_log(tmp_path / "current")
    with open_inputs([str(log)]) as inputs:
        plain = load(inputs)
        expected = key_stats(plain, "gitaly")
    with open_inputs([str(log)]) as inputs:
        data = load(inputs, summarize=summary_aggregates)
        table = key_stats(data, "gitaly")
        data.require("gitaly")  # checking that a kind is there reads nothing
        # One scan gave the rows and the counts: the table was never filled.
        assert list(data.summaries) == list(data.pending) == ["gitaly"]
        assert data.con.execute("SHOW TABLES").fetchall() == []
        assert by_key(table) == by_key(expected)
        assert by_key(table)["FindCommit"].p99 == 49.6
        assert (table.first, table.last, table.events) == (
            expected.first,
            expected.last,
            6,
        )
        (report,) = data.files
        assert (report.lines, report.events) == (10, 6)
        assert report.skipped == plain.files[0].skipped
        assert dict(report.skipped) == {
            "not an RPC completion line": 1,
            "duration negative": 1,
            "duration not a number": 1,
            "not JSON, or no known field": 1,
        }
        # A query that needs the events fills the table once, counting nothing twice.
        windowed = key_stats(data, "gitaly", search="tree")
        assert [(r.key, r.count) for r in windowed.rows] == [("TreeEntries", 1)]
        assert data.pending == {}
        events = data.con.execute("SELECT count(*) FROM events_gitaly").fetchone()
        assert events == (6,)
        assert (report.lines, report.events) == (10, 6)


def test_a_kind_in_two_files_is_read_into_a_table(tmp_path: Path) -> None:
    # Percentiles of two files cannot be merged, so rotated pieces share a table.
    older = gitaly_log(
        tmp_path / "@400000006632285c00000000.s",
        [
            ("2024-05-01T11:59:00Z", "FindCommit", 60, "OK"),
        ],
    )
    skipping_log(tmp_path / "current")
    with open_inputs([str(older), str(tmp_path / "current")]) as inputs:
        data = load(inputs, summarize=summary_aggregates)
        assert data.summaries == {} and data.pending == {}
        find = by_key(key_stats(data, "gitaly"))["FindCommit"]
    # 10, 20, 30, 40, 50, 60: P99 rank 4.95 -> 50 + 0.95 * 10.
    assert (find.count, find.p99, find.median) == (6, pytest.approx(59.5), 35.0)
