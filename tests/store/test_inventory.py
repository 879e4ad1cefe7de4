"""Recording runs and asking the inventory about them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advisor.store import open_inventory, record_run
from advisor.store.errors import InventoryError
from tests.store.conftest import make_run


def test_a_run_reads_back_as_recorded(db_url: str) -> None:
    run = make_run(findings=("SLOW_STORAGE", "GITALY_CPU"))
    recorded = record_run(db_url, run)
    with open_inventory(db_url) as inventory:
        [stored] = inventory.runs(inventory.resolve("gitlab.example.com"))
    assert recorded.run == stored.run_id
    assert stored.model_dump(exclude={"run_id", "recorded_at"}) == run.model_dump()


def test_list_shows_latest_score_trend_and_top_finding(db_url: str) -> None:
    record_run(db_url, make_run(day=0, score=92))
    record_run(db_url, make_run(day=7, score=41, findings=("SLOW_STORAGE",)))
    record_run(db_url, make_run("other.example.com", score=70))
    with open_inventory(db_url) as inventory:
        listed = {env.name: env for env in inventory.environments()}
    main = listed["gitlab.example.com"]
    assert (main.runs, main.score, main.previous_score) == (2, 41, 92)
    assert main.trend == "down"
    assert main.top_finding == "slow storage"
    assert listed["other.example.com"].trend == "new"


def test_runs_are_ordered_by_log_time_not_by_recording(db_url: str) -> None:
    record_run(db_url, make_run(day=14, score=88))
    record_run(db_url, make_run(day=0, score=90))
    record_run(db_url, make_run(day=7, score=40))
    with open_inventory(db_url) as inventory:
        runs = inventory.runs("instance:gitlab.example.com")
    assert [run.score for run in runs] == [90, 40, 88]


def test_compare_names_resolved_new_and_persisting_findings(db_url: str) -> None:
    record_run(db_url, make_run(day=0, score=60, findings=("A", "B")))
    record_run(db_url, make_run(day=7, score=80, findings=("B", "C")))
    record_run(db_url, make_run(day=14, score=95))
    with open_inventory(db_url) as inventory:
        result = inventory.compare(
            "instance:gitlab.example.com",
            datetime(2024, 5, 7, 23, tzinfo=UTC),
            datetime(2024, 5, 14, 23, tzinfo=UTC),
        )
    assert [f.finding_id for f in result.resolved] == ["A"]
    assert [f.finding_id for f in result.new] == ["C"]
    assert [f.finding_id for f in result.persisting] == ["B"]
    assert result.changes[0].name == "overall"
    assert result.changes[0].delta == pytest.approx(20)


def test_causes_are_counted_over_environments_and_runs(db_url: str) -> None:
    record_run(db_url, make_run("a.example.com", day=0, findings=("SLOW_STORAGE",)))
    record_run(db_url, make_run("a.example.com", day=1, findings=("SLOW_STORAGE",)))
    record_run(db_url, make_run("b.example.com", findings=("SLOW_STORAGE", "SWAP")))
    with open_inventory(db_url) as inventory:
        causes = inventory.causes()
    assert [(c.finding_id, c.environments, c.runs) for c in causes] == [
        ("SLOW_STORAGE", 2, 3),
        ("SWAP", 1, 1),
    ]
    assert causes[0].environment_names == ["a.example.com", "b.example.com"]


def test_an_unknown_environment_suggests_the_closest_name(db_url: str) -> None:
    record_run(db_url, make_run())
    with open_inventory(db_url) as inventory, pytest.raises(InventoryError) as error:
        inventory.resolve("gitlab.example.org")
    assert "no environment 'gitlab.example.org'" in str(error.value)
    assert "Did you mean 'gitlab.example.com'?" in str(error.value)


def test_a_run_without_score_is_kept(db_url: str) -> None:
    record_run(db_url, make_run(score=None))
    with open_inventory(db_url) as inventory:
        [env] = inventory.environments()
    assert env.score is None and env.trend == "new"


def test_redacted_runs_of_one_environment_line_up(db_url: str) -> None:
    first = record_run(db_url, make_run(day=0), redact=True)
    second = record_run(db_url, make_run(day=7), redact=True)
    assert first.environment == second.environment
    assert "example" not in first.environment
    with open_inventory(db_url) as inventory:
        [env] = inventory.environments()
        runs = inventory.runs(env.key)
    assert env.runs == 2
    assert all(run.redacted and run.hostnames == ["host-1"] for run in runs)
    assert all(run.instance == "host-2" for run in runs)
