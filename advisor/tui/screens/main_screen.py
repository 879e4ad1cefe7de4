"""The main screen: header, then tabs for findings, statistics, environment, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from advisor.diagnosis import Diagnosis
from advisor.tui.widgets.environment_header import EnvironmentHeader
from advisor.tui.widgets.errors_table import ErrorsTable
from advisor.tui.widgets.facts_tree import FactsTree
from advisor.tui.widgets.findings_list import FindingsList
from advisor.tui.widgets.stats_table import StatsTable

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

TABS = ("findings", "statistics", "environment", "errors")


class MainScreen(Screen[None]):
    """Shows the whole diagnosis, one tab per view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "tab('findings')", "Findings", show=False),
        Binding("2", "tab('statistics')", "Statistics", show=False),
        Binding("3", "tab('environment')", "Environment", show=False),
        Binding("4", "tab('errors')", "Errors", show=False),
    ]
    """
    | Key | Action |
    | :- | :- |
    | 1-4 | Show the Findings, Statistics, Environment or Errors tab. |
    """

    AUTO_FOCUS = "#findings-options"

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.diagnosis = diagnosis

    @property
    def advisor(self) -> AdvisorApp:
        """The app, with its store and environment."""
        return self.app  # type: ignore[return-value]  # always an AdvisorApp

    def compose(self) -> ComposeResult:
        yield EnvironmentHeader(self.diagnosis)
        with TabbedContent(initial="findings-tab"):
            with TabPane("Findings", id="findings-tab"):
                yield FindingsList(self.diagnosis.findings, self.checklist_progress())
            with TabPane("Statistics", id="statistics-tab"):
                yield StatsTable(self.diagnosis)
            with TabPane("Environment", id="environment-tab"):
                yield FactsTree(self.diagnosis)
            with TabPane("Errors", id="errors-tab"):
                yield ErrorsTable(self.diagnosis)
        yield Footer()

    def on_screen_resume(self) -> None:
        self.query_one(FindingsList).update_progress(self.checklist_progress())

    def checklist_progress(self) -> dict[str, str]:
        """Steps done per finding, as "done/all"."""
        counts: dict[str, list[int]] = {}
        for state in self.advisor.store.states(self.advisor.env[0]):
            pair = counts.setdefault(state.finding_id, [0, 0])
            pair[0] += state.done
            pair[1] += 1
        return {key: f"{done}/{total}" for key, (done, total) in counts.items()}

    def action_tab(self, name: str) -> None:
        """Shows a tab and puts the keyboard in it."""
        self.query_one(TabbedContent).active = f"{name}-tab"
        pane = self.query_one(f"#{name}-tab", TabPane)
        focusable = [w for w in pane.query("*") if w.focusable]
        target = focusable[-1] if name != "environment" else pane.query_one(FactsTree)
        if name == "findings":
            self.query_one(FindingsList).focus_list()
        elif focusable:
            target.focus()
