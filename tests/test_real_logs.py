"""The real GitLab samples in shared/data/real, with values worked out by hand.

The expected numbers were computed from the raw files with a few lines of plain Python
(json.loads per line, sorted durations, linear interpolation at rank (n-1)q), not with
the advisor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]


def stats(cli: Cli, *args: str) -> dict:
    code, out, err = cli("stats", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def rows_of(document: dict, kind: str) -> dict[str, dict]:
    (table,) = [t for t in document["tables"] if t["kind"] == kind]
    return {row["key"]: row for row in table["rows"]}


def test_gitaly_14_post_upload_pack(cli: Cli, real: Path) -> None:
    document = stats(cli, str(real / "gitlab-14.0/gitaly.log"))
    row = rows_of(document, "gitaly")["PostUploadPack"]
    # 16 durations; sorted, x[13..15] = 838.171, 1277.885, 2464.394; x[7], x[8] =
    # 19.763, 68.174. P99 at rank 14.85: 1277.885 + 0.85 * 1186.509 = 2286.41765.
    assert row["count"] == 16
    assert row["p99_ms"] == pytest.approx(2286.41765)
    assert row["p95_ms"] == pytest.approx(1574.51225)
    assert row["median_ms"] == pytest.approx(43.9685)
    assert (row["max_ms"], row["min_ms"]) == (2464.394, 2.94)
    (table,) = document["tables"]
    assert table["first_event"] == "2021-06-30T16:04:00.181Z"
    assert table["last_event"] == "2021-06-30T17:25:53.352Z"
    assert table["events"] == 508
    (report,) = document["inputs"]
    assert report["events"] == 508
    # 176 JSON lines and the 4 logfmt lines Gitaly writes as it starts.
    assert report["skipped"] == {"not an RPC completion line": 180}


def test_gitaly_14_only_failure_is_tree_entry_not_found(cli: Cli, real: Path) -> None:
    rows = rows_of(stats(cli, str(real / "gitlab-14.0/gitaly.log")), "gitaly")
    failing = {key: row["failed"] for key, row in rows.items() if row["failed"]}
    assert failing == {"TreeEntry": 1}


def test_legacy_millisecond_production_log(cli: Cli, real: Path) -> None:
    document = stats(cli, str(real / "gitlab-11.9/legacy_ms_production.log"))
    row = rows_of(document, "production")["Projects::MergeRequestsController#show"]
    assert row["count"] == 24
    assert row["p99_ms"] == pytest.approx(6670.8679)
    assert row["median_ms"] == pytest.approx(1485.99)
    assert (row["max_ms"], row["min_ms"]) == (7134.38, 192.64)
    # db is in ms in this schema: 24 values summing to 23871.38.
    assert row["components"]["db"]["total_ms"] == pytest.approx(23871.38)
    assert document["inputs"][0]["skipped"] == {"logger header line": 1}


def test_sidekiq_14_worker_and_text_11(cli: Cli, real: Path) -> None:
    rows = rows_of(stats(cli, str(real / "gitlab-14.0/sidekiq.log")), "sidekiq")
    assert sum(r["count"] for r in rows.values()) == 637
    ppw = rows["PipelineProcessWorker"]
    assert (ppw["count"], ppw["p99_ms"], ppw["median_ms"]) == (
        51,
        pytest.approx(978.5165),
        pytest.approx(109.416),
    )
    text = rows_of(stats(cli, str(real / "gitlab-11.9/sidekiq_text.log")), "sidekiq")
    # grep -c "INFO: done" gives 198 and no "fail:" lines.
    assert sum(r["count"] for r in text.values()) == 198
    assert sum(r["failed"] for r in text.values()) == 0


def test_panther_lines_without_controller_keep_their_path(cli: Cli, real: Path) -> None:
    document = stats(cli, str(real / "panther-test-instance_production_json.log"))
    (table,) = document["tables"]
    # 782 lines, all at one timestamp: a zero span gives no RPS.
    assert table["events"] == 782
    assert table["span_s"] == 0
    assert all(row["rps"] is None for row in table["rows"])


def test_whole_folder_reads_every_kind(cli: Cli, real: Path) -> None:
    document = stats(cli, str(real))
    kinds = [table["kind"] for table in document["tables"]]
    assert kinds == ["production", "api", "gitaly", "sidekiq", "workhorse", "shell"]
    ignored = sorted(
        Path(r["file"]).name for r in document["inputs"] if r["kind"] is None
    )
    assert ignored == ["README.md", "nginx_access.log", "nginx_access.log"]
    gitaly_text = [
        r for r in document["inputs"] if r["file"].endswith("gitaly_text.log")
    ]
    # grep -c "grpc.code=" gives 976 RPC lines out of 1,053.
    assert (gitaly_text[0]["events"], gitaly_text[0]["lines"]) == (976, 1053)
