"""The ``advisor stats`` command and its ``top`` and ``errors`` subviews."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack
from typing import Any

from advisor.commands import common
from advisor.errors import LogFormatError, UsageError
from advisor.ingest.kinds import KINDS, kind_names

log = logging.getLogger(__name__)

FORMATS = ("text", "md", "csv", "json")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``stats``, ``stats top`` and ``stats errors``."""
    stats = subparsers.add_parser(
        "stats",
        help="per-endpoint latency tables (fast-stats style); also 'stats top', "
        "'stats errors'",
        description="Per-key statistics for every GitLab log found in the inputs. "
        "Subviews: 'advisor stats top PATH...' and 'advisor stats errors PATH...'.",
    )
    _common(stats)
    stats.add_argument(
        "--sort-by", default="score", help="column to sort by (default score)"
    )
    stats.add_argument(
        "--fields", help="comma-separated columns to print, e.g. count,p99,db_p95"
    )
    stats.add_argument("--interval", help="one table per time bucket, e.g. 5m or 1h")
    stats.add_argument(
        "--compare", metavar="OTHER", help="compare with another input (B/A)"
    )
    stats.add_argument(
        "--verbose", action="store_true", help="print the events at P99, P95 and median"
    )
    stats.set_defaults(func=run_stats, limit_default=None)

    top = subparsers.add_parser(
        "stats-top",
        description="Top projects, users, paths and clients of each log kind.",
    )
    _common(top, limit=10)
    top.add_argument(
        "--sort-by",
        default="duration",
        help="duration, db, gitaly, redis, cpu, queue, fail, response-bytes, disk-read, "
        "disk-write (default duration)",
    )
    top.add_argument(
        "--display",
        choices=("value", "perc", "both"),
        default="both",
        help="values, percentages of the total, or both (default both)",
    )
    top.set_defaults(func=run_top)

    errors = subparsers.add_parser(
        "stats-errors",
        description="Errors grouped by class and message (or gRPC code), with the last "
        "events and their correlation ids.",
    )
    _common(errors, limit=20)
    errors.add_argument(
        "--last", type=positive, default=10, help="events listed per group"
    )
    errors.set_defaults(func=run_errors)
    # Reached as 'stats top' and 'stats errors': not listed as commands of their own.
    subparsers._choices_actions = [
        action
        for action in subparsers._choices_actions
        if action.dest not in ("stats-top", "stats-errors")
    ]


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is less than 1")
    return value


def _common(parser: argparse.ArgumentParser, limit: int | None = None) -> None:
    common.add_inputs(parser)
    parser.add_argument("--kind", choices=kind_names(), help="only this log kind")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--limit", type=positive, default=limit, help="rows per table (at least 1)"
    )
    parser.add_argument("--search", help="case-insensitive filter on the key")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in text output (auto: only on a terminal)",
    )


def _color(args: argparse.Namespace) -> bool:
    if args.color == "auto":
        return args.format == "text" and sys.stdout.isatty()
    return args.color == "always"


def _kinds(
    dataset: Any, args: argparse.Namespace, stats_only: bool = True
) -> list[str]:
    if args.kind:
        dataset.require(args.kind)
        return [args.kind]
    kinds = [k for k in dataset.kinds if KINDS[k].has_stats or not stats_only]
    if not kinds:
        raise LogFormatError(
            f"the inputs hold only {', '.join(dataset.kinds)} logs, which record "
            "errors and events, not request timings.",
            fix="Use 'advisor stats errors' on them.",
        )
    return kinds


def _load(
    paths: list[str],
    args: argparse.Namespace,
    stack: ExitStack,
    detail: bool = True,
    whole: bool = False,
) -> Any:
    """Reads the inputs, only the ``--kind`` asked for if any.

    With ``whole`` (one table per kind over the whole input, nothing filtered), the
    per-key statistics are computed while reading.
    """
    from advisor.stats.aggregate import summary_aggregates

    kinds = {args.kind} if args.kind else None
    summarize = summary_aggregates if whole else None
    return common.load_dataset(paths, stack, kinds, detail, summarize)


def _whole(args: argparse.Namespace, window: Any, interval: Any = None) -> bool:
    """Whether every table covers the whole input: no window, search or buckets."""
    from advisor.stats.window import Window

    return window == Window() and not args.search and not interval


def _sort(rows: list[Any], sort_by: str) -> list[Any]:
    from advisor.stats import columns

    column = columns.resolve(sort_by, "--sort-by")
    return sorted(rows, key=lambda r: (-(column.get(r) or 0.0), r.key))


def _fields(args: argparse.Namespace) -> list[str] | None:
    from advisor.stats import columns

    if not args.fields:
        return None
    return [columns.resolve(name, "--fields").name for name in args.fields.split(",")]


def run_stats(args: argparse.Namespace) -> int:
    """Prints per-key statistics tables for each kind (or compares two inputs)."""
    from advisor.stats.window import parse_interval

    fields = _fields(args)
    _sort([], args.sort_by)
    window = common.window(args)
    if args.kind and not KINDS[args.kind].has_stats:
        raise UsageError(
            f"--kind {args.kind} logs hold errors, not request timings.",
            fix=f"Use 'advisor stats errors --kind {args.kind}'.",
        )
    interval = parse_interval(args.interval) if args.interval is not None else None
    if args.compare is not None:
        for option, value in (("--interval", interval), ("--verbose", args.verbose)):
            if value:
                raise UsageError(
                    f"--compare and {option} cannot be used together.",
                    fix="Drop one of them.",
                )
        return _run_compare(args, window)
    with ExitStack() as stack:
        whole = _whole(args, window, interval) and not args.verbose
        dataset = _load(common.paths(args), args, stack, args.verbose, whole)
        return _print_stats(args, dataset, window, interval, fields)


def _print_stats(
    args: argparse.Namespace,
    dataset: Any,
    window: Any,
    interval: Any,
    fields: list[str] | None,
) -> int:
    from advisor.render import stats as render
    from advisor.stats import aggregate, views

    tables = []
    for kind in _kinds(dataset, args):
        if interval:
            tables += aggregate.bucketed_stats(
                dataset, kind, interval, window, args.search
            )
        else:
            tables.append(aggregate.key_stats(dataset, kind, window, args.search))
    for table in tables:
        table.rows = _sort(table.rows, args.sort_by)[: args.limit]
    samples = {}
    if args.verbose:
        for index, table in enumerate(tables):
            keys = [row.key for row in table.rows]
            samples[index] = views.percentile_samples(dataset, table.kind, keys, window)
    if args.format == "json":
        document = {
            "inputs": render.inputs_dict(dataset),
            "interval_s": interval.total_seconds() if interval else None,
            "tables": [render.table_dict(t) for t in tables],
        }
        if args.verbose:
            document["percentile_events"] = [
                {
                    "key": s.key,
                    "at": s.percentile,
                    "duration_ms": s.duration_ms,
                    "time": render.stamp(s.time),
                    "correlation_id": s.correlation_id,
                }
                for index in samples
                for s in samples[index]
            ]
        print(render.dumps(document))
        return 0
    print(render.render_tables(tables, args.format, fields, _color(args), samples))
    if args.format == "text":
        print()
        print(render.skipped_text(dataset))
    return 0


def _run_compare(args: argparse.Namespace, window: Any) -> int:

    given = common.paths(args)
    if args.compare == "-" and "-" in given:
        raise UsageError(
            "- was given on both sides of --compare; standard input can be read once.",
            fix="Save one side to a file first.",
        )
    name_a, name_b = ", ".join(given), args.compare
    stack = ExitStack()
    with stack:
        whole = _whole(args, window)
        dataset_a = _load(given, args, stack, detail=False, whole=whole)
        dataset_b = _load([args.compare], args, stack, detail=False, whole=whole)
        return _print_compare(args, window, dataset_a, dataset_b, name_a, name_b)


def _print_compare(
    args: argparse.Namespace,
    window: Any,
    dataset_a: Any,
    dataset_b: Any,
    name_a: str,
    name_b: str,
) -> int:
    from advisor.render import stats as render
    from advisor.stats import aggregate
    from advisor.stats.compare import Comparison, common_kinds

    kinds = common_kinds(dataset_a.kinds, dataset_b.kinds, name_a, name_b, args.kind)
    for dataset, name in ((dataset_a, name_a), (dataset_b, name_b)):
        left_out = [k for k in dataset.kinds if k not in kinds and KINDS[k].has_stats]
        if left_out:
            print(
                f"advisor: note: {', '.join(left_out)} in {name} not compared "
                "(the other input has no such log).",
                file=sys.stderr,
            )
    comparisons = []
    for kind in kinds:
        a = aggregate.key_stats(dataset_a, kind, window, args.search)
        b = aggregate.key_stats(dataset_b, kind, window, args.search)
        comparison = Comparison(kind, name_a, name_b, a, b)
        comparison.order = [row.key for row in _sort(b.rows + a.rows, args.sort_by)]
        if args.limit is not None:
            keep = set(comparison.keys()[: args.limit])
            a.rows = [row for row in a.rows if row.key in keep]
            b.rows = [row for row in b.rows if row.key in keep]
        comparisons.append(comparison)
    fields = _fields(args)
    print(render.render_comparison(comparisons, args.format, _color(args), fields))
    return 0


def run_top(args: argparse.Namespace) -> int:
    """Prints top projects, users, paths and clients per kind."""

    window = common.window(args)
    with ExitStack() as stack:
        dataset = _load(common.paths(args), args, stack)
        return _print_top(args, dataset, window)


def _print_top(args: argparse.Namespace, dataset: Any, window: Any) -> int:
    from advisor.render import stats as render
    from advisor.stats import views

    tables = []
    for kind in _kinds(dataset, args):
        if args.sort_by not in views.TOP_BY_KIND.get(kind, ()):
            if args.kind:
                views.top(dataset, kind, args.sort_by, args.limit, window)
            continue
        tables += views.top(
            dataset, kind, args.sort_by, args.limit, window, args.search
        )
    if not tables:
        raise UsageError(
            f"top --sort-by {args.sort_by!r} applies to none of the kinds found "
            f"({', '.join(dataset.kinds)}).",
            fix="Choose duration, or a measure those logs record.",
        )
    print(render.render_top(tables, args.format, args.display, _color(args)))
    return 0


def run_errors(args: argparse.Namespace) -> int:
    """Prints errors grouped by class and message, or gRPC code."""
    from advisor.render import stats as render
    from advisor.stats import views

    window = common.window(args)
    with ExitStack() as stack:
        dataset = _load(common.paths(args), args, stack)
        groups = []
        for kind in _kinds(dataset, args, stats_only=False):
            found = views.errors(dataset, kind, args.last, window, args.search)
            groups += found[: args.limit]
    print(render.render_errors(groups, args.format, _color(args)))
    return 0
