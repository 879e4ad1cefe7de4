"""The `advisor simulate` command: write gitlabsos-shaped archives of a scenario."""

from __future__ import annotations

import argparse
import logging
from datetime import UTC
from pathlib import Path

from advisor.errors import UsageError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate",
        help="write a simulated gitlabsos archive of a healthy or faulty instance",
        description="Simulate a GitLab instance and write gitlabsos-shaped archives.",
    )
    parser.add_argument("--scenario", help="scenario name (see --list)")
    parser.add_argument("--out", type=Path, help="directory that receives the archives")
    parser.add_argument("--hours", type=float, default=2.0, help="window length (2)")
    parser.add_argument("--rate", type=float, help="peak API requests per second")
    parser.add_argument(
        "--nodes", type=int, default=1, help="nodes to split roles over"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--start",
        help="when the window starts, ISO 8601 UTC (default: a fixed weekday noon); "
        "the same environment at several dates, for the inventory",
    )
    parser.add_argument("--tar", action="store_true", help="write .tar.gz archives")
    parser.add_argument("--list", action="store_true", help="describe each scenario")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Lists scenarios or generates one; prints the archive paths."""
    from advisor.simulate import SCENARIOS, generate

    if args.list:
        width = max(len(name) for name in SCENARIOS)
        for name, scenario in SCENARIOS.items():
            print(f"{name:<{width}}  {scenario.summary}")
        return 0
    if not args.scenario or args.out is None:
        raise UsageError("simulate needs --scenario NAME and --out PATH (or --list).")
    start = None
    if args.start is not None:
        from advisor.stats.window import parse_time

        start = parse_time(args.start, "--start").replace(tzinfo=UTC)
    paths = generate(
        args.scenario,
        args.out,
        hours=args.hours,
        rate=args.rate,
        nodes=args.nodes,
        seed=args.seed,
        tar=args.tar,
        start=start,
    )
    for path in paths:
        print(path)
    return 0
