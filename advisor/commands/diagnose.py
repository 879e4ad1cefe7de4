"""The `advisor diagnose` command: ranked findings with evidence and remedies."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.errors import UsageError

log = logging.getLogger(__name__)


def add_diagnosis_options(parser: argparse.ArgumentParser) -> None:
    """Adds the inputs, baseline, facts file and rule folders of a diagnosis."""
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="archive, folder, log file or -"
    )
    add_diagnosis_settings(parser)


def add_diagnosis_settings(parser: argparse.ArgumentParser) -> None:
    """Adds the baseline, facts file and rule folders a diagnosis uses."""
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


def options_from(args: argparse.Namespace) -> Any:
    """The diagnosis Options of parsed arguments ('none' means no baseline)."""
    from advisor.diagnosis import Options

    baseline = None if args.baseline in ("none", "") else args.baseline
    return Options(baseline=baseline, facts_file=args.facts_file, rules_dirs=args.rules)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `diagnose` subcommand."""
    parser = subparsers.add_parser(
        "diagnose",
        help="find the likely causes of slowness, ranked, with evidence and remedies",
        description=(
            "Reads logs and system files, turns them into facts, runs the rule packs "
            "and prints the findings ranked by severity, confidence and time lost. "
            "With no PATH, uses the bundled sample archive."
        ),
    )
    add_diagnosis_options(parser)
    parser.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default=None,
        dest="fmt",
        help="print the report in this format (default: the app on a terminal, else text)",
    )
    parser.add_argument(
        "--no-tui",
        action="store_true",
        help="print the report even when stdout is a terminal",
    )
    add_record_options(parser)
    parser.set_defaults(func=run)


def add_record_options(parser: argparse.ArgumentParser) -> None:
    """Adds the options that say whether and where a run is recorded."""
    record = parser.add_argument_group("inventory")
    record.add_argument(
        "--no-record",
        action="store_true",
        help="do not record this run in the inventory of scored environments",
    )
    record.add_argument(
        "--db", metavar="URL", help="inventory database (sqlite:///… or postgresql://…)"
    )
    record.add_argument(
        "--env", metavar="NAME", type=env_name, help="name of the environment"
    )
    record.add_argument(
        "--redact",
        action="store_true",
        help="record pseudonyms instead of user, project, host and address names",
    )


def env_name(text: str) -> str:
    """An argparse type: a non-empty environment name of at most 100 characters."""
    name = text.strip()
    if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r} is not a name: use 1 to 100 printable characters"
        )
    return name


def run(args: argparse.Namespace) -> int:
    """Runs the diagnosis and prints it."""
    from advisor.defaults import default_inputs
    from advisor.diagnosis import diagnose
    from advisor.engine.render import render

    options = options_from(args)
    check_record_options(args)
    if args.fmt is None and not args.no_tui and _on_terminal():
        from advisor.tui.launch import run_app

        # The app picks the bundled archive itself, inside its worker, so that its
        # first screen is drawn at once.
        return run_app(list(args.paths), options, recorder(args))
    args.fmt = args.fmt or "text"
    diagnosis = diagnose(list(args.paths) or default_inputs(), options)
    sys.stdout.write(render(diagnosis, args.fmt))
    if not args.no_record:
        _record(diagnosis, args)
    return 0


def recorder(args: argparse.Namespace) -> Callable[[Any], None] | None:
    """What records a diagnosis the app made, unless --no-record was given."""
    check_record_options(args)
    if args.no_record:
        return None
    return lambda found: _record(found, args)


def check_record_options(args: argparse.Namespace) -> None:
    """Refuses inventory options that would do nothing with --no-record."""
    if not args.no_record:
        return
    given = [name for name in ("db", "env", "redact") if getattr(args, name)]
    if given:
        options = ", ".join(f"--{name}" for name in given)
        raise UsageError(
            f"{options} only {'changes' if len(given) == 1 else 'change'} what is "
            "recorded in the inventory, and "
            "--no-record records nothing.",
            fix="Drop one of them; to share a redacted report, use "
            "'advisor report --redact'.",
        )


def _record(diagnosis: object, args: argparse.Namespace) -> None:
    """Adds the run to the inventory and says where, on stderr."""
    from advisor.store import record

    recorded = record(args.db, diagnosis, env_name=args.env, redact=args.redact)
    print(
        f"advisor: recorded in the inventory as run id {recorded.run} of "
        f"{recorded.environment} (--no-record to skip)",
        file=sys.stderr,
    )


def _on_terminal() -> bool:
    """The app needs a terminal on stdout, and on stderr, where Textual draws."""
    return sys.stdout.isatty() and sys.stderr.isatty()
