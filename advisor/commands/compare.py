"""The ``advisor compare`` command: every key against a baseline, ranked by impact."""

from __future__ import annotations

import argparse
import logging
from contextlib import ExitStack

from advisor.commands import common

log = logging.getLogger(__name__)

FORMATS = ("text", "json", "md", "csv")
PERCENTILES = ("p50", "p90", "p95", "p99")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``compare``."""
    parser = subparsers.add_parser(
        "compare",
        help="compare every key's latency with a baseline (ratios, intervals, impact)",
        description="Compares each key's latency percentile with a baseline: ratio, "
        "95 % bootstrap interval, significance beyond a 15 % margin, time lost.",
    )
    common.add_inputs(parser)
    parser.add_argument(
        "--baseline", required=True, help="baseline name (see 'advisor baseline list')"
    )
    parser.add_argument(
        "--percentile",
        choices=PERCENTILES,
        help="percentile to compare (default: the baseline's, p95 for recorded ones)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--limit", type=int, help="rows to print")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Prints the comparison of the inputs with ``--baseline``."""
    from advisor.compare import compare
    from advisor.compare.baseline import load_baseline
    from advisor.compare.render import comparison_table
    from advisor.errors import UsageError

    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit {args.limit} is less than 1.", fix="Use 1 or more.")
    baseline = load_baseline(args.baseline)
    with ExitStack() as stack:
        dataset = common.load_dataset(common.paths(args), stack, detail=False)
        rows = compare(dataset, baseline, args.percentile, common.window(args))
    print(comparison_table(rows[: args.limit], baseline.name, args.format))
    return 0
