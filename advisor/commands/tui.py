"""The `advisor tui` command: the interactive diagnosis, whatever stdout is."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `tui` subcommand."""
    parser = subparsers.add_parser(
        "tui",
        help="open the interactive diagnosis (findings, evidence, checklists)",
        description=(
            "Opens the diagnosis in a terminal app: findings with their evidence and "
            "remediation checklists, statistics, environment facts and errors. "
            "With no PATH, uses the bundled sample archive."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="archive, folder or log file"
    )
    parser.add_argument(
        "--baseline",
        default="gitlab-targets",
        metavar="NAME",
        help="baseline to compare with ('none' to skip)",
    )
    parser.add_argument(
        "--facts",
        type=Path,
        metavar="FILE",
        dest="facts_file",
        help="facts.yaml with what no archive shows",
    )
    parser.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="extra rule folder (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Runs the app until the user quits."""
    from advisor.diagnosis import Options
    from advisor.tui.launch import run_app

    baseline = None if args.baseline in ("none", "") else args.baseline
    options = Options(
        baseline=baseline, facts_file=args.facts_file, rules_dirs=args.rules
    )
    return run_app(args.paths, options)
