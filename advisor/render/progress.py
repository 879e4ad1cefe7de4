"""A progress bar on stderr that appears only when reading takes more than a second."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

DELAY_S = 1.0


class DelayedProgress:
    """Shows a Rich progress bar on a terminal's stderr once ``DELAY_S`` has passed."""

    def __init__(self, description: str = "reading logs", enabled: bool | None = None):
        self.description = description
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        """Reports bytes read so far; starts the bar once the delay has passed."""
        if not self.enabled or time.monotonic() - self.started < DELAY_S:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TextColumn("{task.fields[name]}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total, name="")
        self._progress.update(self._task, completed=done, name=name[-40:])

    def __enter__(self) -> DelayedProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
