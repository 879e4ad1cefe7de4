"""Edges of diagnose, facts, baselines and the inventory found by a user's trial."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_lines

Cli = Callable[..., tuple[int, str, str]]


def test_diagnose_of_an_empty_folder_is_an_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = cli("diagnose", str(tmp_path / "empty"), "--no-tui")
    assert (code, out) == (2, "")
    assert "no log files found in the inputs" in err


def test_facts_of_a_single_file_is_an_error(cli: Cli, tmp_path: Path) -> None:
    note = write_lines(tmp_path / "notes.txt", ["hello"])
    code, _, err = cli("facts", str(note))
    assert code == 2
    assert "no gitlabsos archive or folder among the inputs" in err


def test_reading_commands_create_no_inventory(cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'inventory.sqlite'}"
    code, out, _ = cli("inventory", "list", "--db", url)
    assert (code, out.strip()) == (0, "No environment recorded yet.")
    code, _, err = cli("inventory", "show", "x", "--db", url)
    assert code == 2 and "no inventory at" in err
    assert not (tmp_path / "sub").exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_env_names_are_checked(cli: Cli, name: str) -> None:
    code, _, err = cli("diagnose", "--env", name, "--no-tui")
    assert code == 2 and "--env" in err


def test_compare_from_before_the_first_run_is_an_error() -> None:
    from datetime import datetime

    from advisor.store.errors import InventoryError
    from advisor.store.inventory import pick
    from advisor.store.records import StoredRun

    runs = [
        StoredRun.model_construct(logs_start=datetime(2024, 5, day), recorded_at=None)
        for day in (1, 20)
    ]
    assert pick(runs, datetime(2024, 5, 25)) is runs[1]
    assert pick(runs, datetime(2024, 5, 1)) is runs[0]
    with pytest.raises(InventoryError, match="--from 2023-01-01 00:00 is before"):
        pick(runs, datetime(2023, 1, 1))


def test_baseline_names_are_not_overwritten(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "p.log",
        [
            {
                "time": f"2024-05-01T12:00:{s:02d}Z",
                "controller": "A",
                "action": "b",
                "duration_s": 0.1,
            }
            for s in range(30)
        ],
    )
    assert cli("baseline", "create", str(log), "--name", "mine")[0] == 0
    code, _, err = cli("baseline", "create", str(log), "--name", "mine")
    assert code == 2 and "--force" in err
    assert cli("baseline", "create", str(log), "--name", "mine", "--force")[0] == 0


def test_report_refuses_an_unknown_suffix(cli: Cli, tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "p.log",
        [
            {
                "time": "2024-05-01T12:00:00Z",
                "controller": "A",
                "action": "b",
                "duration_s": 0.1,
            }
        ],
    )
    code, _, err = cli("report", str(log), "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "writes .md, .html or .json reports, not .pdf" in err
    assert not (tmp_path / "r.pdf").exists()


def test_long_keys_are_cut_in_comparison_tables() -> None:
    from advisor.compare.render import KEY_WIDTH, _short

    assert _short("x" * 200) == "x" * (KEY_WIDTH - 1) + "…"
    assert _short("short") == "short"


def test_inventory_options_with_no_record_are_refused(cli: Cli) -> None:
    for command in ("diagnose", "tui"):
        code, out, err = cli(command, "--no-record", "--redact", "--env", "x")
        assert (code, out) == (2, "")
        assert "--env, --redact only change what is recorded" in err
    code, _, err = cli("diagnose", "--no-record", "--redact")
    assert code == 2 and "--redact only changes what is recorded" in err


def test_compare_refuses_dates_in_the_wrong_order(cli: Cli, tmp_path: Path) -> None:
    from advisor.diagnosis import Diagnosis
    from advisor.store import record

    db = f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    diagnosis = Diagnosis.model_validate_json(
        (Path(__file__).parents[1] / "tui" / "data" / "diagnosis.json").read_text()
    )
    record(db, diagnosis, env_name="prod")
    code, out, err = cli(
        "inventory", "compare", "prod", "--db", db, "--from", "2024-05-21",
        "--to", "2024-05-07",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "--from 2024-05-21 is after --to 2024-05-07" in err


def test_facts_of_a_folder_without_system_files_is_an_error(
    cli: Cli, tmp_path: Path
) -> None:
    write_lines(tmp_path / "logs" / "production_json.log", ['{"controller":"A"}'])
    for folder in (tmp_path / "logs", tmp_path):
        code, out, err = cli("facts", str(folder))
        assert (code, out) == (2, "")
        assert "no system file of a gitlabsos archive" in err


def test_score_needs_a_baseline(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("score", str(tmp_path), "--baseline", "none")
    assert (code, out) == (2, "")
    assert "score needs a baseline to compare with" in err
