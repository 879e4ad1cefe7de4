"""Per-kind statistics tables: sortable, searchable, with baseline columns."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select

from advisor.diagnosis import Diagnosis

#: Columns: (header, row field, decimals).
COLUMNS: list[tuple[str, str, int]] = [
    ("KEY", "key", -1),
    ("COUNT", "count", 0),
    ("RPS", "rps", 2),
    ("P99_ms", "p99_ms", 0),
    ("P95_ms", "p95_ms", 0),
    ("MEDIAN_ms", "median_ms", 0),
    ("%FAIL", "fail_pct", 1),
]
COMPARE_COLUMNS: list[tuple[str, str, int]] = [
    ("BASE_ms", "baseline_ms", 0),
    ("RATIO", "ratio", 2),
    ("CI", "interval", -1),
]
KEY_WIDTH = 36


def _cell(value: Any, decimals: int) -> Any:
    if value is None:
        return "-"
    if decimals < 0 or not isinstance(value, int | float):
        return str(value)
    return round(float(value), decimals) if decimals else int(round(value))


def shorten(key: str, width: int) -> str:
    """A key cut to ``width`` from the left: the action or route end tells keys apart."""
    return key if len(key) <= width else "…" + key[-(width - 1) :]


def compare_index(diagnosis: Diagnosis) -> dict[tuple[str, str], dict[str, Any]]:
    """Comparisons by (kind, key), for the baseline columns."""
    return {(c.get("kind", ""), c.get("key", "")): c for c in diagnosis.comparisons}


class StatsTable(Vertical):
    """Shows one kind's table at a time; column headers or s sort, / searches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort"),
        Binding("slash", "focus_search", "Search"),
        Binding("k", "next_kind", "Next kind"),
    ]
    """
    | Key | Action |
    | :- | :- |
    | s | Sort by the column under the cursor (again: reverse). |
    | / | Search keys (substring, any case). |
    | k | Show the next log kind. |
    """

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(id="stats")
        self.tables = {t["kind"]: t for t in diagnosis.tables}
        self.comparisons = compare_index(diagnosis)
        self.with_baseline = bool(diagnosis.baseline and diagnosis.comparisons)
        self.kind = next(iter(self.tables), "")
        self.sort_key: str | None = None
        self.reverse = True

    def compose(self) -> ComposeResult:
        with Horizontal(id="stats-bar"):
            yield Select(
                [(kind, kind) for kind in self.tables],
                value=self.kind if self.kind else Select.NULL,
                allow_blank=not self.tables,
                id="stats-kind",
                compact=True,
            )
            yield Input(placeholder="/ search keys", id="stats-search", compact=True)
        yield DataTable(id="stats-table", zebra_stripes=True, cursor_type="cell")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        columns = COLUMNS + (COMPARE_COLUMNS if self.with_baseline else [])
        for header, field, _ in columns:
            width = self.key_width(columns) if field == "key" else None
            table.add_column(header, key=field, width=width)
        self.fill()

    def key_width(self, columns: list[tuple[str, str, int]]) -> int:
        """The key column takes the width the others leave (at least KEY_WIDTH)."""
        others = sum(max(len(header), 6) + 2 for header, field, _ in columns[1:])
        # Two cells of padding around the key, and the scroll bar.
        return max(KEY_WIDTH, self.app.size.width - others - 4)

    def rows(self) -> list[dict[str, Any]]:
        """The current kind's rows matching the search, with baseline fields."""
        table = self.tables.get(self.kind) or {}
        search = self.query_one("#stats-search", Input).value.lower()
        out = []
        for row in table.get("rows") or []:
            if search and search not in str(row.get("key", "")).lower():
                continue
            found = self.comparisons.get((self.kind, row.get("key", "")))
            extra: dict[str, Any] = {"baseline_ms": None, "ratio": None}
            extra["interval"] = None
            if found:
                extra["baseline_ms"] = found.get("baseline_ms")
                extra["ratio"] = found.get("ratio")
                low, high = found.get("ci_low"), found.get("ci_high")
                if low is not None and high is not None:
                    extra["interval"] = f"{low:.2f}–{high:.2f}"
            out.append({**row, **extra})
        if self.sort_key:
            key = self.sort_key
            numeric = [r for r in out if isinstance(r.get(key), int | float)]
            other = [r for r in out if not isinstance(r.get(key), int | float)]
            if key in ("key", "interval"):
                out.sort(key=lambda r: str(r.get(key) or ""), reverse=self.reverse)
            else:
                numeric.sort(key=lambda r: r[key], reverse=self.reverse)
                out = numeric + other
        return out

    def fill(self) -> None:
        """Redraws the table for the kind, search and sort chosen."""
        table = self.query_one(DataTable)
        table.clear()
        columns = COLUMNS + (COMPARE_COLUMNS if self.with_baseline else [])
        width = self.key_width(columns)
        for row in self.rows():
            cells = [_cell(row.get(field), decimals) for _, field, decimals in columns]
            cells[0] = shorten(str(cells[0]), width)
            table.add_row(*cells, key=str(row.get("key")))

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.kind = event.value
            self.fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def sort_by(self, field: str) -> None:
        """Sorts by ``field``, descending first; the same field again reverses."""
        self.reverse = not self.reverse if field == self.sort_key else field != "key"
        self.sort_key = field
        self.fill()

    def action_sort(self) -> None:
        table = self.query_one(DataTable)
        columns = list(table.columns)
        if columns:
            self.sort_by(str(columns[table.cursor_column].value))

    def action_focus_search(self) -> None:
        self.query_one("#stats-search", Input).focus()

    def action_next_kind(self) -> None:
        kinds = list(self.tables)
        if kinds:
            index = (kinds.index(self.kind) + 1) % len(kinds) if self.kind else 0
            self.query_one(Select).value = kinds[index]
