"""Numbered schema steps; each module holds the SQL that takes the schema one version up.

A step's SQL may use ``{id}`` for an auto-numbered primary key and ``{float}`` for a
double-precision column, filled in for the dialect.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: Step modules in order; version N is reached by applying the first N.
STEPS = ("m0001_initial", "m0002_run_details")

TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "float": "REAL"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "float": "DOUBLE PRECISION"},
}


@dataclass(frozen=True)
class Step:
    """One migration: the version it reaches, a name, and its SQL for a dialect."""

    version: int
    name: str
    sql: str

    def for_dialect(self, dialect: str) -> str:
        """The step's SQL with the dialect's column types filled in."""
        return self.sql.format(**TYPES[dialect])


def steps() -> list[Step]:
    """Every migration step, oldest first."""
    found = []
    for version, module_name in enumerate(STEPS, start=1):
        module = importlib.import_module(f"{__name__}.{module_name}")
        found.append(Step(version, module.NAME, module.SQL))
    return found


def latest() -> int:
    """The schema version this advisor writes."""
    return len(STEPS)
