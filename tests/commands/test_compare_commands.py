"""The baseline, compare and score commands, run through the CLI entry point."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor import cli
from advisor.simulate import generate

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A healthy archive and a slow-storage one, 15 minutes each."""
    base = tmp_path_factory.mktemp("compare-commands")
    return {
        name: generate(name, base / name, hours=0.25, seed=1)[0]
        for name in ("healthy", "slow-storage")
    }


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Run:
    """Runs the CLI with only these commands registered and a private data folder."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("baseline", "compare", "score"))
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_create_list_show_and_compare(run: Run, archives: dict[str, Path]) -> None:
    code, out, _ = run("baseline", "create", str(archives["healthy"]), "--name", "h1")
    assert code == 0 and "keys written" in out
    code, out, _ = run("baseline", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4 and lines[-1].startswith("h1  [recorded] ")
    assert lines[0].startswith("gitlab-targets  [targets, built-in] ")
    code, out, _ = run("baseline", "show", "h1")
    assert code == 0 and "sources:" in out and "sketch" not in out
    code, out, _ = run(
        "compare", str(archives["slow-storage"]), "--baseline", "h1", "--limit", "5"
    )
    assert code == 0 and "slower" in out and "CI95" in out
    code, out, _ = run(
        "compare", str(archives["slow-storage"]), "--baseline", "h1", "--format", "json"
    )
    rows = json.loads(out)
    assert rows[0]["significant"] and rows[0]["ci_low"] > 1


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_compare_formats(run: Run, archives: dict[str, Path], fmt: str) -> None:
    code, out, _ = run(
        "compare", str(archives["healthy"]), "--baseline", "gitlab-targets",
        "--format", fmt,
    )  # fmt: skip
    assert code == 0
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(out)))
        assert {"key", "ratio", "ci_low", "ci_high", "significant"} <= set(header)
    else:
        assert out.startswith("### Against gitlab-targets") and "| KEY |" in out


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_score_formats(run: Run, archives: dict[str, Path], fmt: str) -> None:
    code, out, _ = run("score", str(archives["healthy"]), "--format", fmt)
    assert code == 0
    if fmt == "json":
        document = json.loads(out)
        assert document["score"]["overall"] >= 90
        assert {p["component"] for p in document["load_patterns"]} >= {"web", "api"}
    else:
        assert "gitlab-targets" in out and "PATTERN" in out


def test_unknown_baseline_exits_2_listing_available(
    run: Run, archives: dict[str, Path]
) -> None:
    code, out, err = run("compare", str(archives["healthy"]), "--baseline", "gpt-10")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "Did you mean 'gpt-10k'?" in err and "gitlab-targets" in err


def test_bad_baseline_file_and_name_exit_2(
    run: Run, archives: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: targets\nname: bad\n")
    code, _, err = run("score", str(archives["healthy"]), "--baseline", str(bad))
    assert code == 2 and "bad.yaml" in err and "provenance" in err
    code, _, err = run(
        "baseline", "create", str(archives["healthy"]), "--name", "gpt-10k"
    )
    assert code == 2 and "built-in" in err
    code, _, err = run("compare", str(archives["healthy"]), "--baseline",
                       "reference-architectures")  # fmt: skip
    assert code == 2 and "not latencies" in err
