"""Shared fixtures: real sample logs, small log writers and a CLI runner."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from advisor.cli import main

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "real"


@pytest.fixture
def real() -> Path:
    """The real GitLab log samples kept beside the repository in shared/data/real."""
    if not REAL.is_dir():
        pytest.skip(f"real samples not found at {REAL}")
    return REAL


def write_lines(
    path: Path, lines: Iterable[str | dict], compress: bool = False
) -> Path:
    """Writes log lines (dicts become JSON) to ``path``, gzip-compressed if asked."""
    text = "".join(
        (json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path.write_text(text)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Runs the advisor CLI in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keeps inventories, baselines and checklists written by tests out of the user's."""
    folder = tmp_path_factory.mktemp("advisor-data")
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(folder))
    return folder
