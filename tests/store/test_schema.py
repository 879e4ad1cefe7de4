"""Foreign and damaged databases are refused untouched; old schemas are migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from advisor.store import migrations, open_inventory, record_run
from advisor.store.errors import InventoryError
from advisor.store.location import parse_url
from advisor.store.schema import open_database
from tests.store.conftest import make_run


def _sqlite(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "inventory.sqlite"
    return path, f"sqlite:///{path}"


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path, url = _sqlite(tmp_path)
    path.write_bytes(b"name,score\nprod,90\n")
    with pytest.raises(InventoryError, match="is not an SQLite database"):
        record_run(url, make_run())
    assert path.read_bytes() == b"name,score\nprod,90\n"


def test_another_applications_sqlite_file_is_refused(tmp_path: Path) -> None:
    path, url = _sqlite(tmp_path)
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE bookmarks (url TEXT)")
    before = path.read_bytes()
    with pytest.raises(InventoryError, match=r"not an advisor inventory.*bookmarks"):
        record_run(url, make_run())
    assert path.read_bytes() == before


def test_a_damaged_inventory_is_refused(tmp_path: Path) -> None:
    path, url = _sqlite(tmp_path)
    record_run(url, make_run())
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the header, ruin every page
    path.write_bytes(bytes(data))
    with pytest.raises(InventoryError, match="is damaged") as error:
        record_run(url, make_run())
    assert "Restore it from a backup" in str(error.value)
    assert path.read_bytes() == bytes(data)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path, url = _sqlite(tmp_path)
    record_run(url, make_run())
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO advisor_schema VALUES (99, 'future', 'now')")
    with pytest.raises(InventoryError, match="newer than this advisor"):
        record_run(url, make_run())


def test_postgresql_tables_of_the_same_names_are_refused(postgres_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("CREATE TABLE runs (lap integer)")
    with pytest.raises(InventoryError, match=r"not an advisor inventory.*runs"):
        record_run(postgres_url, make_run())


def _make_version_1(url: str) -> None:
    """A database as the first release wrote it, with one run in it."""
    db = open_database(parse_url(url), version=1)
    with db.transaction():
        db.execute(
            "INSERT INTO environments (key, name, instance, hostnames, created_at) "
            "VALUES ('instance:old.example.com', 'old.example.com', "
            "'old.example.com', '[\"gitlab\"]', '2024-01-01T00:00:00+00:00')"
        )
        db.execute(
            "INSERT INTO runs (environment_id, recorded_at, logs_start, roles, score) "
            "VALUES (1, '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00', "
            "'{}', 77.5)"
        )
        db.execute(
            "INSERT INTO findings (run_id, position, finding_id, title, severity, "
            "evidence) VALUES (1, 0, 'SWAP', 'node swaps', 'high', 'si 40/s')"
        )
    db.close()


def test_version_1_is_migrated_after_a_backup(db_url: str, data_dir: Path) -> None:
    _make_version_1(db_url)
    record_run(db_url, make_run())
    location = parse_url(db_url)
    if location.path is not None:
        [backup] = location.path.parent.glob("inventory.sqlite.v1-*.bak")
        with sqlite3.connect(backup) as con:
            assert con.execute(
                "SELECT max(version) FROM advisor_schema"
            ).fetchone() == (1,)
            assert con.execute("SELECT score FROM runs").fetchall() == [(77.5,)]
    else:
        [backup] = data_dir.glob("inventory-postgresql-v1-*.json")
        dump = json.loads(backup.read_text())
        assert dump["version"] == 1 and len(dump["tables"]["runs"]) == 1
    with open_inventory(db_url) as inventory:
        [old] = inventory.runs("instance:old.example.com")
        versions = inventory.db.execute("SELECT version FROM advisor_schema")
    assert old.score == 77.5 and old.findings[0].remediation == []
    assert sorted(v[0] for v in versions) == list(range(1, migrations.latest() + 1))


def test_an_up_to_date_inventory_is_not_backed_up_again(tmp_path: Path) -> None:
    path, url = _sqlite(tmp_path)
    record_run(url, make_run())
    record_run(url, make_run(day=1))
    assert list(tmp_path.glob("*.bak")) == []
