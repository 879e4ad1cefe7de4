"""Grouped errors: one row per kind, error and message, with sample events below."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from advisor.diagnosis import Diagnosis

MESSAGE_WIDTH = 48


class ErrorsTable(Vertical):
    """Lists error groups by count; the highlighted group's correlation ids below."""

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(id="errors")
        self.groups: list[dict[str, Any]] = list(diagnosis.errors)

    def compose(self) -> ComposeResult:
        yield DataTable(id="errors-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="errors-samples", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("KIND", key="kind")
        table.add_column("ERROR", key="error", width=28)
        table.add_column("COUNT", key="count")
        table.add_column("MESSAGE", key="message", width=MESSAGE_WIDTH)
        for index, group in enumerate(self.groups):
            table.add_row(
                group.get("kind", ""),
                group.get("error", ""),
                group.get("count", 0),
                group.get("message", "") or "",
                key=str(index),
            )
        self.show_samples(0)

    def show_samples(self, index: int) -> None:
        """Shows the last events of group ``index`` with their correlation ids."""
        samples = self.query_one("#errors-samples", Static)
        if not self.groups:
            samples.update("No failed events among the inputs.")
            return
        group = self.groups[index]
        lines = [
            f"{group.get('error')}: {group.get('message') or '-'}",
            "  last events: time (UTC), correlation id, key",
        ]
        for event in group.get("samples") or []:
            stamp = str(event.get("time") or "?")[:19].replace("T", " ")
            lines.append(
                f"  {stamp}  {event.get('correlation_id') or '-'}  "
                f"{event.get('key') or ''}"
            )
        samples.update("\n".join(lines))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show_samples(int(event.row_key.value))
