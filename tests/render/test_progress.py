"""The delayed progress bar: silent for quick reads, shown on stderr for slow ones."""

from __future__ import annotations

import pytest

from advisor.render import progress
from advisor.render.progress import DelayedProgress


def test_quick_reads_show_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with DelayedProgress(enabled=True) as bar:
        bar(10, 100, "a.log")
    assert bar._progress is None
    assert capsys.readouterr().err == ""


def test_slow_reads_show_a_bar_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    with DelayedProgress(enabled=True) as bar:
        bar(50, 100, "var/log/gitlab/gitaly/current")
        task = bar._progress.tasks[0]
        assert (task.completed, task.total) == (50, 100)
        assert task.fields["name"] == "var/log/gitlab/gitaly/current"
        assert bar._progress.console.stderr


def test_disabled_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    with DelayedProgress(enabled=False) as bar:
        bar(50, 100, "x")
    assert bar._progress is None
