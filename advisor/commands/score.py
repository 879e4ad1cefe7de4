"""The ``advisor score`` command: 0-100 for the environment and each component."""

from __future__ import annotations

import argparse
import logging
from contextlib import ExitStack

from advisor.commands import common
from advisor.errors import UsageError

log = logging.getLogger(__name__)

FORMATS = ("text", "json", "md")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``score``."""
    parser = subparsers.add_parser(
        "score",
        help="score the environment and each component 0-100 against a baseline",
        description="Scores the environment 0-100 against a baseline (100: at least "
        "as good) and names each component's load pattern. See docs/scoring.md.",
    )
    common.add_inputs(parser)
    parser.add_argument(
        "--baseline",
        default="gitlab-targets",
        help="baseline name (default gitlab-targets; see 'advisor baseline list')",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Prints the score and load patterns of the inputs."""
    from advisor.compare import compare, load_patterns, score
    from advisor.compare.baseline import load_baseline
    from advisor.compare.render import score_report

    if args.baseline.strip().lower() in ("none", ""):
        raise UsageError(
            "score needs a baseline to compare with; 'none' is for diagnose.",
            fix="Leave --baseline out (gitlab-targets) or name one from "
            "'advisor baseline list'.",
        )
    baseline = load_baseline(args.baseline)
    with ExitStack() as stack:
        dataset = common.load_dataset(common.paths(args), stack, detail=False)
        rows = compare(dataset, baseline, None, common.window(args))
        patterns = load_patterns(dataset, rows, common.window(args))
    print(score_report(score(rows, baseline.name), patterns, args.format))
    return 0
