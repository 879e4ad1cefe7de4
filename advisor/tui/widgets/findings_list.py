"""The ranked findings, coloured by severity, with a filter box above them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from advisor.engine.findings import Finding
from advisor.tui.messages import FindingSelected

#: Theme colour per severity; the label keeps the meaning without colour.
SEVERITY_STYLES = {
    "critical": "bold $text-error",
    "high": "$text-error",
    "medium": "$text-warning",
    "low": "$text-primary",
    "info": "$text-muted",
}


def severity_label(severity: str) -> Content:
    """The severity as a fixed-width coloured word."""
    style = SEVERITY_STYLES.get(severity, "")
    return Content.styled(f"{severity.upper():<8}", style) + " "


def matches(finding: Finding, words: list[str]) -> bool:
    """Whether every filter word appears in the finding's id, title, severity or part."""
    text = " ".join(
        (finding.id, finding.title, finding.severity, finding.component, finding.cause)
    ).lower()
    return all(word in text for word in words)


class FindingsList(Vertical):
    """Lists findings ranked as the rules engine ranked them; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter"),
    ]
    """
    | Key | Action |
    | :- | :- |
    | / | Type words that every listed finding must contain. |
    | Enter | Open the highlighted finding. |
    """

    def __init__(self, findings: list[Finding], progress: dict[str, str]) -> None:
        super().__init__(id="findings")
        self.findings = findings
        self.progress = progress
        """Checklist progress per finding id, as "done/all"."""
        self.shown: list[Finding] = list(findings)

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="/ filter: words of the title, severity or component",
            id="findings-filter",
            compact=True,
        )
        yield OptionList(id="findings-options")

    def on_mount(self) -> None:
        self.fill("")

    def prompt(self, rank: int, finding: Finding) -> Content:
        """One finding as a line: rank, severity, title, component, checklist."""
        done = self.progress.get(finding.id)
        tail = f"  {finding.component}" + (f" · {done} done" if done else "")
        return Content.assemble(
            f"{rank:>2}. ",
            severity_label(finding.severity),
            finding.title,
            (tail, "$text-muted"),
        )

    def fill(self, query: str) -> None:
        """Shows the findings whose text contains every word of ``query``."""
        words = query.lower().split()
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = []
        for rank, finding in enumerate(self.findings, 1):
            if matches(finding, words):
                self.shown.append(finding)
                options.add_option(Option(self.prompt(rank, finding), id=finding.id))
        if not self.shown:
            text = "No finding." if not words else "No finding matches the filter."
            options.add_option(Option(text, disabled=True))
        else:
            options.highlighted = 0

    def update_progress(self, progress: dict[str, str]) -> None:
        """Redraws the checklist counts after a step changed."""
        self.progress = progress
        if not self.query(OptionList):
            return  # not composed yet; on_mount fills it with this progress
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        self.fill(self.query_one(Input).value)
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = next((f for f in self.findings if f.id == event.option.id), None)
        if finding is not None:
            self.post_message(FindingSelected(finding))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def focus_list(self) -> None:
        """Puts the keyboard on the list."""
        self.query_one(OptionList).focus()
