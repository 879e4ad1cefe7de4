"""The evidence behind a finding: observed, baseline, ratio, interval, source."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from advisor.engine.findings import Evidence, in_unit


def number(value: Any) -> str:
    """A short human form of an observed or baseline value."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def observed(item: Evidence) -> str:
    """The observed value, in its fact's unit as the sentences say it (89.2%)."""
    value = item.observed
    if item.fact and isinstance(value, int | float) and not isinstance(value, bool):
        return in_unit(value, item.fact)
    return number(value)


def where(item: Evidence) -> str:
    """``file:line`` of an evidence item, with its node when known."""
    if not item.source:
        return "-"
    text = item.source + (f":{item.line}" if item.line else "")
    return f"{item.node}: {text}" if item.node else text


def evidence_lines(evidence: list[Evidence]) -> str:
    """The evidence sentences, numbered as the table's rows are."""
    return "\n".join(f"{n}. {item.text}" for n, item in enumerate(evidence, 1))


class EvidenceTable(DataTable[str]):
    """One row per evidence item, numbered like the sentences above it."""

    def __init__(self, evidence: list[Evidence]) -> None:
        super().__init__(id="evidence", cursor_type="row", zebra_stripes=True)
        self.evidence = evidence

    def on_mount(self) -> None:
        for header in ("#", "OBSERVED", "BASELINE", "RATIO", "INTERVAL", "SOURCE"):
            self.add_column(header)
        for number_, item in enumerate(self.evidence, 1):
            interval = (
                f"{item.interval[0]:.2f}–{item.interval[1]:.2f}"
                if item.interval
                else "-"
            )
            self.add_row(
                str(number_),
                observed(item),
                number(item.baseline),
                "-" if item.ratio is None else f"{item.ratio:.2f}x",
                interval,
                where(item),
            )
