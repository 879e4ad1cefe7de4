"""Throughput and peak memory of ``advisor stats`` against named references.

Makes (once, cached in benchmarks/work/) a production_json log of at least 1 GB and
Gitaly and Sidekiq logs with the simulator, then times in one run:

- ``advisor stats FILE --format json`` (a fresh process each time), with the package's
  bytecode compiled first as ``pip install`` does (a checkout run with
  PYTHONDONTWRITEBYTECODE would otherwise compile every module on each run);
- reference (a): a DuckDB query computing the same columns on the same file, also in a
  fresh Python process, with typed columns as a DuckDB user would write it;
- reference (b): the jq recipe from GitLab's log-parsing docs (top controllers by volume
  and their longest durations, ``jq -s``), on the first 100 MB of the production log
  because it slurps the whole input into memory.

Prints the median wall time of each, throughput in MB/s, ratios and peak RSS (from
``wait4``). Usage: ``python benchmarks/stats_throughput.py [--size-mb 1024]
[--other-mb 1024] [--runs 3]``. The peak RSS of both tools has a floor of about
220 MB (the interpreter and DuckDB's read buffers), so the memory target is only
meaningful for logs well above 440 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from advisor.simulate import bulk

WORK = Path(__file__).resolve().parent / "work"
JQ_SLICE_BYTES = 100 * 1024**2
MB = 1024**2

COMPONENTS = {
    "production": {
        "db": "db_duration_s",
        "gitaly": "gitaly_duration_s",
        "redis": "redis_duration_s",
        "cpu": "cpu_s",
        "view": "view_duration_s",
        "queue": "queue_duration_s",
    },
    "sidekiq": {
        "db": "db_duration_s",
        "gitaly": "gitaly_duration_s",
        "redis": "redis_duration_s",
        "cpu": "cpu_s",
        "queue": "scheduling_latency_s",
    },
}

JQ_RECIPE = (
    "group_by(.controller+.action) | sort_by(-length) | limit(3; .[]) | "
    'sort_by(-.duration_s) | "CT: \\(length)\\tMETHOD: \\(.[0].controller)#'
    "\\(.[0].action)\\tDURS: \\(.[0].duration_s), \\(.[1].duration_s), "
    '\\(.[2].duration_s)"'
)


def reference_components(kind: str) -> dict[str, str]:
    """Component label -> the reference's SQL for it, in ms, in the advisor's order."""
    if kind == "gitaly":
        return {"cpu": '"command.cpu_time_ms"', "queue": '"limit.concurrency_queue_ms"'}
    return {label: f"{field} * 1000" for label, field in COMPONENTS[kind].items()}


def duckdb_sql(kind: str, path: Path) -> str:
    """The reference query: fast-stats columns plus component total, mean and P95."""
    if kind == "gitaly":
        columns = {
            "time": "TIMESTAMP",
            "grpc.method": "VARCHAR",
            "grpc.code": "VARCHAR",
            "grpc.time_ms": "DOUBLE",
            "command.cpu_time_ms": "DOUBLE",
            "limit.concurrency_queue_ms": "DOUBLE",
        }
        key, duration = '"grpc.method"', '"grpc.time_ms"'
        failed = "\"grpc.code\" NOT IN ('OK', 'Canceled')"
        cancelled = "\"grpc.code\" = 'Canceled'"
        where = '"grpc.code" IS NOT NULL'
    else:
        names = COMPONENTS[kind]
        columns = {"time": "TIMESTAMP", **{c: "DOUBLE" for c in names.values()}}
        if kind == "production":
            columns |= {
                "controller": "VARCHAR",
                "action": "VARCHAR",
                "status": "INTEGER",
                "method": "VARCHAR",
                "path": "VARCHAR",
                "duration_s": "DOUBLE",
            }
            # Requests without a controller are keyed by method and path, as the
            # advisor does, so that both produce the same rows.
            key = (
                "coalesce(controller || '#' || action, method || ' ' || "
                "regexp_replace(split_part(path, '?', 1), '/[0-9]+(/|$)', '/:id\\1', 'g'))"
            )
            failed, cancelled, where = "status >= 500", "false", "true"
        else:
            columns |= {
                "class": "VARCHAR",
                "job_status": "VARCHAR",
                "duration_s": "DOUBLE",
            }
            key, failed, cancelled = "class", "job_status = 'fail'", "false"
            where = "job_status IN ('done', 'fail')"
        duration = "duration_s * 1000"
    aggregates = [
        "count(*)",
        f"quantile_cont({duration}, [0.99, 0.95, 0.5])",
        f"max({duration})",
        f"min({duration})",
        f"stddev_pop({duration})",
        f"count_if({failed})",
        f"count_if({cancelled})",
    ]
    for expression in reference_components(kind).values():
        aggregates += [
            f"sum({expression})",
            f"avg({expression})",
            f"quantile_cont({expression}, 0.95)",
        ]
    spec = ", ".join(f"'{name}': '{kind_}'" for name, kind_ in columns.items())
    # The advisor leaves out durations that are not finite or negative: so does this.
    valid = f"isfinite({duration}) AND {duration} >= 0 AND time IS NOT NULL"
    return (
        f"SELECT {key} AS key, {', '.join(aggregates)}, min(time), max(time) "
        f"FROM read_json('{path}', format='newline_delimited', ignore_errors=true, "
        f"columns={{{spec}}}) WHERE {where} AND {valid} GROUP BY key"
    )


@dataclass
class Run:
    """One timed process."""

    seconds: float
    peak_rss_mb: float


def timed(command: list[str], stdout: Path | None = None) -> Run:
    """Runs a command; returns wall time and the peak RSS of that process."""
    sink = open(stdout or os.devnull, "wb")
    started = time.perf_counter()
    with sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error}")
    return Run(elapsed, usage.ru_maxrss / 1024)


def median_run(command: list[str], runs: int) -> Run:
    """Median wall time and the largest peak RSS over ``runs`` runs."""
    results = [timed(command) for _ in range(runs)]
    return Run(
        statistics.median(r.seconds for r in results),
        max(r.peak_rss_mb for r in results),
    )


def make_logs(size_mb: int, other_mb: int, seed: int) -> dict[str, Path]:
    """Writes (or reuses) the benchmark logs."""
    WORK.mkdir(parents=True, exist_ok=True)
    plan = {
        "production": (bulk.write_production_log, size_mb),
        "gitaly": (bulk.write_gitaly_log, other_mb),
        "sidekiq": (bulk.write_sidekiq_log, other_mb),
    }
    paths = {}
    for kind, (writer, megabytes) in plan.items():
        path = WORK / f"{kind}-{megabytes}mb-seed{seed}.log"
        if not path.exists() or path.stat().st_size < megabytes * MB:
            started = time.perf_counter()
            writer(path, megabytes * MB, seed)
            took = time.perf_counter() - started
            size = path.stat().st_size / MB
            print(
                f"wrote {path.name}: {size:.0f} MB in {took:.1f} s ({size / took:.0f} MB/s)"
            )
        paths[kind] = path
    return paths


def jq_slice(production: Path) -> Path:
    """The first ~100 MB of whole lines of the production log, for jq."""
    target = WORK / f"{production.stem}-jq-slice.log"
    if not target.exists():
        with open(production, "rb") as source, open(target, "wb") as sink:
            sink.write(source.read(JQ_SLICE_BYTES))
            sink.write(source.readline())
    return target


def compile_package() -> None:
    """Writes the advisor's bytecode, as installing it from a wheel does."""
    import compileall

    import advisor

    compileall.compile_dir(Path(advisor.__file__).parent, quiet=1)


def advisor_command(path: Path) -> list[str]:
    """The advisor run being measured."""
    return [sys.executable, "-m", "advisor", "stats", str(path), "--format", "json"]


def _flatten(row: dict, labels: list[str]) -> list[float]:
    """An advisor JSON row in the reference query's column order."""
    values = [
        row["count"],
        row["p99_ms"],
        row["p95_ms"],
        row["median_ms"],
        row["max_ms"],
        row["min_ms"],
        row["stddev_ms"],
        row["failed"],
        row["cancelled"],
    ]
    for label in labels:
        part = row["components"][label]
        values += [part["total_ms"], part["mean_ms"], part["p95_ms"]]
    return values


def _reference_row(row: tuple) -> list[float]:
    """A reference row's values, without the key and the time span."""
    count, quantiles, *rest = row[1:-2]
    return [count, *quantiles, *rest]


def same_rows(kind: str, path: Path) -> str:
    """Checks that the advisor and the reference agree on every key and column."""
    import json
    import math

    import duckdb

    run = subprocess.run(advisor_command(path), capture_output=True, check=True)
    (table,) = [t for t in json.loads(run.stdout)["tables"] if t["kind"] == kind]
    labels = list(reference_components(kind))
    mine = {row["key"]: _flatten(row, labels) for row in table["rows"]}
    connection = duckdb.connect()
    connection.execute("SET TimeZone='UTC'")
    rows = connection.execute(duckdb_sql(kind, path)).fetchall()
    theirs = {row[0]: _reference_row(row) for row in rows}
    if mine.keys() != theirs.keys():
        return "DIFFERENT keys"
    cells = 0
    for key, values in mine.items():
        for ours, reference in zip(values, theirs[key], strict=True):
            cells += 1
            if ours is None or reference is None:
                if ours is not reference and (ours or reference):
                    return f"DIFFERENT values for {key}"
            elif not math.isclose(ours, reference, rel_tol=1e-9, abs_tol=1e-9):
                return f"DIFFERENT values for {key}: {ours} vs {reference}"
    return f"same {len(mine)} keys, {cells} values agree"


def duckdb_command(kind: str, path: Path) -> list[str]:
    """The DuckDB reference run, in a fresh interpreter like the advisor."""
    script = (
        "import duckdb; c = duckdb.connect(); c.execute(\"SET TimeZone='UTC'\"); "
        f"rows = c.execute({duckdb_sql(kind, path)!r}).fetchall(); print(len(rows))"
    )
    return [sys.executable, "-c", script]


def main() -> int:
    """Runs the benchmark and prints its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="production log")
    parser.add_argument(
        "--other-mb", type=int, default=1024, help="Gitaly and Sidekiq logs"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logs = make_logs(args.size_mb, args.other_mb, args.seed)
    compile_package()
    print(f"\n{'input':<40}{'tool':<10}{'median s':>10}{'MB/s':>10}{'peak RSS MB':>13}")
    verdicts = []
    for kind, path in logs.items():
        size = path.stat().st_size / MB
        ours = median_run(advisor_command(path), args.runs)
        ref = median_run(duckdb_command(kind, path), args.runs)
        for name, run in (("advisor", ours), ("duckdb", ref)):
            rate = size / run.seconds
            print(
                f"{path.name:<40}{name:<10}{run.seconds:>10.2f}{rate:>10.0f}"
                f"{run.peak_rss_mb:>13.0f}"
            )
        ratio = ref.seconds / ours.seconds
        rss_share = ours.peak_rss_mb / size
        verdicts.append(
            f"{kind}: advisor/duckdb throughput {ratio:.2f}x (target >= 0.80), "
            f"peak RSS {rss_share:.2f} of input size (target < 0.50), "
            f"{same_rows(kind, path)}"
        )
        if kind == "production":
            verdicts.append(_jq(path, ours, size, args.runs))
    print()
    print("\n".join(verdicts))
    return 0


def _jq(production: Path, ours: Run, size: float, runs: int) -> str:
    jq = shutil.which("jq")
    if jq is None:
        return "jq: not installed (apt-get install jq); reference (b) skipped"
    piece = jq_slice(production)
    piece_mb = piece.stat().st_size / MB
    run = median_run([jq, "-s", "-r", JQ_RECIPE, str(piece)], max(1, runs // 2))
    jq_rate = piece_mb / run.seconds
    our_rate = size / ours.seconds
    print(
        f"{piece.name:<40}{'jq':<10}{run.seconds:>10.2f}{jq_rate:>10.0f}"
        f"{run.peak_rss_mb:>13.0f}"
    )
    return (
        f"production: advisor/jq throughput {our_rate / jq_rate:.1f}x (target >= 10), "
        f"jq on a {piece_mb:.0f} MB slice"
    )


if __name__ == "__main__":
    raise SystemExit(main())
