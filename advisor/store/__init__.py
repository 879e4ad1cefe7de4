"""The inventory of diagnosed environments: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
from typing import Any

from advisor.store.inventory import Inventory, open_inventory
from advisor.store.location import default_path, parse_url
from advisor.store.records import RecordId, RunRecord

log = logging.getLogger(__name__)

__all__ = [
    "Inventory",
    "RecordId",
    "RunRecord",
    "default_path",
    "open_inventory",
    "parse_url",
    "record",
    "record_run",
]


def record(
    db_url: str | None,
    diagnosis: Any,
    env_name: str | None = None,
    redact: bool = False,
) -> RecordId:
    """Stores a Diagnosis in the inventory at ``db_url`` (default: the user's file)."""
    from advisor.store.adapter import run_record

    redactor = None
    if redact:
        from advisor.store.redaction import redactor_for

        redactor = redactor_for(diagnosis)
    return record_run(db_url, run_record(diagnosis, env_name), redact, redactor)


def record_run(
    db_url: str | None, run: RunRecord, redact: bool = False, redactor: Any = None
) -> RecordId:
    """Stores a prepared RunRecord, with names replaced by pseudonyms if asked.

    ``redactor`` may come with the users and projects of the diagnosis registered,
    so that names quoted in findings' text are replaced too.
    """
    if redact:
        from advisor.store.redaction import redact_run

        run = redact_run(run, redactor)
    with open_inventory(db_url) as inventory:
        return inventory.add(run)
