"""SVG snapshots of every screen at 100x30, from the committed diagnosis fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from advisor.diagnosis import Diagnosis
from advisor.store.checklist import ChecklistStore
from advisor.tui import app as advisor_app_module
from advisor.tui.app import AdvisorApp
from advisor.tui.progress import LoadProgress
from advisor.tui.screens.loading_screen import LoadingScreen

SIZE = (100, 30)
Compare = Callable[..., bool]


async def still_cursors(pilot: Pilot[Any]) -> None:
    """Stops every text cursor blinking, so the frame does not depend on timing."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def advisor(diagnosis: Diagnosis, store: ChecklistStore) -> AdvisorApp:
    return AdvisorApp(diagnosis=diagnosis, store=store)


def test_findings(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    assert snap_compare(advisor(diagnosis, store), terminal_size=SIZE)


def test_findings_filtered(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    app = advisor(diagnosis, store)
    press = ["slash", *"gitaly", "enter"]
    assert snap_compare(app, press=press, terminal_size=SIZE, run_before=still_cursors)


def test_finding_detail_with_a_tick(
    snap_compare: Compare, diagnosis: Diagnosis, store
) -> None:
    app = advisor(diagnosis, store)
    assert snap_compare(app, press=["enter", "space"], terminal_size=SIZE)


def test_finding_detail_scrolled(
    snap_compare: Compare, diagnosis: Diagnosis, store
) -> None:
    app = advisor(diagnosis, store)
    press = ["enter", "pagedown"]
    assert snap_compare(app, press=press, terminal_size=SIZE)


def test_note_dialog(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    app = advisor(diagnosis, store)
    press = ["enter", "n", *"ticket 42"]
    assert snap_compare(app, press=press, terminal_size=SIZE, run_before=still_cursors)


def test_statistics(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    assert snap_compare(advisor(diagnosis, store), press=["2"], terminal_size=SIZE)


def test_environment(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    assert snap_compare(advisor(diagnosis, store), press=["3"], terminal_size=SIZE)


def test_errors(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    assert snap_compare(advisor(diagnosis, store), press=["4"], terminal_size=SIZE)


def test_help(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    assert snap_compare(advisor(diagnosis, store), press=["?"], terminal_size=SIZE)


def test_export_dialog(snap_compare: Compare, diagnosis: Diagnosis, store) -> None:
    app = advisor(diagnosis, store)
    assert snap_compare(app, press=["m"], terminal_size=SIZE, run_before=still_cursors)


def test_light_theme_at_80x24(
    snap_compare: Compare, diagnosis: Diagnosis, store
) -> None:
    app = advisor(diagnosis, store)
    assert snap_compare(app, press=["t", "enter"], terminal_size=(80, 24))


class LoadingApp(App[None]):
    """Shows the loading screen with counters frozen mid-way."""

    CSS_PATH = str(Path(advisor_app_module.__file__).with_name("app.tcss"))

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        progress = LoadProgress(clock=lambda: 12.0)
        progress.started = 0.0
        progress.files, progress.events = 4, 1_234_567
        progress.last_file = "var/log/gitlab/gitaly/current"
        self.push_screen(LoadingScreen(["gitlabsos.gitlab.tar.gz"], progress))


@pytest.mark.parametrize("size", [SIZE])
def test_loading(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(LoadingApp(), terminal_size=size)
