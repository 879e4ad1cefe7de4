"""A finding's remediation steps as a checklist whose ticks are stored."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Label, ListItem, ListView

from advisor.engine.model import Step
from advisor.store.checklist import StepState
from advisor.tui.messages import StepToggled


def step_content(number: int, step: Step, state: StepState | None) -> Content:
    """A step as text: box, number, action, command, link, and when it was ticked."""
    done = bool(state and state.done)
    box = Content.styled("[x]" if done else "[ ]", "bold $text-success" if done else "")
    line = Content.assemble(box, f" {number}. ", step.do)
    for action in step.actions():
        line += Content.styled(f"\n     {action}", "$text-accent")
    if step.link:
        line += Content.styled(f"\n     {step.link}", "$text-muted")
    if state and state.done and state.ticked_at:
        line += Content.styled(f"\n     done {state.ticked_at}", "$text-success")
    if state and state.note:
        line += Content.styled(f"\n     note: {state.note}", "italic")
    return line


class StepItem(ListItem):
    """One checklist step."""

    def __init__(self, number: int, step: Step, state: StepState | None) -> None:
        super().__init__(classes="-done" if state and state.done else "")
        self.number = number
        self.step = step
        self.state = state

    def compose(self) -> ComposeResult:
        yield Label(step_content(self.number, self.step, self.state))

    def show(self, state: StepState | None) -> None:
        """Redraws the step with its new state."""
        self.state = state
        self.set_class(bool(state and state.done), "-done")
        self.query_one(Label).update(step_content(self.number, self.step, state))


class Checklist(ListView):
    """The steps; Space, Enter or a click ticks one, n adds a note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,x", "tick", "Tick/untick"),
        Binding("n", "note", "Note"),
    ]
    """
    | Key | Action |
    | :- | :- |
    | Space, x, Enter | Tick or untick the highlighted step (stored at once). |
    | n | Write a note on the highlighted step. |
    """

    def __init__(
        self, finding_id: str, steps: list[Step], states: list[StepState]
    ) -> None:
        by_text = {state.step: state for state in states}
        items = [
            StepItem(number, step, by_text.get(step.do))
            for number, step in enumerate(steps, 1)
        ]
        super().__init__(*items, id="checklist")
        self.finding_id = finding_id

    def current(self) -> StepItem | None:
        """The highlighted step."""
        item = self.highlighted_child
        return item if isinstance(item, StepItem) else None

    def action_tick(self) -> None:
        item = self.current()
        if item is not None:
            done = not (item.state and item.state.done)
            self.post_message(StepToggled(self.finding_id, item.step.do, done))

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_tick()

    def action_note(self) -> None:
        from advisor.tui.screens.note_dialog import NoteDialog

        item = self.current()
        if item is None:
            return
        old = item.state.note if item.state else None

        def save(note: str | None) -> None:
            if note is not None:
                self.screen.save_note(item.step.do, note)  # type: ignore[attr-defined]

        self.app.push_screen(NoteDialog(item.step.do, old or ""), save)
