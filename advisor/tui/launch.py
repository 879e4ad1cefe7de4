"""Runs the advisor app in the terminal with logging routed through Textual."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from advisor.diagnosis import Diagnosis, Options

log = logging.getLogger(__name__)


@contextmanager
def textual_logging() -> Iterator[None]:
    """Sends stdlib logging to the running app, not to the terminal it draws on."""
    from textual.logging import TextualHandler

    root = logging.getLogger()
    saved = root.handlers[:]
    handler = TextualHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = saved


def run_app(
    paths: Sequence[str],
    options: Options | None = None,
    after: Callable[[Diagnosis], None] | None = None,
) -> int:
    """Opens the interactive diagnosis of ``paths`` (the bundled sample if none).

    Args:
        paths: the inputs, as on the command line.
        options: baseline, facts file and rule folders.
        after: called with the diagnosis once the app has closed, if one was made
            (``advisor diagnose`` records it in the inventory).

    Returns:
        The exit code: 0, or 2 when the inputs could not be read.
    """
    from advisor.tui.app import AdvisorApp

    app = AdvisorApp(list(paths), options or Options())
    with textual_logging():
        app.run()
    if app.failure:
        print(f"advisor: {' '.join(app.failure.split())}", file=sys.stderr)
        return 2
    if after is not None and app.diagnosis is not None:
        after(app.diagnosis)
    return app.return_code or 0
