"""Comparisons, scores and load patterns as text, Markdown, CSV and JSON."""

from __future__ import annotations

import json
import logging
from typing import Any

from advisor.compare.compare import MARGIN, ranked
from advisor.compare.models import KeyComparison, LoadPattern, Score
from advisor.render.table import Table, csv_cell, safe, to_csv, to_markdown, to_text

log = logging.getLogger(__name__)

HEADERS = [
    "KEY",
    "KIND",
    "METRIC",
    "COMPONENT",
    "COUNT",
    "OBSERVED_ms",
    "BASELINE_ms",
    "RATIO",
    "CI95",
    "SIGNIFICANT",
    "LOST_s",
]


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _verdict(row: KeyComparison) -> str:
    if row.baseline_ms is None:
        return "no baseline"
    if not row.enough_events:
        return "too few events"
    if not row.significant:
        return "no"
    return "slower" if (row.ci_low or 0) > 1 else "faster"


#: Widest key shown in text and Markdown tables; JSON and CSV keep the whole key.
KEY_WIDTH = 70


def _short(key: str) -> str:
    """Cuts a long key (a SQL fingerprint, a long route) to fit a terminal table."""
    return key if len(key) <= KEY_WIDTH else key[: KEY_WIDTH - 1] + "…"


def _cells(row: KeyComparison) -> list[str]:
    interval = (
        f"{row.ci_low:,.2f}-{row.ci_high:,.2f}"
        if row.ci_low is not None and row.ci_high is not None
        else "-"
    )
    return [
        _short(safe(row.key)),
        row.kind,
        row.metric,
        row.component,
        str(row.count),
        _num(row.observed_ms),
        _num(row.baseline_ms),
        _num(row.ratio, 2),
        interval,
        _verdict(row),
        _num(row.time_lost_s),
    ]


def comparison_table(rows: list[KeyComparison], baseline: str, fmt: str) -> str:
    """Renders comparisons in one format: text, md, csv or json."""
    if fmt == "json":
        return dumps([row.model_dump(mode="json") for row in rows])
    if fmt == "csv":
        fields = list(KeyComparison.model_fields)
        values = [[csv_cell(getattr(r, f)) for f in fields] for r in rows]
        return to_csv(fields, values)
    percentile = rows[0].percentile.upper() if rows else "P95"
    table = Table(
        HEADERS,
        [_cells(row) for row in rows],
        title=f"Against {baseline} ({percentile}; ratio = observed / baseline)",
        numeric=[False, False, False, False] + [True] * 7,
    )
    body = to_markdown(table) if fmt == "md" else to_text(table)
    return f"{body}\n\n{_footer(rows)}"


def _footer(rows: list[KeyComparison]) -> str:
    slower = sum(1 for r in rows if r.significant and (r.ci_low or 0) > 1)
    unranked = sum(1 for r in rows if not ranked(r))
    return (
        f"{slower} of {len(rows)} keys significantly slower (95 % interval wholly above "
        f"{1 + MARGIN:.2f}); {unranked} not ranked (no baseline value or too few "
        "events). Sorted by time lost, significant slowdowns first."
    )


def score_report(score: Score, patterns: list[LoadPattern], fmt: str) -> str:
    """Renders a score with the load pattern of each component."""
    if fmt == "json":
        return dumps(
            {
                "score": score.model_dump(mode="json"),
                "load_patterns": [p.model_dump(mode="json") for p in patterns],
            }
        )
    by_component = {p.component: p for p in patterns}
    table = Table(
        ["COMPONENT", "SCORE", "EVENTS", "KEYS", "PATTERN", "RHO", "LOW_ms", "HIGH_ms"],
        [
            _score_cells(c.component, c, by_component.get(c.component))
            for c in score.components
        ],
        title=f"Score against {score.baseline}: {_num(score.overall)} / 100",
    )
    body = to_markdown(table) if fmt == "md" else to_text(table)
    spikes = [
        f"{p.component} spikes at "
        + ", ".join(m.strftime("%Y-%m-%d %H:%M") for m in p.spikes)
        for p in patterns
        if p.spikes
    ]
    return "\n".join([body, *spikes])


def _score_cells(name: str, component: Any, pattern: LoadPattern | None) -> list[str]:
    return [
        name,
        _num(component.score),
        str(component.events),
        str(component.keys_scored),
        pattern.pattern if pattern else "-",
        _num(pattern.rho, 2) if pattern else "-",
        _num(pattern.low_load_ms) if pattern else "-",
        _num(pattern.high_load_ms) if pattern else "-",
    ]


def dumps(data: Any) -> str:
    """JSON with two-space indentation."""
    return json.dumps(data, indent=2, ensure_ascii=False)
