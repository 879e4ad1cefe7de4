"""The stats command end to end: formats, options, subviews and bad input."""

from __future__ import annotations

import csv
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_lines

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gitaly(tmp_path: Path) -> Path:
    lines = []
    for minute in range(3):
        for index, method in enumerate(["FindCommit", "FindCommit", "TreeEntries"]):
            lines.append(
                {
                    "time": f"2024-05-01T12:0{minute}:{10 * index:02d}Z",
                    "grpc.method": method,
                    "grpc.code": "OK" if minute < 2 else "Internal",
                    "grpc.time_ms": 10.0 * (minute + 1) * (index + 1),
                    "correlation_id": f"c{minute}{index}",
                    "grpc.request.glProjectPath": "acme/app",
                    "grpc.meta.client_name": "gitlab-web",
                    "error": "boom" if minute == 2 else None,
                }
            )
    return write_lines(tmp_path / "var/log/gitlab/gitaly/current", lines)


def test_text_table_is_aligned(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli("stats", str(gitaly))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Gitaly RPCs (gitaly/current): 9 events, ")
    assert lines[0].endswith("(span 140 s)")
    header = lines[1].split()
    assert header == [
        "METHOD",
        "COUNT",
        "RPS",
        "P99_ms",
        "P95_ms",
        "MEDIAN_ms",
        "MAX_ms",
        "MIN_ms",
        "STDDEV",
        "SCORE",
        "%FAIL",
        "%CANCEL",
    ]
    assert lines[2].split()[:2] == ["FindCommit", "6"]
    assert len(lines[1]) == len(lines[2].rstrip()) or lines[2].index("6") < len(
        lines[1]
    )
    assert "\x1b[" not in out


def test_sort_limit_search_fields(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli(
        "stats",
        str(gitaly),
        "--sort-by",
        "max",
        "--limit",
        "1",
        "--fields",
        "count,max",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["kind", "bucket_start", "key", "count", "max"],
        ["gitaly", "", "TreeEntries", "3", "90.0"],
    ]
    code, out, _ = cli("stats", str(gitaly), "--search", "tree", "--format", "json")
    (table,) = json.loads(out)["tables"]
    assert [row["key"] for row in table["rows"]] == ["TreeEntries"]


def test_interval_json_is_one_document(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli("stats", str(gitaly), "--interval", "1m", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["interval_s"] == 60
    starts = [t["bucket_start"] for t in document["tables"]]
    assert starts == [
        "2024-05-01T12:00:00.000Z",
        "2024-05-01T12:01:00.000Z",
        "2024-05-01T12:02:00.000Z",
    ]
    assert [t["events"] for t in document["tables"]] == [3, 3, 3]
    assert document["tables"][2]["rows"][0]["fail_pct"] == 100.0


def test_markdown_and_verbose(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli("stats", str(gitaly), "--format", "md", "--verbose")
    assert code == 0
    assert "| METHOD | COUNT | RPS |" in out
    assert "#### Events at the percentiles" in out
    # TreeEntries durations 30, 60, 90: P99 sample is the 90 ms event, id c22.
    assert "| TreeEntries | P99 | 90.00 | 2024-05-01T12:02:20.000Z | c22 |" in out


def test_since_until(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli(
        "stats",
        str(gitaly),
        "--since",
        "2024-05-01T12:01:00Z",
        "--until",
        "2024-05-01T12:02:00",
        "--format",
        "json",
    )
    (table,) = json.loads(out)["tables"]
    assert table["events"] == 3


def test_whole_input_tables_match_the_windowed_path(cli: Cli, gitaly: Path) -> None:
    # Plain stats are computed while reading; a window covering everything goes
    # through the events table. Both must print the same document.
    _, plain, _ = cli("stats", str(gitaly), "--format", "json")
    _, windowed, _ = cli(
        "stats", str(gitaly), "--since", "2024-05-01", "--format", "json"
    )
    assert json.loads(plain) == json.loads(windowed)
    (table,) = json.loads(plain)["tables"]
    rows = {row["key"]: row for row in table["rows"]}
    # FindCommit: 10, 20, 20, 30, 40, 60 ms sorted -> median (20 + 30) / 2 = 25.
    assert (rows["FindCommit"]["count"], rows["FindCommit"]["median_ms"]) == (6, 25.0)
    assert rows["FindCommit"]["failed"] == 2


def test_compare_side_by_side(cli: Cli, gitaly: Path, tmp_path: Path) -> None:
    faster = write_lines(
        tmp_path / "other.log",
        [
            {
                "time": "2024-05-01T13:00:00Z",
                "grpc.method": "FindCommit",
                "grpc.code": "OK",
                "grpc.time_ms": 5.0,
            }
        ],
    )
    code, out, _ = cli(
        "stats", str(faster), "--compare", str(gitaly), "--format", "json"
    )
    assert code == 0
    (comparison,) = json.loads(out)
    find = [r for r in comparison["rows"] if r["key"] == "FindCommit"][0]
    # B (gitaly fixture) FindCommit: 10,20,20,40,30,60 -> median 25; A: 5.
    assert find["ratios"]["median"] == pytest.approx(5.0)


def test_compare_refuses_different_kinds(
    cli: Cli, gitaly: Path, tmp_path: Path
) -> None:
    sidekiq = write_lines(
        tmp_path / "s.log",
        [
            {
                "time": "2024-05-01T13:00:00Z",
                "class": "W",
                "job_status": "done",
                "duration_s": 1,
            }
        ],
    )
    code, out, err = cli("stats", str(gitaly), "--compare", str(sidekiq))
    assert code == 2
    assert "logs of different kinds cannot be compared" in err
    assert out == ""


def test_top_and_errors(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli("stats", "top", str(gitaly), "--display", "perc")
    assert code == 0
    assert "Top 1 projects by duration" in out
    assert "acme/app" in out and "100.0%" in out
    code, out, _ = cli("stats", "errors", str(gitaly), "--format", "json")
    (group,) = json.loads(out)
    assert (group["error"], group["message"], group["count"]) == ("Internal", "boom", 3)
    assert [e["correlation_id"] for e in group["last_events"]] == ["c22", "c21", "c20"]


def test_stdin(cli: Cli, gitaly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gitaly.read_bytes())))
    code, out, _ = cli("stats", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["tables"][0]["events"] == 9
    code, _, err = cli("stats", "-", "--compare", "-")
    assert code == 2
    assert "- was given on both sides of --compare" in err


def test_gitlabsos_archive(cli: Cli, gitaly: Path, tmp_path: Path) -> None:
    archive = tmp_path / "gitlabsos.node1.20240501120000_gitaly.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(gitaly, arcname="gitlabsos.node1/var/log/gitlab/gitaly/current")
    code, out, _ = cli("stats", str(archive), "--format", "json")
    assert code == 0
    (report,) = json.loads(out)["inputs"]
    assert report["node"] == "node1"
    assert report["file"] == f"{archive}/var/log/gitlab/gitaly/current"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.log", "missing.log: no such file or folder"),
        (
            lambda p: write_lines(p / "notes.txt", ["hi"]),
            "notes.txt: no line of a known",
        ),
        (lambda p: write_lines(p / "empty.log", []), "empty.log: the file is empty"),
        (
            lambda p: (
                (p / "bad.tar.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
                and p / "bad.tar.gz"
            ),
            "bad.tar.gz: cannot read the archive",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    code, out, err = cli("stats", str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sort-by", "p9"], "--sort-by 'p9' is not a column. Did you mean 'p99'?"),
        (["--fields", "count,scroe"], "Did you mean 'score'?"),
        (["--interval", "5 minutes"], "--interval '5 minutes' is not a length of time"),
        (["--since", "last tuesday"], "--since 'last tuesday' is not a date or time"),
        (["--kind", "sidekiq"], "no sidekiq log among the inputs"),
    ],
)
def test_bad_options(cli: Cli, gitaly: Path, args: list[str], message: str) -> None:
    code, _, err = cli("stats", str(gitaly), *args)
    assert code == 2
    assert message in err


def test_error_logs_alone_point_to_stats_errors(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "exceptions_json.log",
        [{"time": "2024-05-01T12:00:00Z", "exception.class": "NoMethodError"}],
    )
    for command in (["stats"], ["stats", "top"]):
        code, out, err = cli(*command, str(log))
        assert (code, out) == (2, "")
        assert "hold only exceptions logs" in err
        assert "Use 'advisor stats errors'" in err


def test_no_event_in_the_window_gives_null_times(cli: Cli, gitaly: Path) -> None:
    code, out, _ = cli(
        "stats", str(gitaly), "--until", "1999-01-01", "--format", "json"
    )
    (table,) = json.loads(out)["tables"]
    assert (code, table["events"], table["span_s"]) == (0, 0, None)
    assert (table["first_event"], table["last_event"]) == (None, None)


def test_file_names_print_on_one_line(cli: Cli, gitaly: Path, tmp_path: Path) -> None:
    odd = tmp_path / "gitaly\nFAKE: 0 lines"
    odd.write_bytes(gitaly.read_bytes())
    code, out, _ = cli("stats", str(odd))
    (line,) = [line for line in out.splitlines() if "FAKE" in line]
    assert code == 0
    assert "gitaly\\x0aFAKE: 0 lines: gitaly (json), 9 lines, 9 events" in line
