"""Lists every key binding of the app, screen by screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Markdown


def binding_tables() -> str:
    """The BINDINGS tables of every screen and widget, as one Markdown page."""
    from advisor.tui.app import AdvisorApp
    from advisor.tui.screens.export_dialog import ExportDialog
    from advisor.tui.screens.finding_screen import FindingScreen
    from advisor.tui.screens.loading_screen import LoadingScreen
    from advisor.tui.screens.main_screen import MainScreen
    from advisor.tui.screens.note_dialog import NoteDialog
    from advisor.tui.widgets.checklist import Checklist
    from advisor.tui.widgets.findings_list import FindingsList
    from advisor.tui.widgets.stats_table import StatsTable

    places: list[tuple[str, type[DOMNode]]] = [
        ("Everywhere", AdvisorApp),
        ("Main screen", MainScreen),
        ("Findings tab", FindingsList),
        ("Statistics tab", StatsTable),
        ("Finding detail", FindingScreen),
        ("Checklist", Checklist),
        ("Export dialog", ExportDialog),
        ("Note dialog", NoteDialog),
        ("While loading", LoadingScreen),
        ("This help", HelpScreen),
    ]
    lines = ["# Keys", ""]
    for title, owner in places:
        lines += [f"## {title}", ""]
        lines += [
            "| Key | Action |",
            "| :- | :- |",
        ]
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            keys = ", ".join(key_name(k) for k in binding.key.split(","))
            lines.append(f"| {keys} | {binding.description or binding.action} |")
        lines.append("")
    lines += [
        "Enter opens the highlighted finding and ticks the highlighted step. "
        "Arrows, Page Up/Down, Home/End and Tab move as usual; the mouse can click "
        "tabs, findings, column headers (to sort) and checklist steps.",
    ]
    return "\n".join(lines)


def key_name(key: str) -> str:
    """A key as the footer names it."""
    names = {"question_mark": "?", "slash": "/", "space": "Space", "escape": "Esc"}
    return names.get(key, key.capitalize() if len(key) > 1 else key)


class HelpScreen(ModalScreen[None]):
    """Shows the key bindings; any of Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]
    """
    | Key | Action |
    | :- | :- |
    | Escape, q, ? | Close the help. |
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(binding_tables())
