"""Checklist store: ticks survive reopening, are keyed by environment, export as MD."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor.diagnosis import Diagnosis
from advisor.engine.findings import Finding
from advisor.engine.model import Step
from advisor.store.checklist import (
    ChecklistStore,
    default_path,
    environment_of,
    render_markdown,
)
from advisor.store.errors import InventoryError

FIXTURE = Path(__file__).resolve().parents[1] / "tui" / "data" / "diagnosis.json"
ENV = ("hosts:gitlab", "gitlab")


def clock() -> datetime:
    return datetime(2024, 5, 7, 14, 30, tzinfo=UTC)


def finding(fid: str = "STORAGE_SLOW", steps: int = 2) -> Finding:
    return Finding(
        id=fid,
        title=f"{fid} title",
        component="storage",
        severity="high",
        confidence=0.8,
        cause="because",
        evidence=[],
        remediation=[
            Step(do=f"step {n}", command="fio" if n == 1 else None)
            for n in range(1, steps + 1)
        ],
    )


def test_tick_survives_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    ChecklistStore(path, clock).register(ENV, [finding()])
    state = ChecklistStore(path, clock).set_done(ENV[0], "STORAGE_SLOW", "step 2", True)
    assert state is not None and state.done
    assert state.ticked_at == "2024-05-07T14:30:00+00:00"
    again = ChecklistStore(path).states(ENV[0], "STORAGE_SLOW")
    assert [(s.step, s.done) for s in again] == [("step 1", False), ("step 2", True)]


def test_register_keeps_state_and_untick_clears_time(tmp_path: Path) -> None:
    store = ChecklistStore(tmp_path / "c.sqlite", clock)
    store.register(ENV, [finding()])
    store.set_done(ENV[0], "STORAGE_SLOW", "step 1", True, note="ticket 7")
    store.register(ENV, [finding()])
    first = store.step(ENV[0], "STORAGE_SLOW", "step 1")
    assert first is not None and first.done and first.note == "ticket 7"
    store.set_done(ENV[0], "STORAGE_SLOW", "step 1", False)
    first = store.step(ENV[0], "STORAGE_SLOW", "step 1")
    assert first is not None and not first.done and first.ticked_at is None
    assert first.note == "ticket 7"


def test_environments_are_kept_apart(tmp_path: Path) -> None:
    store = ChecklistStore(tmp_path / "c.sqlite", clock)
    store.register(ENV, [finding()])
    store.register(("hosts:other", "other"), [finding()])
    store.set_done("hosts:other", "STORAGE_SLOW", "step 1", True)
    assert not any(s.done for s in store.states(ENV[0]))
    assert store.environments() == [
        ("hosts:gitlab", "gitlab", 0, 2),
        ("hosts:other", "other", 1, 2),
    ]


def test_unknown_env_suggests_the_closest(tmp_path: Path) -> None:
    store = ChecklistStore(tmp_path / "c.sqlite")
    store.register(ENV, [finding()])
    assert store.find_env("gitlab") == "hosts:gitlab"
    with pytest.raises(InventoryError, match="Did you mean 'gitlab'"):
        store.find_env("gitlb")


def test_markdown_lists_steps_with_state(tmp_path: Path) -> None:
    store = ChecklistStore(tmp_path / "c.sqlite", clock)
    store.register(ENV, [finding("B", 1), finding("A", 2)])
    store.set_done(ENV[0], "A", "step 2", True, note="done by ops")
    text = render_markdown("gitlab", store.states(ENV[0]), ["B", "A"])
    assert text == (
        "# Remediation checklist: gitlab\n\n1 of 3 steps done.\n\n"
        "## B title (B)\n\n- [ ] step 1\n  `fio`\n\n"
        "## A title (A)\n\n- [ ] step 1\n  `fio`\n- [x] step 2\n"
        "  done 2024-05-07T14:30:00+00:00\n  note: done by ops\n"
    )


def test_environment_is_the_inventory_identity() -> None:
    diagnosis = Diagnosis.model_validate_json(FIXTURE.read_text())
    key, name = environment_of(diagnosis)
    assert key.endswith("gitlab") and name


def test_data_dir_variable_moves_the_file(data_dir: Path) -> None:
    assert default_path() == data_dir / "checklists.sqlite"


def test_unwritable_file_is_an_inventory_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(InventoryError, match="cannot be used"):
        ChecklistStore(blocker / "c.sqlite").states("x")


def test_export_command_by_env(cli, data_dir: Path) -> None:
    store = ChecklistStore(clock=clock)
    store.register(ENV, [finding()])
    store.set_done(ENV[0], "STORAGE_SLOW", "step 1", True)
    code, out, _ = cli("checklist", "export", "--env", "gitlab")
    assert code == 0
    assert "- [x] step 1" in out and "- [ ] step 2" in out
    code, out, _ = cli("checklist", "list")
    assert out == "gitlab  1/2 steps done  (hosts:gitlab)\n"
    code, _, err = cli("checklist", "export", "--env", "nowhere")
    assert code == 2 and "no checklist is stored" in err
