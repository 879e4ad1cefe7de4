"""TUI fixtures: a committed Diagnosis for snapshots, a simulated archive for pilots."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor.diagnosis import Diagnosis
from advisor.store.checklist import ChecklistStore

DATA = Path(__file__).resolve().parent / "data"


def frozen_clock() -> datetime:
    """The time every tick is stored at in these tests."""
    return datetime(2024, 5, 7, 14, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keeps checklists and exports inside the test's folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture(scope="session")
def diagnosis() -> Diagnosis:
    """A diagnosis of a simulated Gitaly concurrency-limit archive (15 minutes)."""
    return Diagnosis.model_validate_json((DATA / "diagnosis.json").read_text())


@pytest.fixture
def store(tmp_path: Path) -> ChecklistStore:
    """An empty checklist file whose ticks all happen at one fixed time."""
    return ChecklistStore(tmp_path / "checklists.sqlite", frozen_clock)


@pytest.fixture(scope="session")
def faulty_archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A simulated slow-storage archive of 15 minutes, generated once per session."""
    from advisor.simulate import generate

    out = tmp_path_factory.mktemp("slow-storage")
    return str(generate("slow-storage", out, hours=0.25, seed=1)[0])
