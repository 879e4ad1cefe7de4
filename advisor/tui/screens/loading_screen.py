"""The screen shown while the inputs are read: files, events and seconds so far."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from advisor.tui.messages import DiagnosisFailed
from advisor.tui.progress import LoadProgress

#: Seconds between two refreshes of the counters.
REFRESH_S = 0.25


class LoadingScreen(Screen[None]):
    """Shows what is being read and how far it got, refreshed on a timer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]
    """
    | Key | Action |
    | :- | :- |
    | q | Stop reading and quit. |
    """

    def __init__(self, paths: list[str], progress: LoadProgress) -> None:
        super().__init__()
        self.paths = paths
        self.progress = progress

    def compose(self) -> ComposeResult:
        with Vertical(id="loading-box"):
            yield Static("Diagnosing", id="loading-title")
            names = ", ".join(self.paths) or "the bundled sample archive"
            yield Static(f"Inputs: {names}", id="loading-inputs", markup=False)
            yield Static(id="loading-counters", markup=False)
            yield Static(
                "Parsing runs in the background; ? shows the keys, q quits.",
                id="loading-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_counters()
        self.set_interval(REFRESH_S, self.refresh_counters)

    def on_screen_resume(self) -> None:
        """Shows the diagnosis if it finished while a dialog was open."""
        show_pending = getattr(self.app, "show_pending", None)
        if show_pending is not None:
            self.call_later(show_pending)

    def refresh_counters(self) -> None:
        """Redraws files, events and elapsed seconds."""
        progress = self.progress
        text = (
            f"{progress.phase}: {progress.files} files, "
            f"{progress.events:,} events, {progress.elapsed_s:.0f} s"
        )
        if progress.last_file:
            name = progress.last_file
            name = name if len(name) <= 60 else "…" + name[-59:]
            text += f"\nlast read: {name}"
        self.query_one("#loading-counters", Static).update(text)

    def on_diagnosis_failed(self, message: DiagnosisFailed) -> None:
        """Shows why the inputs could not be read."""
        self.query_one("#loading-title", Static).update("Cannot read the inputs")
        self.query_one("#loading-counters", Static).update(message.error)
        self.query_one("#loading-hint", Static).update("Press q to quit.")
        self.add_class("-failed")
