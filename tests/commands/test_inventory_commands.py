"""The inventory commands on SQLite and PostgreSQL, and one environment over three dates."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor.store import record, record_run
from tests.conftest_postgres import postgres_url  # noqa: F401  (fixture)
from tests.store.conftest import make_run

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An inventory of two environments: one that fell and recovered, one steady."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    record_run(url, make_run(day=0, score=95, findings=("PACK_CACHE_OFF",)))
    record_run(
        url, make_run(day=7, score=40, findings=("SLOW_STORAGE", "PACK_CACHE_OFF"))
    )
    record_run(url, make_run(day=14, score=93, findings=("PACK_CACHE_OFF",)))
    record_run(url, make_run("ci.example.com", score=80, findings=("SLOW_STORAGE",)))
    yield url


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keeps the default inventory inside the test's folder."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_path_shows_the_default_file(cli: Cli, data_dir: Path) -> None:
    code, out, _ = cli("inventory", "path")
    assert (code, out) == (0, f"{data_dir / 'inventory.sqlite'}\n")


def test_list_shows_score_trend_and_top_finding(cli: Cli, db: str) -> None:
    code, out, _ = cli("inventory", "list", "--db", db)
    assert code == 0
    line = next(row for row in out.splitlines() if "gitlab.example.com" in row)
    assert "93" in line and "↑ +53" in line and "pack cache off" in line
    code, out, _ = cli("inventory", "list", "--db", db, "--format", "json")
    listed = {env["name"]: env for env in json.loads(out)}
    assert listed["gitlab.example.com"]["trend"] == "up"
    assert listed["ci.example.com"]["trend"] == "new"


def test_show_lists_every_run_with_its_findings(cli: Cli, db: str) -> None:
    code, out, _ = cli("inventory", "show", "gitlab.example.com", "--db", db)
    assert code == 0 and "gitlab.example.com (3 runs)" in out
    assert "[high] slow storage" in out
    code, out, _ = cli(
        "inventory", "show", "gitlab.example.com", "--db", db, "--format", "json"
    )
    assert [run["score"] for run in json.loads(out)] == [95, 40, 93]


def test_trend_draws_the_drop_and_the_recovery(cli: Cli, db: str) -> None:
    code, out, _ = cli("inventory", "trend", "gitlab.example.com", "--db", db)
    assert code == 0 and "score of gitlab.example.com, 3 runs" in out
    assert "┤" in out and "overall" in out
    # The legend sits under the frame, where it hides no point; dates are ISO.
    rows = out.splitlines()
    bottom = next(i for i, row in enumerate(rows) if row.lstrip().startswith("└"))
    assert rows[bottom + 1].split() == ["2024-05-07", "2024-05-14", "2024-05-21"]
    assert rows[bottom + 2].split() == ["@", "overall", "•", "gitaly", "x", "web"]
    assert not any("overall" in row for row in rows[:bottom])
    assert "2024-05-14 12:00     40  slow storage" in out
    code, out, _ = cli(
        "inventory", "trend", "gitlab.example.com", "--db", db, "--format", "json"
    )
    overall = json.loads(out)[0]
    assert overall["name"] == "overall" and overall["values"] == [95, 40, 93]


def test_compare_says_what_got_better(cli: Cli, db: str) -> None:
    args = (
        "gitlab.example.com",
        "--db",
        db,
        "--from",
        "2024-05-14",
        "--to",
        "2024-05-21",
    )
    code, out, _ = cli("inventory", "compare", *args)
    assert code == 0
    assert "resolved: SLOW_STORAGE (slow storage)" in out
    assert "persisting: PACK_CACHE_OFF (pack cache off)" in out
    code, out, _ = cli("inventory", "compare", *args, "--format", "json")
    assert json.loads(out)["changes"][0] == {
        "name": "overall",
        "before": 40.0,
        "after": 93.0,
        "delta": 53.0,
    }


def test_causes_counts_environments_and_runs(cli: Cli, db: str) -> None:
    code, out, _ = cli("inventory", "causes", "--db", db, "--format", "json")
    counts = {c["finding_id"]: (c["environments"], c["runs"]) for c in json.loads(out)}
    assert counts == {"SLOW_STORAGE": (2, 2), "PACK_CACHE_OFF": (1, 3)}


def test_unknown_environment_and_bad_date_are_one_line_errors(
    cli: Cli, db: str
) -> None:
    code, _, err = cli("inventory", "show", "gitlab.example.org", "--db", db)
    assert code == 2 and "Did you mean 'gitlab.example.com'?" in err
    code, _, err = cli(
        "inventory", "compare", "ci.example.com", "--db", db, "--from", "May"
    )
    assert code == 2 and "--from 'May' is not a date or time" in err
    assert len(err.strip().splitlines()) == 1


def test_a_foreign_file_is_refused_by_every_view(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n")
    code, _, err = cli("inventory", "list", "--db", f"sqlite:///{path}")
    assert code == 2 and "is not an SQLite database" in err
    assert path.read_text() == "not a database\n"


@pytest.mark.slow
def test_one_environment_healthy_faulty_fixed(
    cli: Cli, tmp_path: Path, data_dir: Path
) -> None:
    """Diagnoses simulated archives of three dates against a healthy baseline."""
    from advisor.diagnosis import Options, diagnose
    from advisor.simulate import generate

    def archive(scenario: str, day: int) -> str:
        start = datetime(2024, 5, day, 12, tzinfo=UTC)
        out = tmp_path / f"{scenario}-{day}"
        return str(generate(scenario, out, hours=0.25, seed=day, start=start)[0])

    code, _, err = cli("baseline", "create", "--name", "before", archive("healthy", 1))
    assert code == 0, err
    url = f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    for scenario, day in (("healthy", 6), ("slow-storage", 13), ("healthy", 20)):
        record(url, diagnose([archive(scenario, day)], Options(baseline="before")))
    code, out, _ = cli(
        "inventory", "trend", "gitlab.example.com", "--db", url, "--format", "json"
    )
    overall = json.loads(out)[0]["values"]
    assert overall[1] < overall[0] - 15 and overall[2] > overall[1] + 15
    code, out, _ = cli("inventory", "causes", "--db", url, "--format", "json")
    storage = next(c for c in json.loads(out) if c["finding_id"].startswith("STORAGE_"))
    assert (storage["environments"], storage["runs"]) == (1, 1)
