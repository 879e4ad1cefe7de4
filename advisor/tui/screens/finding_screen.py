"""One finding: cause, look-alikes ruled out, evidence, a chart and the checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from advisor.engine.findings import Finding
from advisor.tui.messages import StepToggled
from advisor.tui.widgets.checklist import Checklist, StepItem
from advisor.tui.widgets.evidence_table import EvidenceTable, evidence_lines
from advisor.tui.widgets.findings_list import severity_label
from advisor.tui.widgets.metric_chart import MetricChart

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp

#: Which log kind a source file or a component points to, for the chart.
SOURCE_KINDS = (
    ("gitaly", "gitaly"),
    ("production_json", "production"),
    ("api_json", "api"),
    ("sidekiq", "sidekiq"),
    ("workhorse", "workhorse"),
    ("postgres", "postgres"),
    ("shell", "shell"),
)
COMPONENT_KINDS = {
    "storage": "gitaly",
    "gitaly": "gitaly",
    "web": "production",
    "rails": "production",
    "puma": "production",
    "api": "api",
    "sidekiq": "sidekiq",
    "database": "postgres",
    "git": "gitaly",
}


def chart_kind(finding: Finding, kinds: list[str]) -> str | None:
    """The log kind whose latency best shows the finding."""
    for item in finding.evidence:
        for fragment, kind in SOURCE_KINDS:
            if item.source and fragment in item.source and kind in kinds:
                return kind
    by_component = COMPONENT_KINDS.get(finding.component)
    if by_component in kinds:
        return by_component
    return kinds[0] if kinds else None


def chart_threshold(finding: Finding) -> float | None:
    """A P95 baseline from the evidence, if one is given in milliseconds."""
    for item in finding.evidence:
        if item.fact and "p95" in item.fact and isinstance(item.baseline, float):
            return item.baseline
    return None


class FindingScreen(Screen[None]):
    """Shows everything the diagnosis knows about one finding."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "app.pop_screen", "Back"),
        Binding("c", "focus_checklist", "Checklist"),
    ]
    """
    | Key | Action |
    | :- | :- |
    | Escape, Backspace | Back to the findings. |
    | c | Put the keyboard on the checklist. |
    """

    AUTO_FOCUS = "#checklist"

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    @property
    def advisor(self) -> AdvisorApp:
        """The app, with its diagnosis, store and environment."""
        return self.app  # type: ignore[return-value]  # always an AdvisorApp

    def compose(self) -> ComposeResult:
        finding = self.finding
        states = self.advisor.store.states(self.advisor.env[0], finding.id)
        with VerticalScroll(id="finding"):
            yield Static(self.title_line(), id="finding-title")
            yield Static(finding.cause, id="finding-cause", markup=False)
            yield Static("Remediation checklist", classes="section")
            yield Checklist(finding.id, finding.remediation, states)
            yield Static("Evidence", classes="section")
            text = evidence_lines(finding.evidence)
            yield Static(text, id="finding-evidence", markup=False)
            yield EvidenceTable(finding.evidence)
            yield Static("Over time", classes="section")
            yield MetricChart(self.series(), chart_threshold(finding))
            if finding.ruled_out:
                yield Static("Look-alikes ruled out", classes="section")
                yield Static(self.ruled_out(), id="finding-ruled-out")
            if finding.symptoms:
                yield Static("Symptoms of the same cause", classes="section")
                yield Static(self.symptoms(), id="finding-symptoms")
            if finding.references:
                yield Static("References", classes="section")
                text = "\n".join(finding.references)
                yield Static(text, id="finding-references", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # Focusing the checklist scrolls it into view; start at the title instead.
        scroll = self.query_one("#finding", VerticalScroll)
        self.call_after_refresh(scroll.scroll_home, animate=False)

    def title_line(self) -> Content:
        finding = self.finding
        return Content.assemble(
            severity_label(finding.severity),
            (finding.title, "bold"),
            (
                f"\n{finding.id} · {finding.component} · confidence "
                f"{finding.confidence:.0%} · time lost {finding.time_lost_s:,.0f} s",
                "$text-muted",
            ),
        )

    def ruled_out(self) -> Content:
        lines = [
            Content.assemble(
                ("✗ ", "$text-success"), (f"{item.title}: ", "bold"), item.why
            )
            for item in self.finding.ruled_out
        ]
        return Content("\n").join(lines)

    def symptoms(self) -> Content:
        lines = [
            Content.assemble(severity_label(item.severity), f"{item.title} ({item.id})")
            for item in self.finding.symptoms
        ]
        return Content("\n").join(lines)

    def series(self) -> dict[str, Any] | None:
        """The per-minute series of the log kind that shows this finding."""
        diagnosis = self.advisor.diagnosis
        if diagnosis is None:
            return None
        by_kind = {s.get("kind"): s for s in diagnosis.series}
        kind = chart_kind(self.finding, [str(k) for k in by_kind])
        return by_kind.get(kind)

    def on_step_toggled(self, message: StepToggled) -> None:
        """Stores the tick, then redraws the step."""
        state = self.advisor.store.set_done(
            self.advisor.env[0], message.finding_id, message.step, message.done
        )
        self.redraw_step(message.step, state)

    def save_note(self, step: str, note: str) -> None:
        """Stores a note on a step and redraws it."""
        env = self.advisor.env[0]
        self.advisor.store.set_note(env, self.finding.id, step, note)
        self.redraw_step(step, self.advisor.store.step(env, self.finding.id, step))

    def redraw_step(self, step: str, state: Any) -> None:
        for item in self.query(StepItem):
            if item.step.do == step:
                item.show(state)

    def action_focus_checklist(self) -> None:
        self.query_one(Checklist).focus()
