"""The columns of a statistics table: names for --fields and --sort-by, and formats."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from advisor.errors import UsageError
from advisor.ingest.kinds import COMPONENT_LABELS, KINDS
from advisor.stats.aggregate import KeyStats

Value = float | int | None


@dataclass(frozen=True)
class Column:
    """One statistic a table can show or sort by."""

    name: str
    header: str
    get: Callable[[KeyStats], Value]
    digits: int = 2


def _component(label: str, part: str) -> Callable[[KeyStats], Value]:
    def get(row: KeyStats) -> Value:
        component = row.components.get(label)
        return None if component is None else getattr(component, part)

    return get


BASE = [
    Column("count", "COUNT", lambda r: r.count, 0),
    Column("rps", "RPS", lambda r: r.rps),
    Column("p99", "P99_ms", lambda r: r.p99),
    Column("p95", "P95_ms", lambda r: r.p95),
    Column("median", "MEDIAN_ms", lambda r: r.median),
    Column("max", "MAX_ms", lambda r: r.max),
    Column("min", "MIN_ms", lambda r: r.min),
    Column("stddev", "STDDEV", lambda r: r.stddev),
    Column("score", "SCORE", lambda r: r.score, 0),
    Column("fail", "%FAIL", lambda r: r.fail_pct),
    Column("cancel", "%CANCEL", lambda r: r.cancel_pct),
]
COMPONENT_PARTS = (("mean", "MEAN_ms"), ("p95", "P95_ms"), ("total", "TOTAL_ms"))
COMPONENTS = [
    Column(f"{label}_{part}", f"{label.upper()}_{header}", _component(label, part))
    for label in COMPONENT_LABELS.values()
    for part, header in COMPONENT_PARTS
]
ALL = {column.name: column for column in BASE + COMPONENTS}


def default_fields(kind: str) -> list[str]:
    """fast-stats' columns; %CANCEL only where cancellations exist (Gitaly)."""
    names = [column.name for column in BASE]
    if kind != "gitaly":
        names.remove("cancel")
    return names


def component_fields(kind: str) -> list[str]:
    """Mean and P95 columns of every component a kind reports."""
    labels = [COMPONENT_LABELS[column] for column in KINDS[kind].components]
    return [f"{label}_{part}" for label in labels for part in ("mean", "p95")]


def all_fields(kind: str) -> list[str]:
    """Every column that applies to a kind."""
    labels = [COMPONENT_LABELS[column] for column in KINDS[kind].components]
    parts = [f"{label}_{part}" for label in labels for part, _ in COMPONENT_PARTS]
    return default_fields(kind) + parts


def resolve(name: str, option: str) -> Column:
    """Finds a column by name, suggesting the closest on a typo."""
    key = name.strip().lower().replace("-", "_").lstrip("%")
    key = {"std_dev": "stddev", "fail_pct": "fail", "med": "median"}.get(key, key)
    if key in ALL:
        return ALL[key]
    close = difflib.get_close_matches(key, list(ALL), n=1)
    hint = f"Did you mean {close[0]!r}? " if close else ""
    raise UsageError(
        f"{option} {name!r} is not a column.",
        fix=f"{hint}Columns: {', '.join(ALL)}.",
    )


def format_value(value: Value, digits: int) -> str:
    """Formats a number for text output; missing values print as '-'."""
    if value is None:
        return "-"
    if digits == 0:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"
