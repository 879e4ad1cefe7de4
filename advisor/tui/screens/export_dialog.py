"""Asks for the file an export goes to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ExportDialog(ModalScreen[str | None]):
    """Returns the path typed (Enter) or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    """
    | Key | Action |
    | :- | :- |
    | Enter | Write the file. |
    | Escape | Cancel. |
    """

    def __init__(self, fmt: str, default: str) -> None:
        super().__init__()
        self.fmt = fmt
        self.default = default

    def compose(self) -> ComposeResult:
        kind = "JSON" if self.fmt == "json" else "Markdown"
        with Vertical(classes="dialog"):
            yield Label(f"Export the diagnosis as {kind} to:")
            yield Input(value=self.default, id="export-path")
            yield Label("Enter writes, Escape cancels.", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
