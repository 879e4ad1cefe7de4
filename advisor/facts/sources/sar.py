"""Network rates, TCP retransmits and CPU split - ``sar`` outputs (files ``sar_dev``,
``sar_tcp`` and, where present, ``sar_cpu``).

Sample input (``sar -n DEV 1 3``)::

    Linux 5.15.0-1051-aws (rails-1)   03/06/2025   _x86_64_   (8 CPU)

    04:05:01 PM  IFACE  rxpck/s  txpck/s   rxkB/s   txkB/s  rxcmp/s  txcmp/s  %ifutil
    04:05:02 PM   ens5  9800.00 12100.00 41000.00 95000.00     0.00     0.00     0.00
    04:05:02 PM     lo   300.00   300.00    50.00    50.00     0.00     0.00     0.00

    Average:     IFACE  rxpck/s  txpck/s   rxkB/s   txkB/s  rxcmp/s  txcmp/s  %ifutil
    Average:      ens5  9500.00 11800.00 40000.00 93000.00     0.00     0.00     0.00
    Average:        lo   310.00   310.00    52.00    52.00     0.00     0.00     0.00

(``rxmcst/s`` left out here.) The ``sar -n TCP,ETCP`` layout has ``retrans/s`` and the
``sar -u`` layout has ``%iowait`` and ``%steal``; every table is read by its header.

Examples:
    >>> report = parse(SAMPLE, "sar_dev")
    >>> [(i.interface, i.tx_kb_per_s, i.source.line) for i in report.interfaces]
    [('ens5', 93000.0, 8)]
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, Field

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, InterfaceRate, Source, fact
from advisor.facts.sources._text import mean, numbered, numeric_tail

log = logging.getLogger(__name__)

SAMPLE = """\
Linux 5.15.0-1051-aws (rails-1)   03/06/2025   _x86_64_   (8 CPU)

04:05:01 PM  IFACE  rxpck/s  txpck/s   rxkB/s   txkB/s  rxcmp/s  txcmp/s  %ifutil
04:05:02 PM   ens5  9800.00 12100.00 41000.00 95000.00     0.00     0.00     0.00
04:05:02 PM     lo   300.00   300.00    50.00    50.00     0.00     0.00     0.00

Average:     IFACE  rxpck/s  txpck/s   rxkB/s   txkB/s  rxcmp/s  txcmp/s  %ifutil
Average:      ens5  9500.00 11800.00 40000.00 93000.00     0.00     0.00     0.00
Average:        lo   310.00   310.00    52.00    52.00     0.00     0.00     0.00
"""

#: Row labels that name a table's key column (the first non-numeric header word).
KEY_COLUMNS = ("IFACE", "CPU", "DEV")


class Table(BaseModel):
    """One sar table: its columns and its rows as `(line, key, values)`."""

    columns: list[str]
    rows: list[tuple[int, str, dict[str, float]]] = Field(default_factory=list)
    averages: list[tuple[int, str, dict[str, float]]] = Field(default_factory=list)


class SarReport(BaseModel):
    """Facts read from any sar table in the file."""

    interfaces: list[InterfaceRate] = Field(default_factory=list)
    tcp_retransmits_per_s: Fact[float] | None = None
    iowait_pct: Fact[float] | None = None
    steal_pct: Fact[float] | None = None


def parse(text: str, file: str = "sar_dev") -> SarReport:
    """Splits the file into tables by header, then reads the known columns."""
    tables = _tables(text)
    if not any(table.rows or table.averages for table in tables):
        raise ParseError("no sar table with rows")
    report = SarReport()
    for table in tables:
        _read(table, report, file)
    return report


def _tables(text: str) -> list[Table]:
    """Collects tables; a header is a row whose last word is a `/s` or `%` column."""
    tables: list[Table] = []
    by_columns: dict[tuple[str, ...], Table] = {}
    current: Table | None = None
    for line_no, line in numbered(text):
        words = line.split()
        if not words or line.startswith("Linux"):
            continue
        if _is_header(words):
            columns = _columns(words)
            current = by_columns.setdefault(tuple(columns), Table(columns=columns))
            if current not in tables:
                tables.append(current)
        elif current is not None and len(words) > len(current.columns):
            _add_row(current, words, line_no)
    return tables


def _is_header(words: list[str]) -> bool:
    """Tells a header row from a data row."""
    return words[-1].endswith(("/s", "%")) or words[-1].startswith("%")


def _columns(words: list[str]) -> list[str]:
    """Drops the time stamp words and the key column from a header."""
    for index, word in enumerate(words):
        if word.endswith("/s") or word.startswith("%"):
            return words[index:]
    return words


def _add_row(table: Table, words: list[str], line_no: int) -> None:
    """Adds a timed or `Average:` row; a key column is kept when the table has one."""
    values = numeric_tail(words, len(table.columns), f"line {line_no}")
    key = words[-len(table.columns) - 1]
    row = (line_no, key, dict(zip(table.columns, values, strict=True)))
    (table.averages if words[0] == "Average:" else table.rows).append(row)


def _read(table: Table, report: SarReport, file: str) -> None:
    """Copies the columns the advisor uses into the report."""
    rows = table.averages or table.rows
    if "txkB/s" in table.columns:
        report.interfaces.extend(_interfaces(rows, file))
    for column, attribute in (
        ("retrans/s", "tcp_retransmits_per_s"),
        ("%iowait", "iowait_pct"),
        ("%steal", "steal_pct"),
    ):
        overall = [
            row for row in rows if row[1] in ("all", "-") or column == "retrans/s"
        ]
        if column in table.columns and overall:
            value = mean([values[column] for _, _, values in overall])
            note = f"mean of {len(overall)} rows"
            setattr(report, attribute, fact(value, file, overall[0][0], note))


def _interfaces(
    rows: list[tuple[int, str, dict[str, float]]], file: str
) -> list[InterfaceRate]:
    """Averages each interface, leaving out loopback."""
    names = sorted({key for _, key, _ in rows if key != "lo"})
    rates = []
    for name in names:
        mine = [(line, values) for line, key, values in rows if key == name]
        rates.append(
            InterfaceRate(
                interface=name,
                rx_kb_per_s=mean([values["rxkB/s"] for _, values in mine]),
                tx_kb_per_s=mean([values["txkB/s"] for _, values in mine]),
                source=Source(file=file, line=mine[0][0]),
            )
        )
    return rates
