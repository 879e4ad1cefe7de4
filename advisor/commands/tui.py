"""The `advisor tui` command: the interactive diagnosis, whatever stdout is."""

from __future__ import annotations

import argparse
import logging

from advisor.commands.diagnose import (
    add_diagnosis_options,
    add_record_options,
    options_from,
    recorder,
)

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `tui` subcommand."""
    parser = subparsers.add_parser(
        "tui",
        help="open the interactive diagnosis (findings, evidence, checklists)",
        description=(
            "Opens the diagnosis in a terminal app: findings with their evidence and "
            "remediation checklists, statistics, environment facts and errors. "
            "With no PATH, uses the bundled sample archive. The diagnosis is recorded "
            "in the inventory when the app closes (--no-record to skip)."
        ),
    )
    add_diagnosis_options(parser)
    add_record_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Runs the app until the user quits."""
    from advisor.tui.launch import run_app

    return run_app(args.paths, options_from(args), recorder(args))
