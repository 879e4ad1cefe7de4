"""The `advisor simulate` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cli import main
from advisor.simulate import SCENARIOS


def test_list_describes_each_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(SCENARIOS)


def test_simulate_writes_and_prints_archives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["simulate", "--scenario", "healthy", "--out", str(tmp_path),
                 "--hours", "0.05", "--tar"])  # fmt: skip
    assert code == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.name.endswith(".tar.gz") and printed.is_file()


def test_bad_scenario_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--scenario", "nope", "--out", str(tmp_path)]) == 2
    assert "Unknown scenario 'nope'" in capsys.readouterr().err
    assert main(["simulate"]) == 2


def test_start_moves_the_window(tmp_path, capsys) -> None:
    """--start sets when the simulated logs begin (the same environment at a date)."""
    from advisor.cli import main

    code = main(
        [
            "simulate",
            "--scenario",
            "healthy",
            "--hours",
            "0.05",
            "--out",
            str(tmp_path),
            "--start",
            "2024-06-03T09:00:00Z",
        ]
    )
    (archive,) = capsys.readouterr().out.split()
    assert code == 0
    assert "gitlabsos.gitlab.20240603" in archive
