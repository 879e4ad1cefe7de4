"""Options and input handling shared by the commands that read logs."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from typing import Any

from advisor.errors import UsageError

PATHS_HELP = (
    "gitlabsos archives, folders, log files, or - for stdin "
    "(default: the bundled sample archive)"
)


def add_inputs(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """Adds the input paths and the ``--since``/``--until`` window."""
    parser.add_argument(
        "paths",
        nargs="+" if required else "*",
        metavar="PATH",
        help=PATHS_HELP if not required else "gitlabsos archives, folders or logs",
    )
    parser.add_argument("--since", help="first event time to include (ISO 8601, UTC)")
    parser.add_argument("--until", help="event time to stop before (ISO 8601, UTC)")


def window(args: argparse.Namespace) -> Any:
    """The time window of ``--since`` and ``--until``, checked for order."""
    from advisor.stats.window import Window, parse_time

    since = parse_time(args.since, "--since") if args.since is not None else None
    until = parse_time(args.until, "--until") if args.until is not None else None
    if since and until and since >= until:
        raise UsageError(
            f"--since {args.since!r} is not before --until {args.until!r}.",
            fix="Swap them or widen the window.",
        )
    return Window(since, until)


def paths(args: argparse.Namespace) -> list[str]:
    """The paths given, or the bundled sample archive when none was."""
    if args.paths:
        return list(args.paths)
    from advisor.defaults import default_inputs

    return default_inputs()


def load_dataset(
    given: list[str],
    stack: ExitStack,
    kinds: set[str] | None = None,
    detail: bool = True,
    summarize: Any = None,
) -> Any:
    """Reads the inputs with a progress bar; unpacked archives live until ``stack`` closes.

    ``summarize`` is passed on to ``load``: per-key aggregates computed while reading.
    """
    from advisor.ingest.load import load
    from advisor.ingest.sources import open_inputs
    from advisor.render.progress import DelayedProgress

    inputs = stack.enter_context(open_inputs(given))
    with DelayedProgress() as progress:
        return load(inputs, kinds, progress, detail, summarize)
