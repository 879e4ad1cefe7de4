"""One connection to the inventory, SQLite or PostgreSQL, behind the same calls."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from advisor.store.errors import InventoryError
from advisor.store.location import Location

log = logging.getLogger(__name__)

#: Seconds a writer waits for another one to finish before giving up.
BUSY_TIMEOUT_S = 60
#: Marks a SQLite file as an advisor inventory (``PRAGMA application_id``).
APPLICATION_ID = 0x47504156  # "GPAV"
#: Key of the PostgreSQL advisory lock that serialises migrations.
MIGRATION_LOCK = 0x47504156
SQLITE_HEADER = b"SQLite format 3\x00"

Row = tuple[Any, ...]


class Database:
    """A connection in autocommit mode; ``transaction()`` groups writes."""

    def __init__(self, location: Location, connection: Any) -> None:
        self.location = location
        self.dialect = location.dialect
        self._con = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Runs one statement (``?`` placeholders) and returns its rows, if any."""
        if self.dialect == "postgresql":
            sql = sql.replace("?", "%s")
        cursor = self._con.execute(sql, tuple(params))
        if cursor.description is None:
            return []
        return [tuple(row) for row in cursor.fetchall()]

    def script(self, sql: str) -> None:
        """Runs several statements separated by semicolons, inside the current transaction."""
        for statement in sql.split(";"):
            if statement.strip():
                self.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Holds the write lock from the start, so concurrent writers queue up."""
        if self.dialect == "sqlite":
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")
            return
        with self._con.transaction():
            yield self

    def tables(self) -> set[str]:
        """Names of the tables that exist."""
        if self.dialect == "sqlite":
            rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        return {str(row[0]) for row in rows}

    def close(self) -> None:
        """Closes the connection."""
        self._con.close()


def connect(location: Location) -> Database:
    """Opens the database, refusing files that are not SQLite databases."""
    if location.dialect == "sqlite":
        return _connect_sqlite(location)
    return _connect_postgresql(location)


def _connect_sqlite(location: Location) -> Database:
    assert location.path is not None
    path = location.path
    if path.exists():
        _check_header(location)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InventoryError(
                f"cannot create the folder of the inventory {str(path)!r}: "
                f"{error.strerror}.",
                fix="Choose another place with --db sqlite:///path or ADVISOR_DATA_DIR.",
            ) from None
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        con.execute("PRAGMA foreign_keys = ON")
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    except sqlite3.Error as error:
        raise InventoryError(
            f"cannot open the inventory {str(path)!r}: {error}.",
            fix="Check that the file is readable and writable, or use another --db.",
        ) from None
    return Database(location, con)


def _check_header(location: Location) -> None:
    assert location.path is not None
    try:
        with open(location.path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise InventoryError(
            f"cannot read the inventory {str(location.path)!r}: {error.strerror}.",
            fix="Check its permissions, or use another --db.",
        ) from None
    if header and header != SQLITE_HEADER:
        raise InventoryError(
            f"{str(location.path)!r} is not an SQLite database; the advisor leaves it "
            "untouched.",
            fix="Move it away, or point --db or ADVISOR_DATA_DIR elsewhere.",
        )


def _connect_postgresql(location: Location) -> Database:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        raise InventoryError(
            "PostgreSQL inventories need the psycopg package.",
            fix="Install it with: pip install 'psycopg[binary]'.",
        ) from None
    try:
        con = psycopg.connect(location.url, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "error"
        raise InventoryError(
            f"cannot connect to the inventory {location.display()}: {first}.",
            fix="Check the host, port, user, password and database name in --db.",
        ) from None
    return Database(location, con)


def driver_errors() -> tuple[type[BaseException], ...]:
    """The exception classes of both drivers, for wrapping unexpected failures."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)
