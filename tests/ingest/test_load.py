"""Loading logs into event tables: units, skips by reason, compression, text formats."""

from __future__ import annotations

import bz2
import gzip
import tempfile
from pathlib import Path
from typing import Any

import pytest

from advisor.errors import LogFormatError
from advisor.ingest.load import Dataset, load
from advisor.ingest.sources import open_inputs
from advisor.stats.aggregate import key_stats, summary_aggregates
from tests.conftest import write_lines

T = "2024-05-01T12:00:0{}.000Z"


def events(paths: list[Path], detail: bool = True) -> Dataset:
    """Loads paths; the dataset stays usable because DuckDB holds the rows."""
    with open_inputs([str(p) for p in paths]) as inputs:
        return load(inputs, detail=detail)


def rows(dataset: Dataset, kind: str, columns: str) -> list[tuple[Any, ...]]:
    return dataset.con.execute(
        f"SELECT {columns} FROM {dataset.table(kind)} ORDER BY time, key"
    ).fetchall()


def test_seconds_and_legacy_millisecond_rails_keys(tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "production_json.log",
        [
            {
                "time": T.format(1),
                "controller": "A",
                "action": "new",
                "status": 200,
                "duration_s": 0.63,
                "db_duration_s": 0.09,
                "view_duration_s": 0.22,
                "queue_duration_s": 0.01,
                "cpu_s": 0.41,
            },
            {
                "time": T.format(2),
                "controller": "B",
                "action": "old",
                "status": 500,
                "duration": 812.4,
                "db": 95.2,
                "view": 410.7,
                "queue_duration": 7.68,
            },
        ],
    )
    got = rows(
        events([log]),
        "production",
        "key, duration_ms, db_ms, view_ms, queue_ms, failed",
    )
    assert got == [
        (
            "A#new",
            pytest.approx(630.0),
            pytest.approx(90.0),
            pytest.approx(220.0),
            pytest.approx(10.0),
            False,
        ),
        ("B#old", 812.4, 95.2, 410.7, 7.68, True),
    ]


def test_sidekiq_legacy_duration_is_seconds(tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "current",
        [
            {"time": T.format(1), "class": "W", "job_status": "start", "jid": "1"},
            {
                "time": T.format(2),
                "class": "W",
                "job_status": "done",
                "jid": "1",
                "duration": 2.5,
                "db_duration": 120.0,
            },
            {
                "time": T.format(3),
                "class": "W",
                "job_status": "fail",
                "jid": "2",
                "duration_s": 0.5,
                "scheduling_latency_s": 1.27,
            },
        ],
    )
    dataset = events([log])
    assert rows(dataset, "sidekiq", "duration_ms, db_ms, queue_ms, failed") == [
        (2500.0, 120.0, None, False),
        (500.0, None, 1270.0, True),
    ]
    (report,) = dataset.files
    assert dict(report.skipped) == {
        "not a job completion line (start or other message)": 1
    }


@pytest.mark.parametrize("detail", [True, False])
def test_bad_lines_are_counted_per_reason(tmp_path: Path, detail: bool) -> None:
    # The reasons are the same whether a run reads identifiers (detail) or not.
    good = {"time": T.format(1), "controller": "A", "action": "b", "duration_s": 1}
    log = write_lines(
        tmp_path / "production_json.log",
        [
            'ler":"X","duration_s":1}',
            good,
            "this is not json",
            {**good, "duration_s": "slow"},
            {**good, "duration_s": None},
            {**good, "time": "yesterday"},
            {"time": T.format(2), "action": "b", "duration_s": 1, "path": None},
            {**good, "extra": {"nested": [1, 2]}, "user_id": None},
            {"correlation_id": "abc", "ua": "curl"},
            "",
        ],
    )
    dataset = events([log], detail=detail)
    (report,) = dataset.files
    assert report.events == 2
    assert report.lines == 9
    assert dict(report.skipped) == {
        "truncated first line (archive tail)": 1,
        "not JSON, or no known field": 2,
        "duration not a number": 1,
        "duration missing or null": 1,
        "time missing or unparseable": 1,
        "no key field": 1,
    }


def test_gitaly_codes_and_cancellations(tmp_path: Path) -> None:
    def rpc(code: str, ms: float) -> dict[str, Any]:
        return {
            "time": T.format(1),
            "grpc.method": "FindCommit",
            "grpc.code": code,
            "grpc.time_ms": ms,
            "msg": f"finished unary call with code {code}",
        }

    log = write_lines(
        tmp_path / "current",
        [
            rpc("OK", 1),
            rpc("Canceled", 2),
            rpc("ResourceExhausted", 3),
            {"time": T.format(2), "msg": "Starting Gitaly", "level": "info"},
        ],
    )
    dataset = events([log])
    assert sorted(rows(dataset, "gitaly", "status, failed, cancelled")) == [
        ("Canceled", False, True),
        ("OK", False, False),
        ("ResourceExhausted", True, False),
    ]
    assert dict(dataset.files[0].skipped) == {"not an RPC completion line": 1}


def test_helm_stream_is_split_by_subcomponent(tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "webservice.log",
        [
            {
                "subcomponent": "production_json",
                "time": T.format(1),
                "controller": "A",
                "action": "b",
                "duration_s": 1,
            },
            {
                "subcomponent": "api_json",
                "time": T.format(2),
                "route": "/api/x",
                "duration_s": 2,
            },
            {"subcomponent": "application_json", "time": T.format(3), "message": "hi"},
            {"time": T.format(4), "msg": "workhorse line"},
        ],
    )
    dataset = events([log])
    assert rows(dataset, "production", "key, duration_ms") == [("A#b", 1000.0)]
    assert rows(dataset, "api", "key, duration_ms") == [("/api/x", 2000.0)]
    assert rows(dataset, "application", "key, failed") == [("hi", False)]
    assert dataset.files[0].skipped["other subcomponent, or no subcomponent"] == 1


def test_compressed_and_rotated_pieces(tmp_path: Path) -> None:
    def rpc(second: int) -> dict[str, Any]:
        return {
            "time": T.format(second),
            "grpc.method": "M",
            "grpc.code": "OK",
            "grpc.time_ms": second,
        }

    folder = tmp_path / "var/log/gitlab/gitaly"
    write_lines(folder / "@40000000624492fa18da6f34.s", [rpc(1)], compress=True)
    write_lines(folder / "current", [rpc(3)])
    (folder / "@40000000624492fa18da6f35.u").write_bytes(bz2.compress(b""))
    rotated = write_lines(tmp_path / "var/log/gitlab/x/sidekiq.log.2", [])
    rotated.write_bytes(
        bz2.compress(
            b'{"time":"2024-05-01T12:00:02Z","class":"W","job_status":"done",'
            b'"duration_s":1}\n'
        )
    )
    dataset = events([tmp_path])
    assert rows(dataset, "gitaly", "duration_ms") == [(1.0,), (3.0,)]
    assert rows(dataset, "sidekiq", "duration_ms") == [(1000.0,)]


def test_text_formats(tmp_path: Path) -> None:
    gitaly = write_lines(
        tmp_path / "gitaly/current",
        [
            '2019-03-30_05:27:21.45481 time="2019-03-30T05:27:21Z" level=info '
            'msg="finished unary call with code OK" correlation_id=abc grpc.code=OK '
            "grpc.meta.client_name=gitlab-web grpc.method=NamespaceExists grpc.time_ms=2.538",
            '2019-03-30_05:21:11.25635 time="2019-03-30T05:21:11Z" level=info msg="listening"',
        ],
    )
    sidekiq = write_lines(
        tmp_path / "sidekiq/current",
        [
            "2019-03-30_05:25:52.87112 2019-03-30T05:25:52.870Z 1304 TID-orvka3o7s "
            "ActionMailer::DeliveryJob JID-d1d3c38ae01341c86586405d INFO: done: 1.369 sec",
            "2019-03-30_05:25:53.00000 2019-03-30T05:25:52.990Z 1304 TID-orvka3o7s "
            "PostReceive JID-d1d3c38ae01341c86586405e INFO: fail: 0.5 sec",
            "2019-03-30_05:25:53.10000 2019-03-30T05:25:53.000Z 1304 TID-orvka3o7s "
            "PostReceive JID-x INFO: start",
        ],
    )
    workhorse = write_lines(
        tmp_path / "gitlab-workhorse/current",
        [
            "2019-03-30_05:23:46.29254 localhost 127.0.0.1:0 - - [2019/03/30:05:23:46 +0000] "
            '"GET /root/p/issues/12?x=1 HTTP/1.1" 502 79361 "" "curl/7.59.0-DEV" 1.560',
        ],
    )
    shell = write_lines(
        tmp_path / "gitlab-shell/gitlab-shell.log",
        [
            'time="2019-03-30T05:27:25+00:00" level=info msg="finished HTTP request" '
            'duration=0.8288733 method=POST url="http://127.0.0.1:8080/api/v4/internal/allowed"',
        ],
    )
    postgres = write_lines(
        tmp_path / "postgresql/current",
        [
            "2024-05-01_12:00:12.53311 2024-05-01 12:00:12.533 UTC [48211] LOG:  duration: "
            "2874.118 ms  execute <unnamed>: SELECT * FROM ci_builds WHERE id IN (1, 2, 3) "
            "AND name = 'x'",
            "2024-05-01_12:00:13.00000 2024-05-01 12:00:13.000 UTC [48211] LOG:  checkpoint",
        ],
    )
    dataset = events([gitaly, sidekiq, workhorse, shell, postgres])
    assert rows(dataset, "gitaly", "key, duration_ms, correlation_id, client") == [
        ("NamespaceExists", 2.538, "abc", "gitlab-web")
    ]
    assert rows(dataset, "sidekiq", "key, duration_ms, failed") == [
        ("ActionMailer::DeliveryJob", 1369.0, False),
        ("PostReceive", 500.0, True),
    ]
    assert rows(dataset, "workhorse", "key, duration_ms, failed, path") == [
        ("GET /root/p/issues/:id", 1560.0, True, "/root/p/issues/12")
    ]
    assert rows(dataset, "shell", "key, duration_ms") == [
        ("POST /api/v4/internal/allowed", pytest.approx(828.8733))
    ]
    assert rows(dataset, "postgres", "key, duration_ms, time::VARCHAR") == [
        (
            "SELECT * FROM ci_builds WHERE id IN (...) AND name = ?",
            2874.118,
            "2024-05-01 12:00:12.533",
        )
    ]


def test_a_quote_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Text logs are staged in the private temporary folder, whatever its name.
    odd = tmp_path / "it's [tmp]"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    gitaly = write_lines(
        tmp_path / "gitaly/current",
        [
            'time="2019-03-30T05:27:21Z" level=info msg="finished unary call" '
            "grpc.code=OK grpc.method=NamespaceExists grpc.time_ms=2.538",
        ],
    )
    dataset = events([gitaly])
    assert rows(dataset, "gitaly", "key, duration_ms") == [("NamespaceExists", 2.538)]
    assert list(odd.iterdir()) == []


def test_plain_statistics_skip_identifiers(tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "p.log",
        [
            {
                "time": T.format(1),
                "controller": "A",
                "action": "b",
                "duration_s": 1,
                "correlation_id": "c1",
                "meta.user": "u",
            }
        ],
    )
    plain = events([log], detail=False)
    columns = [
        row[0] for row in plain.con.execute("DESCRIBE events_production").fetchall()
    ]
    assert "correlation_id" not in columns and "user" not in columns
    assert rows(plain, "production", "key, duration_ms") == [("A#b", 1000.0)]
    assert rows(events([log], detail=True), "production", "correlation_id, user") == [
        ("c1", "u")
    ]


def test_explicit_unknown_and_empty_files_are_errors(tmp_path: Path) -> None:
    unknown = write_lines(tmp_path / "notes.txt", ["hello", "world"])
    empty = tmp_path / "empty.log"
    empty.write_text("")
    with pytest.raises(
        LogFormatError, match="notes.txt: no line of a known GitLab log"
    ):
        events([unknown])
    with pytest.raises(LogFormatError, match="empty.log: the file is empty"):
        events([empty])


def test_unknown_files_in_folders_are_reported_not_fatal(tmp_path: Path) -> None:
    write_lines(tmp_path / "notes.txt", ["hello"])
    write_lines(
        tmp_path / "p.log",
        [{"time": T.format(1), "controller": "A", "action": "b", "duration_s": 1}],
    )
    dataset = events([tmp_path])
    assert dataset.kinds == ["production"]
    ignored = [r for r in dataset.files if r.kind is None]
    assert [r.name.rsplit("/", 1)[-1] for r in ignored] == ["notes.txt"]


GITALY_JSON = (
    '{"time":"2024-05-01T12:00:0%d.000Z","grpc.method":"FindCommit",'
    '"grpc.code":"OK","grpc.time_ms":%d}'
)
GITALY_TEXT = (
    'time="2024-05-01T12:00:0%dZ" level=info msg="finished unary call" '
    "grpc.code=OK grpc.method=TreeEntries grpc.time_ms=%d"
)
GITALY_START = 'time="2024-05-01T12:00:00Z" level=info msg="Starting Gitaly"'


@pytest.mark.parametrize("json_first", [True, False])
def test_a_log_that_switched_format_keeps_both_halves(
    tmp_path: Path, json_first: bool
) -> None:
    # Gitaly's current holds logfmt lines before a change of logging.format and
    # JSON lines after it (or the other way round); each line is read in its own.
    json_half = [GITALY_JSON % (n, 10 * n) for n in (1, 2, 3)]
    text_half = [GITALY_START] + [GITALY_TEXT % (n, n) for n in (4, 5)]
    halves = (json_half, text_half) if json_first else (text_half, json_half)
    log = write_lines(tmp_path / "gitaly/current", halves[0] + halves[1])
    for summarize in (None, summary_aggregates):
        with open_inputs([str(log)]) as inputs:
            dataset = load(inputs, summarize=summarize)
            assert key_stats(dataset, "gitaly").events == 5
            got = rows(dataset, "gitaly", "key, duration_ms")
        assert got == [
            ("FindCommit", 10.0),
            ("FindCommit", 20.0),
            ("FindCommit", 30.0),
            ("TreeEntries", 4.0),
            ("TreeEntries", 5.0),
        ]
        (report,) = dataset.files
        assert (report.lines, report.events) == (6, 5)
        assert dict(report.skipped) == {"not an RPC completion line": 1}


def test_json_lines_with_bytes_that_are_not_utf8_are_kept(tmp_path: Path) -> None:
    good = (
        '{"time":"2024-05-01T12:00:01Z","controller":"A","action":"b","duration_s":1}'
    )
    latin1 = (
        b'{"time":"2024-05-01T12:00:02Z","controller":"Caf\xe9","action":"b",'
        b'"duration_s":2}\n'
    )
    log = tmp_path / "production_json.log"
    log.write_bytes(good.encode() + b"\n" + latin1 + b"{broken\n")
    before = log.read_bytes()
    dataset = events([log])
    assert rows(dataset, "production", "key, duration_ms") == [
        ("A#b", 1000.0),
        ("Caf\ufffd#b", 2000.0),
    ]
    (report,) = dataset.files
    assert (report.lines, report.events) == (3, 2)
    assert dict(report.skipped) == {"not JSON, or no known field": 1}
    assert log.read_bytes() == before


@pytest.mark.parametrize("compress", [bz2.compress, gzip.compress])
@pytest.mark.parametrize("text", [True, False])
def test_a_compressed_log_cut_short_is_read_up_to_the_cut(
    tmp_path: Path, compress: Any, text: bool
) -> None:
    # Varied lines over several bzip2 blocks (900 kB each): a cut loses the last one.
    line = GITALY_TEXT if text else GITALY_JSON
    lines = [line % (n % 10, n) for n in range(30000)]
    data = compress(("\n".join(lines) + "\n").encode())
    log = tmp_path / "gitaly" / "current.gz"
    log.parent.mkdir()
    log.write_bytes(data[: len(data) * 3 // 4])
    dataset = events([log])
    (report,) = dataset.files
    assert (
        report.note == "the compressed file ends early (cut short?); read up to the cut"
    )
    assert report.failure is None
    assert 0 < report.events < 30000
    # Every complete line is read: at most the cut one is missing or skipped.
    assert report.lines - report.events <= 1
