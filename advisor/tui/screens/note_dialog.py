"""Asks for a note on a checklist step."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NoteDialog(ModalScreen[str | None]):
    """Returns the note typed (Enter; empty removes it) or None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    """
    | Key | Action |
    | :- | :- |
    | Enter | Save the note. |
    | Escape | Cancel. |
    """

    def __init__(self, step: str, note: str) -> None:
        super().__init__()
        self.step = step
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Note on: {self.step}", markup=False)
            yield Input(value=self.note, placeholder="who, what, ticket", id="note")
            yield Label("Enter saves, Escape cancels.", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
