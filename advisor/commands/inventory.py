"""The ``advisor inventory`` commands: recorded environments, their scores and causes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime, time
from typing import Any

from advisor.errors import UsageError
from advisor.render.words import counted

log = logging.getLogger(__name__)

ARROWS = {"up": "↑", "down": "↓", "flat": "→", "new": "·"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``inventory`` with its path, list, show, trend, compare and causes views."""
    parser = subparsers.add_parser(
        "inventory",
        help="scored environments over time: list, show, trend, compare, causes",
        description="Reads the inventory of recorded diagnoses (a SQLite file in your "
        "data directory unless --db names another database).",
    )
    views = parser.add_subparsers(dest="view", metavar="VIEW", required=True)
    _view(views, "path", "where the inventory is", run_path)
    _view(views, "list", "environments with latest score, trend, top finding", run_list)
    show = _view(views, "show", "history of one environment's scores", run_show)
    show.add_argument("env", metavar="ENV", help="environment name (see list)")
    trend = _view(
        views, "trend", "score and subscores over time, as a chart", run_trend
    )
    trend.add_argument("env", metavar="ENV", help="environment name (see list)")
    trend.add_argument("--width", type=int, default=78, help="chart width in columns")
    compare = _view(views, "compare", "what got better or worse", run_compare)
    compare.add_argument("env", metavar="ENV", help="environment name (see list)")
    compare.add_argument("--from", dest="since", help="date or time (default: first)")
    compare.add_argument("--to", dest="until", help="date or time (default: latest)")
    _view(views, "causes", "root causes counted across environments", run_causes)


def _view(
    views: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    func: Any,
) -> argparse.ArgumentParser:
    parser = views.add_parser(name, help=help_text, description=help_text.capitalize())
    parser.add_argument(
        "--db",
        metavar="URL",
        help="sqlite:///file or postgresql://... (default: yours)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=func)
    return parser


def run_path(args: argparse.Namespace) -> int:
    """Prints where the inventory is."""
    from advisor.store import parse_url

    location = parse_url(args.db)
    where = str(location.path) if location.path else location.display()
    if args.format == "json":
        return _json({"dialect": location.dialect, "location": where})
    print(where)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Prints every environment with its latest score and trend."""
    from advisor.store import open_inventory
    from advisor.store.inventory import MissingInventory

    try:
        with open_inventory(args.db, create=False) as inventory:
            envs = inventory.environments()
    except MissingInventory:
        envs = []
    if args.format == "json":
        return _json([env.model_dump(mode="json") for env in envs])
    table = _table(
        "ENVIRONMENT", "RUNS", "LATEST LOGS", "SCORE", "TREND", "TOP FINDING"
    )
    for env in envs:
        _row(
            table,
            env.name,
            str(env.runs),
            _day(env.latest_logs),
            _score(env.score),
            f"{ARROWS[env.trend]} {_delta(env.score, env.previous_score)}".rstrip(),
            env.top_finding or "-",
        )
    return _print(table, "No environment recorded yet." if not envs else None)


def run_show(args: argparse.Namespace) -> int:
    """Prints one environment's runs: scores, subscores and findings."""
    from advisor.store import open_inventory

    with open_inventory(args.db, create=False) as inventory:
        runs = inventory.runs(inventory.resolve(args.env))
    if args.format == "json":
        return _json([run.model_dump(mode="json") for run in runs])
    components = sorted({name for run in runs for name in run.subscores})
    table = _table("LOGS", "VERSION", "ARCH", "SCORE", *map(str.upper, components))
    table.add_column("FINDINGS")
    for run in runs:
        _row(
            table,
            _day(run.logs_start or run.recorded_at),
            run.gitlab_version or "-",
            run.architecture or "-",
            _score(run.score),
            *(_score(run.subscores.get(name)) for name in components),
            "\n".join(f"[{f.severity}] {f.title}" for f in run.findings) or "-",
        )
    print(f"{runs[-1].env_name} ({counted(len(runs), 'run')})" if runs else args.env)
    return _print(table)


def run_trend(args: argparse.Namespace) -> int:
    """Draws the score and subscores of one environment over time."""
    from advisor.render.charts import Series, terminal_trend
    from advisor.store import open_inventory

    with open_inventory(args.db, create=False) as inventory:
        runs = inventory.runs(inventory.resolve(args.env))
    times = [run.logs_start or run.recorded_at for run in runs]
    components = sorted({name for run in runs for name in run.subscores})
    series = [Series(name="overall", times=times, values=[r.score for r in runs])]
    for name in components:
        values = [run.subscores.get(name) for run in runs]
        series.append(Series(name=name, times=times, values=values))
    if args.format == "json":
        return _json([line.model_dump(mode="json") for line in series])
    title = f"score of {runs[-1].env_name}, {counted(len(runs), 'run')}"
    sys.stdout.write(terminal_trend(series, title, width=max(40, args.width)))
    for run, when in zip(runs, times, strict=True):
        print(f"  {_day(when)}  {_score(run.score):>5}  {_top(run.findings)}")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Prints what changed between two runs of one environment."""
    from advisor.store import open_inventory

    since = _when(args.since, "--from")
    until = _when(args.until, "--to")
    with open_inventory(args.db, create=False) as inventory:
        result = inventory.compare(inventory.resolve(args.env), since, until)
    if args.format == "json":
        return _json(result.model_dump(mode="json"))
    before, after = result.before, result.after
    print(
        f"{result.environment}: {_day(before.logs_start)} (run {before.run_id}) -> "
        f"{_day(after.logs_start)} (run {after.run_id})"
    )
    table = _table("SCORE", "BEFORE", "AFTER", "CHANGE")
    for change in result.changes:
        verdict = _delta(change.after, change.before) or "-"
        _row(table, change.name, _score(change.before), _score(change.after), verdict)
    _print(table)
    for label, findings in (
        ("resolved", result.resolved),
        ("new", result.new),
        ("persisting", result.persisting),
    ):
        names = ", ".join(f"{f.finding_id} ({f.title})" for f in findings)
        print(f"{label:>10}: {names or '-'}")
    return 0


def run_causes(args: argparse.Namespace) -> int:
    """Prints the root causes found, counted over environments and runs."""
    from advisor.store import open_inventory

    with open_inventory(args.db, create=False) as inventory:
        causes = inventory.causes()
    if args.format == "json":
        return _json([cause.model_dump(mode="json") for cause in causes])
    table = _table("CAUSE", "TITLE", "COMPONENT", "ENVS", "RUNS", "LAST SEEN")
    for cause in causes:
        _row(
            table,
            cause.finding_id,
            cause.title,
            cause.component or "-",
            str(cause.environments),
            str(cause.runs),
            _day(cause.last_seen),
        )
    return _print(table, "No finding recorded yet." if not causes else None)


def _when(text: str | None, option: str) -> datetime | None:
    """Reads a date (meaning the end of that day) or an ISO time, UTC by default."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.max, tzinfo=UTC)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date or time.",
            fix="Write 2024-05-07 or 2024-05-07T12:00 (UTC unless an offset is given).",
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _table(*headers: str) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _row(table: Any, *cells: str) -> None:
    from rich.markup import escape

    table.add_row(*(escape(cell) for cell in cells))


def _print(table: Any, empty: str | None = None) -> int:
    from rich.console import Console

    if empty:
        print(empty)
        return 0
    Console(file=sys.stdout, width=120, highlight=False).print(table)
    return 0


def _json(value: Any) -> int:
    print(json.dumps(value, indent=2))
    return 0


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _delta(after: float | None, before: float | None) -> str:
    if after is None or before is None:
        return ""
    return f"{after - before:+.0f}"


def _day(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _top(findings: list[Any]) -> str:
    return findings[0].title if findings else "no finding"
