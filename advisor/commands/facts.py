"""The `advisor facts` command: prints each node's environment facts with sources."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

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
    parser.add_argument(
        "--no-logs",
        dest="logs",
        action="store_false",
        help="skip reading the logs for peak request rates (faster on large archives)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Collects the environment, with peak rates from any logs, and prints it."""
    from advisor.errors import InputError
    from advisor.facts import user_file
    from advisor.facts.collect import collect
    from advisor.facts.inputs import node_roots
    from advisor.facts.text import render
    from advisor.ingest.sources import is_sos_root, open_inputs

    user = user_file.load(args.facts_file) if args.facts_file is not None else None
    with open_inputs([str(path) for path in args.paths]) as inputs:
        if not inputs.roots:
            raise InputError(
                f"{', '.join(map(str, args.paths))}: no gitlabsos archive or folder "
                "among the inputs; environment facts come from its system files.",
                fix="Pass the archive (.tar.gz) or the folder it unpacks to.",
            )
        if not any(is_sos_root(root.path) for root in inputs.roots):
            raise InputError(
                f"{', '.join(map(str, args.paths))}: no system file of a gitlabsos "
                "archive (cpuinfo, meminfo, df_hT, gitlab_status...) among the inputs.",
                fix="Pass the archive (.tar.gz) or the folder it unpacks to.",
            )
        peaks = _peak_rps(inputs) if args.logs else None
        environment = collect(node_roots(inputs.roots), user, peaks)
    sys.stdout.write(render(environment, args.fmt))
    return 0


def _peak_rps(inputs: Any) -> dict[str, float] | None:
    """Peak rates per load class from the logs among the inputs, if there are any."""
    from advisor.errors import InputError
    from advisor.ingest.load import load
    from advisor.stats.load_classes import peak_rps

    if not inputs.files:
        return None
    try:
        dataset = load(inputs, kinds={"production", "api", "gitaly"}, detail=False)
    except InputError as error:
        log.info("no peak rates from the logs: %s", error)
        return None
    return peak_rps(dataset)
