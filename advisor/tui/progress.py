"""Counts what the loader reports while a diagnosis runs, for the loading screen."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: The logger that reports each file it has read, with its event count.
LOADER_LOGGER = "advisor.ingest.load"


class LoadProgress(logging.Handler):
    """Counts files and events read; the UI thread polls it on a timer."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(level=logging.INFO)
        self.clock = clock
        self.started = clock()
        self.files = 0
        self.events = 0
        self.last_file = ""
        self.phase = "reading logs and running rules"
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        """Reads the loader's per-file line: (name, format, kind, events)."""
        args = record.args
        if not isinstance(args, tuple) or len(args) != 4:
            return
        name, _, _, events = args
        with self._lock:
            self.files += 1
            self.events += int(events) if isinstance(events, int) else 0
            self.last_file = str(name)

    @property
    def elapsed_s(self) -> float:
        """Seconds since the load started."""
        return self.clock() - self.started

    @contextmanager
    def attached(self) -> Iterator[LoadProgress]:
        """Listens to the loader for the duration of the block."""
        logger = logging.getLogger(LOADER_LOGGER)
        level = logger.level
        logger.addHandler(self)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
        try:
            yield self
        finally:
            logger.removeHandler(self)
            logger.setLevel(level)
