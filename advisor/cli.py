"""Command-line entry point: parses arguments, runs one command, maps errors to exit 2."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from advisor import __version__
from advisor.errors import AdvisorError

log = logging.getLogger(__name__)

#: Modules under ``advisor.commands`` that each add one or more subcommands.
COMMAND_MODULES = (
    "stats",
    "simulate",
    "facts",
    "baseline",
    "compare",
    "score",
    "diagnose",
    "rules",
    "inventory",
    "report",
    "tui",
    "checklist",
)

#: Words after ``stats`` that select a subview, rewritten to their own subcommand.
STATS_SUBVIEWS = ("top", "errors")

#: Options before the command that take a value.
VALUE_OPTIONS = ("--log-level",)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr with exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Builds the parser with every subcommand registered."""
    parser = Parser(
        prog="advisor",
        description="Find out why a self-managed GitLab is slow, from its logs.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="how much the advisor logs about itself on stderr",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"advisor.commands.{name}")
        module.register(subparsers)
    return parser


def _command_parser(
    parser: argparse.ArgumentParser, command: str | None
) -> argparse.ArgumentParser:
    """The parser of a subcommand, or the main one."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command:
            return action.choices.get(command, parser)
    return parser


def _rewrite_subviews(argv: list[str]) -> list[str]:
    """Turns ``stats top ...`` into ``stats-top ...`` so argparse can tell them apart."""
    skip_value = False
    for index, word in enumerate(argv):
        if skip_value:
            skip_value = False
            continue
        if word in VALUE_OPTIONS:
            skip_value = True
            continue
        if word.startswith("-"):
            continue
        following = argv[index + 1] if index + 1 < len(argv) else None
        if word == "stats" and following in STATS_SUBVIEWS:
            return argv[:index] + [f"stats-{following}"] + argv[index + 2 :]
        break
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the advisor; returns the process exit code."""
    args_list = _rewrite_subviews(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(args_list)
        if extra:  # said by the command's own parser, which knows its options
            command = _command_parser(parser, getattr(args, "command", None))
            command.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as done:  # --help, --version, or a usage error already printed
        return int(done.code or 0)
    logging.basicConfig(
        level=args.log_level, format="%(levelname)s %(name)s: %(message)s", force=True
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except AdvisorError as error:
        # One line, whatever the wrapped library put into the message.
        print(f"advisor: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("advisor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
