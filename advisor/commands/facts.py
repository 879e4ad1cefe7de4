"""The `advisor facts` command: prints each node's environment facts with sources."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `facts` subcommand."""
    parser = subparsers.add_parser(
        "facts",
        help="show hardware, storage, strain and settings of each node",
        description=(
            "Reads the system files of gitlabsos archives (or unpacked folders, or a "
            "folder of several) and prints the facts of each node with the file and "
            "line each came from. Facts no file shows are listed as unknown."
        ),
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="archive or folder"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "yaml"), default="text", dest="fmt"
    )
    parser.add_argument(
        "--facts-file",
        type=Path,
        metavar="FILE",
        help="facts.yaml with what no archive shows (see docs/facts.md)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Collects the environment and prints it."""
    from advisor.facts.inputs import environment_from
    from advisor.facts.text import render

    environment = environment_from(args.paths, args.facts_file)
    sys.stdout.write(render(environment, args.fmt))
    return 0
