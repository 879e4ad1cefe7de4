"""Opens an inventory: refuses foreign or corrupt databases, migrates old ones."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from advisor.store import migrations
from advisor.store.database import (
    APPLICATION_ID,
    MIGRATION_LOCK,
    Database,
    connect,
    driver_errors,
)
from advisor.store.errors import InventoryError
from advisor.store.location import Location, data_dir

log = logging.getLogger(__name__)

#: Tables the inventory owns; a database holding some of them without
#: ``advisor_schema`` belongs to something else.
OWN_TABLES = ("advisor_schema", "environments", "runs", "subscores", "findings")


def open_database(location: Location, version: int | None = None) -> Database:
    """Connects and brings the schema to ``version`` (default: the latest)."""
    db = connect(location)
    try:
        upgrade(db, migrations.latest() if version is None else version)
    except InventoryError:
        db.close()
        raise
    except driver_errors() as error:
        db.close()
        raise InventoryError(
            f"the inventory {location.display()} could not be prepared: {error}.",
            fix="Check the database, or point --db elsewhere.",
        ) from None
    return db


def upgrade(db: Database, target: int) -> None:
    """Applies the missing steps up to ``target``, backing the database up first."""
    version = schema_version(db)
    if version is not None and version > migrations.latest():
        raise InventoryError(
            f"the inventory {db.location.display()} has schema version {version}, "
            f"newer than this advisor's {migrations.latest()}.",
            fix="Upgrade gitlab-perf-advisor, or use another --db.",
        )
    if version is not None and version >= target:
        return
    if version is not None:
        backup = write_backup(db, version)
        log.warning(
            "migrating the inventory from schema %d to %d; backup at %s",
            version,
            target,
            backup,
        )
    with db.transaction():
        if db.dialect == "postgresql":
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        current = schema_version(db) or 0  # another process may have migrated
        for step in migrations.steps()[current:target]:
            _apply(db, step)


def _apply(db: Database, step: migrations.Step) -> None:
    db.script(step.for_dialect(db.dialect))
    db.execute(
        "INSERT INTO advisor_schema (version, name, applied_at) VALUES (?, ?, ?)",
        (step.version, step.name, datetime.now(UTC).isoformat()),
    )
    if db.dialect == "sqlite" and step.version == 1:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    log.info("inventory schema now at version %d (%s)", step.version, step.name)


def schema_version(db: Database) -> int | None:
    """The version recorded in the database; None for an empty database."""
    if db.dialect == "sqlite":
        _check_sqlite(db)
    tables = db.tables()
    if "advisor_schema" not in tables:
        theirs = sorted(tables if db.dialect == "sqlite" else tables & set(OWN_TABLES))
        if theirs:
            raise _foreign(db, f"it holds other tables ({', '.join(theirs[:5])})")
        return None
    rows = db.execute("SELECT max(version) FROM advisor_schema")
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def _check_sqlite(db: Database) -> None:
    try:
        result = db.execute("PRAGMA quick_check")
        app_id = db.execute("PRAGMA application_id")[0][0]
    except sqlite3.DatabaseError as error:
        raise _corrupt(db, str(error)) from None
    if not result or result[0][0] != "ok":
        raise _corrupt(db, str(result[0][0]) if result else "no answer to a check")
    if app_id not in (0, APPLICATION_ID):
        raise _foreign(db, f"it belongs to another application (id {app_id})")


def _corrupt(db: Database, detail: str) -> InventoryError:
    return InventoryError(
        f"the inventory {db.location.display()} is damaged ({detail}); the advisor "
        "leaves it untouched.",
        fix="Restore it from a backup (*.bak beside it), or move it away to start a "
        "new one.",
    )


def _foreign(db: Database, why: str) -> InventoryError:
    return InventoryError(
        f"{db.location.display()} is not an advisor inventory: {why}; the advisor "
        "leaves it untouched.",
        fix="Point --db or ADVISOR_DATA_DIR at an empty or advisor-made database.",
    )


def write_backup(db: Database, version: int) -> Path:
    """Copies the whole database before a migration and returns where it went."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    if db.location.path is not None:
        target = db.location.path.with_name(
            f"{db.location.path.name}.v{version}-{stamp}.bak"
        )
        with (
            sqlite3.connect(db.location.path) as source,
            sqlite3.connect(target) as copy,
        ):
            source.backup(copy)
        source.close()
        copy.close()
        return target
    target = data_dir() / f"inventory-postgresql-v{version}-{stamp}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    dump = {
        table: [list(map(_plain, row)) for row in db.execute(f"SELECT * FROM {table}")]
        for table in OWN_TABLES
        if table in db.tables()
    }
    target.write_text(json.dumps({"version": version, "tables": dump}, indent=1))
    return target


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | float | type(None)) else str(value)
