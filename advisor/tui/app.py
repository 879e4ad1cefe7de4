"""The advisor app: loads a diagnosis in a worker, then shows it screen by screen."""

from __future__ import annotations

import contextvars
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from advisor.diagnosis import Diagnosis, Options
from advisor.errors import AdvisorError
from advisor.store.checklist import ChecklistStore, environment_of
from advisor.tui.messages import DiagnosisFailed, DiagnosisReady, FindingSelected
from advisor.tui.progress import LoadProgress

log = logging.getLogger(__name__)


def export_name(env_name: str, fmt: str) -> str:
    """A file name for an export: the environment's name made safe, and a suffix."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", env_name).strip("-") or "environment"
    return f"diagnosis-{safe[:40]}.{'json' if fmt == 'json' else 'md'}"


class AdvisorApp(App[int]):
    """Shows one diagnosis: findings, evidence, checklists, statistics, environment."""

    CSS_PATH = "app.tcss"
    TITLE = "gitlab-perf-advisor"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("m", "export('md')", "Export MD"),
        Binding("j", "export('json')", "Export JSON"),
        Binding("t", "toggle_theme", "Light/dark", show=False),
    ]
    """
    | Key | Action |
    | :- | :- |
    | q | Quit. |
    | ?, F1 | Show every key binding. |
    | m | Export the diagnosis and checklist as Markdown (for a ticket). |
    | j | Export the diagnosis as JSON. |
    | t | Switch between the light and the dark theme. |
    """

    def __init__(
        self,
        paths: list[str] | None = None,
        options: Options | None = None,
        *,
        diagnosis: Diagnosis | None = None,
        store: ChecklistStore | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.paths = paths or []
        self.options = options or Options()
        self.diagnosis = diagnosis
        self.store = store or ChecklistStore()
        self.clock = clock
        self.env: tuple[str, str] = ("hosts:unknown", "unknown")
        self.progress = LoadProgress(clock)
        self.failure: str | None = None
        self.loading: Screen[None] | None = None
        self.pending: Diagnosis | None = None
        """A diagnosis that finished while a dialog covered the loading screen."""
        self.first_paint_s: float | None = None
        self.ready_s: float | None = None

    def on_mount(self) -> None:
        """Shows the diagnosis given, or starts reading the inputs."""
        from advisor.tui.screens.loading_screen import LoadingScreen

        self.first_paint_s = self.progress.elapsed_s
        if self.diagnosis is not None:
            self._show(self.diagnosis)
            return
        self.loading = LoadingScreen(self.paths, self.progress)
        self.push_screen(self.loading)
        self.load(contextvars.copy_context())

    @work(thread=True, exclusive=True, exit_on_error=False, name="diagnose")
    def load(self, context: contextvars.Context) -> None:
        """Reads the inputs and runs the rules, off the UI thread."""
        # The copied context lets TextualHandler find this app from the thread.
        try:
            diagnosis = context.run(self._diagnose)
        except AdvisorError as error:
            self.post_message(DiagnosisFailed(str(error)))
            return
        except Exception as error:
            log.exception("diagnosis failed")
            self.post_message(DiagnosisFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(DiagnosisReady(diagnosis))

    def _diagnose(self) -> Diagnosis:
        from advisor.defaults import default_inputs
        from advisor.diagnosis import diagnose

        paths = self.paths or default_inputs()
        with self.progress.attached():
            diagnosis = diagnose(paths, self.options)
        self.progress.phase = "opening the checklist"
        self.env = environment_of(diagnosis)
        self.store.register(self.env, diagnosis.findings)
        return diagnosis

    def on_diagnosis_ready(self, message: DiagnosisReady) -> None:
        """Replaces the loading screen with the diagnosis."""
        self.ready_s = self.progress.elapsed_s
        log.info("diagnosis ready after %.1f s", self.ready_s)
        if self.screen is self.loading:
            self._show(message.diagnosis, registered=True)
        else:
            self.pending = message.diagnosis

    def show_pending(self) -> None:
        """Shows a diagnosis that finished while a dialog was open."""
        if self.pending is not None:
            diagnosis, self.pending = self.pending, None
            self._show(diagnosis, registered=True)

    def on_diagnosis_failed(self, message: DiagnosisFailed) -> None:
        """Keeps the loading screen up with the error, so the user can read it."""
        self.failure = message.error
        self.notify(message.error, title="Cannot read the inputs", severity="error")
        if self.loading is not None:
            self.loading.post_message(message)

    def _show(self, diagnosis: Diagnosis, registered: bool = False) -> None:
        from advisor.tui.screens.main_screen import MainScreen

        self.diagnosis = diagnosis
        if not registered:
            self.env = environment_of(diagnosis)
            self.store.register(self.env, diagnosis.findings)
        if self.screen is self.loading:
            self.switch_screen(MainScreen(diagnosis))
        else:
            self.push_screen(MainScreen(diagnosis))
        self.loading = None

    def on_finding_selected(self, message: FindingSelected) -> None:
        """Opens the detail of a finding."""
        from advisor.tui.screens.finding_screen import FindingScreen

        self.push_screen(FindingScreen(message.finding))

    def action_help(self) -> None:
        """Lists every key binding."""
        from advisor.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """Switches between the light and the dark theme."""
        light = self.theme == "textual-light"
        self.theme = "textual-dark" if light else "textual-light"

    def export(self, fmt: str, path: Path) -> Path:
        """Writes the diagnosis as Markdown (with the checklist) or JSON."""
        from advisor.engine.render import render
        from advisor.store.checklist import render_markdown

        assert self.diagnosis is not None
        text = render(self.diagnosis, "json" if fmt == "json" else "md")
        if fmt != "json":
            states = self.store.states(self.env[0])
            order = [f.id for f in self.diagnosis.findings]
            checklist = render_markdown(self.env[1], states, order)
            text = f"{text}\n{checklist.replace('# ', '## ', 1)}"
        path.write_text(text, encoding="utf-8")
        return path

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offers exports only once there is a diagnosis."""
        if action == "export":
            return self.diagnosis is not None
        return True

    def action_export(self, fmt: str) -> None:
        """Asks where to write the export, then writes it."""
        from advisor.tui.screens.export_dialog import ExportDialog

        def write(answer: str | None) -> None:
            if not answer:
                return
            try:
                path = self.export(fmt, Path(answer).expanduser())
            except (OSError, AdvisorError) as error:
                self.notify(
                    f"Cannot write {answer!r}; {error}", severity="error", timeout=8
                )
                return
            self.notify(f"Wrote {path}", title="Exported")

        if not isinstance(self.screen, ExportDialog):
            self.push_screen(ExportDialog(fmt, export_name(self.env[1], fmt)), write)
