"""A plain table and its renderings as aligned text, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
#: Characters shown escaped: C0 and C1 controls and bidirectional overrides, which
#: a log line could use to rewrite the terminal or reorder the text around it.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: First characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(text: str) -> str:
    """Escapes control and bidirectional characters so a cell prints as one line."""
    return UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}"
            if ord(m.group()) < 256
            else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def csv_cell(value: object) -> object:
    """Neutralises text cells a spreadsheet would run as formulas; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


@dataclass
class Table:
    """Rows of already formatted cells under a header; the first column is the key."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str = ""
    numeric: list[bool] | None = None
    """Which columns align right; by default all but the first."""

    def _numeric(self) -> list[bool]:
        if self.numeric is not None:
            return self.numeric
        return [index > 0 for index in range(len(self.headers))]


def to_text(table: Table, color: bool = False) -> str:
    """Renders aligned columns separated by two spaces, the header bold on a TTY."""
    table = Table(
        [safe(h) for h in table.headers],
        [[safe(cell) for cell in row] for row in table.rows],
        safe(table.title),
        table.numeric,
    )
    widths = [len(header) for header in table.headers]
    for row in table.rows:
        widths = [
            max(width, len(cell)) for width, cell in zip(widths, row, strict=True)
        ]
    numeric = table._numeric()

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    header = line(table.headers)
    lines = [f"{BOLD}{header}{RESET}" if color else header]
    lines += [line(row) for row in table.rows]
    if table.title:
        lines.insert(0, f"{BOLD}{table.title}{RESET}" if color else table.title)
    return "\n".join(lines)


def _md_cell(cell: str) -> str:
    return safe(cell).replace("|", "\\|")


def to_markdown(table: Table) -> str:
    """Renders a GitHub-flavoured Markdown table, numbers right-aligned."""
    align = ["---:" if right else ":---" for right in table._numeric()]
    lines = []
    if table.title:
        lines += [f"### {table.title}", ""]
    lines.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
    lines.append("| " + " | ".join(align) + " |")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def to_csv(headers: list[str], rows: Sequence[Sequence[object]]) -> str:
    """Renders a header and rows as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
