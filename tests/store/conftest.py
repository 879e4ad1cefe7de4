"""Inventory fixtures: each test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.store.records import FindingRecord, RunRecord
from tests.conftest_postgres import postgres_url  # noqa: F401  (fixture)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty inventory URL of each dialect."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keeps the default inventory and backups inside the test's folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(folder))
    return folder


def make_run(
    env: str = "gitlab.example.com",
    day: int = 0,
    score: float | None = 90.0,
    findings: tuple[str, ...] = (),
) -> RunRecord:
    """A small run record of an environment, ``day`` days after 2024-05-07."""
    start = datetime(2024, 5, 7, 12, tzinfo=UTC) + timedelta(days=day)
    return RunRecord(
        env_key=f"instance:{env}",
        env_name=env,
        instance=env,
        hostnames=["gitlab"],
        logs_start=start,
        logs_end=start + timedelta(minutes=15),
        gitlab_version="16.11.1",
        roles={"gitlab": ["rails", "gitaly"]},
        architecture="1k",
        baseline="gitlab-targets",
        score=score,
        subscores={"web": score, "gitaly": None if score is None else score - 5},
        findings=[
            FindingRecord(
                finding_id=finding,
                title=finding.replace("_", " ").lower(),
                component="gitaly",
                severity="high",
                confidence=0.8,
                cause="disk",
                evidence="p95 of FindCommit 5x baseline",
                remediation=["move repositories to local SSD"],
            )
            for finding in findings
        ],
    )
