"""Odd and hostile inputs found by trying to break the stats command."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_lines

Cli = Callable[..., tuple[int, str, str]]


def rails(key: str, seconds: object, minute: int = 0, **extra: object) -> dict:
    controller, action = key.split("#")
    return {
        "time": f"2024-05-01T12:{minute:02d}:00Z",
        "controller": controller,
        "action": action,
        "duration_s": seconds,
        **extra,
    }


@pytest.fixture
def production(tmp_path: Path) -> Path:
    lines = [rails("A#x", s / 10, minute=s) for s in range(1, 11)]
    lines += [rails("B#y", 2.0, minute=5, status=500)]
    return write_lines(tmp_path / "production_json.log", lines)


def json_out(cli: Cli, *args: str) -> dict:
    code, out, err = cli("stats", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_glob_characters_in_names_are_literal(cli: Cli, production: Path) -> None:
    folder = production.parent
    starred = folder / "x*.log"
    shutil.copy(production, starred)
    shutil.copy(production, folder / "x1.log")
    table = json_out(cli, str(starred))["tables"][0]
    assert table["events"] == 11
    # The folder holds three copies: each read once.
    assert json_out(cli, str(folder))["tables"][0]["events"] == 33


def test_non_finite_and_negative_durations_are_skipped(
    cli: Cli, tmp_path: Path
) -> None:
    log = tmp_path / "p.log"
    lines = [json.dumps(rails("A#x", 1.0))]
    lines += [
        '{"time":"2024-05-01T12:00:01Z","controller":"A","action":"x","duration_s":NaN}',
        '{"time":"2024-05-01T12:00:02Z","controller":"A","action":"x","duration_s":"inf"}',
        json.dumps(rails("A#x", -1)),
        json.dumps(rails("A#x", 0.5, db_duration_s="NaN")),
    ]
    log.write_text("\n".join(lines) + "\n")
    code, out, _ = cli("stats", "--format", "json", str(log))
    assert code == 0
    document = json.loads(out)  # strict: no NaN in the output
    (row,) = document["tables"][0]["rows"]
    assert (row["count"], row["max_ms"], row["min_ms"]) == (2, 1000.0, 500.0)
    assert row["components"]["db"]["mean_ms"] is None
    assert document["inputs"][0]["skipped"] == {
        "duration negative": 1,
        "duration not a number": 2,
    }


@pytest.mark.parametrize("value", ["-1", "0", "1.5", "abc"])
def test_limit_must_be_positive(cli: Cli, production: Path, value: str) -> None:
    code, out, err = cli("stats", str(production), "--limit", value)
    assert code == 2
    assert out == ""
    assert "--limit" in err and len(err.strip().splitlines()) == 1


def test_same_file_twice_is_read_once(cli: Cli, production: Path) -> None:
    document = json_out(cli, str(production), str(production), str(production.parent))
    assert document["tables"][0]["events"] == 11
    assert len(document["inputs"]) == 1


def test_empty_archive_and_zero_bytes(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "e.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    code, _, err = cli("stats", str(empty))
    assert (code, err.strip()) == (
        2,
        f"advisor: {empty}: the archive holds no files. "
        "Check that it is the gitlabsos archive meant.",
    )
    zeros = tmp_path / "z.log"
    zeros.write_bytes(b"\0" * 10240)
    code, _, err = cli("stats", str(zeros))
    assert code == 2
    assert "z.log: no line of a known GitLab log format" in err


def test_deeply_nested_json_is_not_a_crash(cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.log"
    deep.write_text('{"a":' * 100_000 + "1" + "}" * 100_000 + "\n")
    code, _, err = cli("stats", str(deep))
    assert code == 2
    assert "deep.log: no line of a known GitLab log format" in err


@pytest.mark.parametrize("value", ["999999999d", "99999999999999999999d", ""])
def test_interval_bounds(cli: Cli, production: Path, value: str) -> None:
    code, _, err = cli("stats", str(production), f"--interval={value}")
    assert code == 2
    assert "--interval" in err


def test_search_filters_top_and_errors_but_not_rps(cli: Cli, production: Path) -> None:
    code, out, _ = cli("stats", "errors", str(production), "--search", "zzz")
    assert (code, out.strip()) == (0, "No errors found.")
    code, out, _ = cli(
        "stats", "top", str(production), "--search", "b#", "--format", "json"
    )
    paths = [t for t in json.loads(out) if t["dimension"] == "path"][0]
    assert [row["value"] for row in paths["rows"]] == ["B#y"]
    whole = json_out(cli, str(production))["tables"][0]
    searched = json_out(cli, str(production), "--search", "b#y")["tables"][0]
    assert searched["span_s"] == whole["span_s"] == 540.0
    assert searched["rows"][0]["rps"] == pytest.approx(1 / 540)


def test_compare_honours_fields_sort_and_limit(
    cli: Cli, production: Path, tmp_path: Path
) -> None:
    other = write_lines(
        tmp_path / "b" / "p.log", [rails("B#y", 1.0), rails("C#z", 0.1)]
    )
    code, out, _ = cli(
        "stats",
        str(production),
        "--compare",
        str(other),
        "--fields",
        "count,max",
        "--sort-by",
        "count",
        "--limit",
        "2",
        "--format",
        "csv",
    )
    assert code == 0
    rows = out.splitlines()
    assert rows[0] == "CONTROLLER,COUNT_A,COUNT_B,COUNT_x,MAX_ms_A,MAX_ms_B,MAX_x"
    # Sorted by count (A#x has 10 in A), two rows.
    assert [r.split(",")[0] for r in rows[1:]] == ["A#x", "B#y"]
    code, _, err = cli("stats", str(production), "--compare", str(other), "--verbose")
    assert code == 2 and "--compare and --verbose" in err


def test_compare_notes_kinds_left_out(
    cli: Cli, production: Path, tmp_path: Path
) -> None:
    gitaly = write_lines(
        tmp_path / "mixed" / "gitaly.log",
        [
            {
                "time": "2024-05-01T12:00:00Z",
                "grpc.method": "M",
                "grpc.code": "OK",
                "grpc.time_ms": 1,
            }
        ],
    )
    shutil.copy(production, gitaly.parent / "production_json.log")
    code, _, err = cli("stats", str(gitaly.parent), "--compare", str(production))
    assert code == 0
    assert "note: gitaly in" in err and "not compared" in err


def test_tar_on_stdin_is_read_as_archive(
    cli: Cli, production: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(production, arcname="var/log/gitlab/gitlab-rails/production_json.log")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(buffer.getvalue())))
    assert json_out(cli, "-")["tables"][0]["events"] == 11


def test_named_pipe_is_read_like_stdin(production: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat '{production}' > '{fifo}'"])
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "stats", "--format", "json", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    writer.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tables"][0]["events"] == 11


def test_absent_kind_names_what_the_inputs_hold(cli: Cli, production: Path) -> None:
    code, _, err = cli("stats", str(production), "--kind", "gitaly")
    assert code == 2
    assert "no gitaly log among the inputs. Inputs hold: production." in err
    code, _, err = cli("stats", str(production), "--kind", "exceptions")
    assert code == 2
    assert "'advisor stats errors --kind exceptions'" in err


def test_control_characters_are_escaped(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "p.log", [rails("Evil\x1b[31m\u202e#x\ny", 1.0)])
    code, out, _ = cli("stats", str(log))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "Evil\\x1b[31m\\u202e#x\\x0ay" in out


def test_csv_cells_cannot_become_formulas(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "p.log", [rails("=HYPERLINK(1)#x", 1.0)])
    code, out, _ = cli("stats", str(log), "--format", "csv", "--fields", "count")
    assert out.splitlines()[1] == "production,,'=HYPERLINK(1)#x,1"


def test_top_csv_is_numeric(cli: Cli, production: Path) -> None:
    code, out, _ = cli(
        "stats", "top", str(production), "--format", "csv", "--limit", "1"
    )
    first = out.split("\n\n")[0].splitlines()
    assert first[0].startswith("kind,path,count,duration,duration_pct,db,db_pct")
    assert first[1].startswith("production,A#x,10,5500.0,73.33,")


def test_sidekiq_failures_without_class_are_labelled(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "s.log",
        [
            {
                "time": "2024-05-01T12:00:00Z",
                "class": "W",
                "job_status": "fail",
                "duration_s": 1,
            }
        ],
    )
    code, out, _ = cli("stats", "errors", str(log), "--format", "json")
    assert json.loads(out)[0]["error"] == "job fail"


def test_a_cut_gzip_piece_is_read_up_to_the_cut(cli: Cli, production: Path) -> None:
    broken = production.parent / "production_json.log.2.gz"
    lines = [json.dumps(rails("A#x", m / 10, minute=m)) for m in range(60)] * 50
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    broken.write_bytes(data[: len(data) // 2])
    # What the first half holds, decompressed independently of the advisor.
    held = zlib.decompressobj(wbits=31).decompress(data[: len(data) // 2])
    complete = held.count(b"\n")
    assert 0 < complete < len(lines)
    code, out, err = cli("stats", str(production.parent), "--format", "json")
    assert code == 0, err
    reports = {Path(r["file"]).name: r for r in json.loads(out)["inputs"]}
    assert reports["production_json.log"]["events"] == 11
    cut = reports["production_json.log.2.gz"]
    assert (cut["events"], cut["failure"]) == (complete, None)
    # The partial last line, if the cut fell inside one, is counted, not read.
    assert cut["lines"] == complete + (not held.endswith(b"\n"))
    assert cut["note"].startswith("the compressed file ends early")
    assert err.count("\n") == 1 and "production_json.log.2.gz: the compressed" in err
    # A piece cut inside its first bytes holds nothing: one line says what to check.
    broken.write_bytes(data[:20])
    code, out, err = cli("stats", str(broken))
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert "cannot be read or decompressed. Check that the file is complete" in err


@pytest.mark.parametrize("args", [["", "--format", "json"], ["-", "-"]])
def test_empty_path_and_stdin_twice(
    cli: Cli, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    code, _, err = cli("stats", *args)
    assert code == 2
    assert "empty path" in err or "standard input can be read once" in err
