"""Pilot tests: load an archive in the worker, open a finding, tick, reopen, export."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from advisor.diagnosis import Diagnosis, Options, diagnose
from advisor.store.checklist import ChecklistStore
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.export_dialog import ExportDialog
from advisor.tui.screens.finding_screen import FindingScreen
from advisor.tui.screens.help_screen import HelpScreen, binding_tables
from advisor.tui.screens.loading_screen import LoadingScreen
from advisor.tui.screens.main_screen import MainScreen
from advisor.tui.widgets.checklist import Checklist, StepItem
from advisor.tui.widgets.stats_table import StatsTable

SIZE = (100, 30)
TOP_STEP = "Measure the git-data volume"


async def wait_for_main(pilot: Pilot[int], timeout_s: float = 120) -> None:
    """Waits until the worker has finished and the main screen is up."""
    deadline = time.monotonic() + timeout_s
    while not isinstance(pilot.app.screen, MainScreen):
        assert time.monotonic() < deadline, "the diagnosis did not finish"
        assert not getattr(pilot.app, "failure", None), pilot.app.failure
        await pilot.pause(0.2)
    await pilot.pause()


async def test_tick_survives_a_restart_and_exports(
    faulty_archive: str, store: ChecklistStore, tmp_path: Path
) -> None:
    app = AdvisorApp([faulty_archive], store=store)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoadingScreen)
        await wait_for_main(pilot)
        assert app.diagnosis is not None
        top = app.diagnosis.findings[0]
        assert top.id == "STORAGE_NETWORK_FS_SLOW_GITALY"
        await pilot.press("enter")
        assert isinstance(app.screen, FindingScreen)
        assert app.screen.finding.id == top.id
        assert isinstance(app.focused, Checklist)
        await pilot.press("space")
        await pilot.press("m")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape", "escape", "m", "enter")
        await pilot.pause()
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    states = store.states(app.env[0], top.id)
    assert [s.done for s in states] == [True, False, False]
    # The unpacked archive's gitlab.rb names the instance, which names the files.
    assert app.env == ("instance:gitlab.example.com", "gitlab.example.com")
    markdown = (tmp_path / "diagnosis-gitlab.example.com.md").read_text()
    assert "# Diagnosis" in markdown and f"- [x] {TOP_STEP}" in markdown
    exported = json.loads((tmp_path / "diagnosis-gitlab.example.com.json").read_text())
    assert exported["findings"][0]["id"] == top.id

    again = AdvisorApp([faulty_archive], store=ChecklistStore(store.path))
    async with again.run_test(size=SIZE) as pilot:
        await wait_for_main(pilot)
        options = again.screen.query_one("#findings-options", OptionList)
        assert "1/3 done" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        first = again.screen.query(StepItem).first()
        assert first.step.do.startswith(TOP_STEP)
        assert first.state is not None and first.state.done
        assert first.state.ticked_at == "2024-05-07T14:30:00+00:00"


async def test_keys_work_while_loading(
    faulty_archive: str,
    store: ChecklistStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker is held until the UI has answered keys, then let go."""
    release = threading.Event()

    def held(paths: list[str], options: Options | None = None) -> Diagnosis:
        assert release.wait(60)
        return diagnose(paths, options)

    monkeypatch.setattr("advisor.diagnosis.diagnose", held)
    app = AdvisorApp([faulty_archive], store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        release.set()
        await pilot.pause(0.5)
        await pilot.press("escape")
        await wait_for_main(pilot)
        assert app.diagnosis is not None


async def test_unreadable_input_stays_on_screen(
    tmp_path: Path, store: ChecklistStore
) -> None:
    app = AdvisorApp([str(tmp_path / "missing.tar.gz")], store=store)
    async with app.run_test(size=SIZE) as pilot:
        while app.failure is None:
            await pilot.pause(0.1)
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        assert app.screen.has_class("-failed")
    assert "missing.tar.gz" in app.failure


async def test_filter_narrows_findings(
    diagnosis: Diagnosis, store: ChecklistStore
) -> None:
    app = AdvisorApp(diagnosis=diagnosis, store=store)
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#findings-options", OptionList)
        assert options.option_count == len(diagnosis.findings)
        await pilot.press("slash", *"info")
        shown = [o.id for o in options.options]
        assert shown == [f.id for f in diagnosis.findings if f.severity == "info"]
        await pilot.press(*"zzz")
        assert options.get_option_at_index(0).disabled


async def test_statistics_sort_and_search(
    diagnosis: Diagnosis, store: ChecklistStore
) -> None:
    app = AdvisorApp(diagnosis=diagnosis, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        stats = app.screen.query_one(StatsTable)
        table = stats.query_one(DataTable)
        assert "RATIO" in [str(c.label) for c in table.columns.values()]
        stats.sort_by("count")
        counts = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("slash", *"zzz-no-key")
        assert table.row_count == 0
        assert app.screen.query_one("#stats-search", Input).value == "zzz-no-key"


def test_help_lists_every_binding() -> None:
    text = binding_tables()
    for key in ("| q |", "| m |", "| j |", "| Space, x |", "| n |", "| s |", "| / |"):
        assert key in text


def test_the_tui_command_records_what_the_app_diagnosed(
    diagnosis: Diagnosis, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.cli import build_parser
    from advisor.commands.diagnose import recorder
    from advisor.store import open_inventory

    db = f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    parser = build_parser()
    assert recorder(parser.parse_args(["tui", "--no-record"])) is None
    record = recorder(parser.parse_args(["tui", "--db", db, "--env", "prod"]))
    assert record is not None
    record(diagnosis)  # what run_app calls once the app has closed
    assert "recorded in the inventory as run id 1 of prod" in capsys.readouterr().err
    with open_inventory(db) as inventory:
        (run,) = inventory.runs(inventory.resolve("prod"))
    assert diagnosis.score is not None
    assert (run.run_id, run.score) == (1, diagnosis.score["overall"])
