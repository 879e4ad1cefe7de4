"""Facts computed from the log statistics: shares, percentiles and error counts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.engine.vocabulary import Fact, make

if TYPE_CHECKING:
    from advisor.ingest.load import Dataset

log = logging.getLogger(__name__)

CLONE_RPCS = ("PostUploadPack%", "SSHUploadPack%", "PackObjectsHook%")
UNARY_READS = (
    "FindCommit",
    "TreeEntry",
    "GetBlob",
    "GetBlobs",
    "ListCommitsByOid",
    "GetTreeEntries",
    "CommitIsAncestor",
    "LastCommitForPath",
)
REF_RPCS = (
    "FindAllBranches",
    "RefExists",
    "FindLocalBranches",
    "ListRefs",
    "ListTagNamesContainingCommit",
    "ListBranchNamesContainingCommit",
    "FindDefaultBranchName",
    "HasLocalBranches",
    "FindAllTags",
    "FindBranch",
)
ARTIFACT_ROUTE = "%/jobs/:id/artifacts%"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _like(patterns: tuple[str, ...]) -> str:
    return "(" + " OR ".join(f"key LIKE '{p}'" for p in patterns) + ")"


class _Builder:
    """Runs the queries of one dataset and collects facts."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.facts: list[Fact] = []

    def source(self, *kinds: str) -> str:
        names = sorted(
            {_short(r.name) for r in self.dataset.files if r.kind in kinds and r.events}
        )
        return ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")

    def one(self, sql: str) -> tuple[Any, ...]:
        row = self.dataset.con.execute(sql).fetchone()
        return tuple(row) if row else ()

    def add(self, name: str, value: Any, kinds: tuple[str, ...], **fields: Any) -> None:
        if value is None:
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = round(float(value), 4)
        self.facts.append(make(name, value, source=self.source(*kinds), **fields))


def log_facts(dataset: Dataset) -> list[Fact]:
    """Builds the log facts of every kind present in the dataset."""
    builder = _Builder(dataset)
    steps: list[tuple[str, Callable[[_Builder], None]]] = [
        ("production", _rails),
        ("gitaly", _gitaly),
        ("gitaly", _clones),
        ("gitaly", _refs),
        ("sidekiq", _sidekiq),
        ("postgres", _postgres),
        ("exceptions", _exceptions),
        ("application", _application),
    ]
    for kind, step in steps:
        if kind in dataset.kinds or (kind == "production" and "api" in dataset.kinds):
            step(builder)
    _empty_logs(builder)
    _span(builder)
    return builder.facts


#: Logs whose lines are counted as facts: an empty one still says "none".
COUNTED_LOGS = {
    "exceptions_json.log": ("exceptions.redis_timeouts", "exceptions.db_timeouts"),
    "application_json.log": ("rails.watchdog_restarts",),
}


def _empty_logs(b: _Builder) -> None:
    """Counts of 0 for counted logs that are there but empty (nothing happened)."""
    from advisor.ingest.load import EMPTY

    known = {fact.name for fact in b.facts}
    for report in b.dataset.files:
        name = report.name.rsplit("/", 1)[-1]
        if report.kind is None and report.fmt == EMPTY:
            for fact in COUNTED_LOGS.get(name, ()):
                if fact not in known:
                    known.add(fact)
                    b.facts.append(
                        make(fact, 0.0, source=f"{_short(report.name)} (empty)")
                    )


def _rails_table(dataset: Dataset) -> str:
    kinds = [kind for kind in ("production", "api") if kind in dataset.kinds]
    parts = [f"SELECT * FROM {dataset.table(kind)}" for kind in kinds]
    return "(" + " UNION ALL ".join(parts) + ")"


def _rails(b: _Builder) -> None:
    table = _rails_table(b.dataset)
    row = b.one(
        "SELECT count(*), quantile_cont(duration_ms, 0.95), sum(duration_ms), "
        "sum(db_ms), sum(gitaly_ms), sum(redis_ms), sum(cpu_ms), "
        "quantile_cont(queue_ms, 0.95), avg(failed::int) * 100, "
        f"count_if(duration_ms >= 55000), count(cpu_ms) FROM {table}"
    )
    count, p95, total, db, gitaly, redis, cpu, queue, errors, timeouts, with_cpu = row
    kinds = ("production", "api")
    b.add("rails.requests", count, kinds)
    if not count or not total:
        return
    b.add("rails.p95_ms", p95, kinds)
    for name, part in (("db", db), ("gitaly", gitaly), ("redis", redis), ("cpu", cpu)):
        if part is not None:
            b.add(f"rails.{name}_share", part / total, kinds, impact_s=part / 1000)
    if with_cpu and cpu is not None:
        known = sum(x or 0 for x in (db, gitaly, redis, cpu))
        rest = max(0.0, total - known)
        b.add("rails.unexplained_share", rest / total, kinds, impact_s=rest / 1000)
    b.add("rails.queue_p95_ms", queue, kinds)
    b.add("rails.error_pct", errors, kinds)
    b.add("rails.timeouts", timeouts, kinds)
    _artifacts(b, table)


def _artifacts(b: _Builder, table: str) -> None:
    count, p95, total, deps = b.one(
        "SELECT count(*), quantile_cont(duration_ms, 0.95), sum(duration_ms), "
        "sum(coalesce(db_ms, 0) + coalesce(gitaly_ms, 0)) "
        f"FROM {table} WHERE key LIKE '{ARTIFACT_ROUTE}' AND key LIKE 'POST%'"
    )
    if count and total:
        b.add("rails.artifact_upload_p95_ms", p95, ("api",), impact_s=total / 1000)
        b.add("rails.artifact_upload_dependency_share", deps / total, ("api",))


def _gitaly(b: _Builder) -> None:
    table = b.dataset.table("gitaly")
    count, p95, total, cpu_total, cpu_time, queue, cancel = b.one(
        "SELECT count(*), quantile_cont(duration_ms, 0.95), sum(duration_ms), "
        "sum(duration_ms) FILTER (WHERE cpu_ms IS NOT NULL), sum(cpu_ms), "
        f"quantile_cont(queue_ms, 0.95), avg(cancelled::int) * 100 FROM {table}"
    )
    kinds = ("gitaly",)
    b.add("gitaly.calls", count, kinds)
    if not count:
        return
    b.add("gitaly.p95_ms", p95, kinds, impact_s=(total or 0) / 1000)
    if cpu_total:
        b.add("gitaly.cpu_share", (cpu_time or 0) / cpu_total, kinds)
    b.add("gitaly.queue_p95_ms", queue, kinds)
    b.add("gitaly.cancel_pct", cancel, kinds)
    unary, unary_total = b.one(
        "SELECT quantile_cont(duration_ms, 0.95), sum(duration_ms) "
        f"FROM {table} WHERE key IN {_in(UNARY_READS)}"
    )
    b.add("gitaly.unary_p95_ms", unary, kinds, impact_s=(unary_total or 0) / 1000)
    exhausted, denied, deadline = b.one(
        "SELECT count_if(status = 'ResourceExhausted'), "
        "avg((status = 'PermissionDenied')::int), count_if(status = 'DeadlineExceeded') "
        f"FROM {table}"
    )
    b.add("gitaly.resource_exhausted", exhausted, kinds)
    b.add("gitaly.permission_denied_share", denied, kinds)
    b.add("gitaly.deadline_exceeded", deadline, kinds)


def _clones(b: _Builder) -> None:
    table = b.dataset.table("gitaly")
    total = b.one(f"SELECT sum(duration_ms) FROM {table}")[0]
    p95, clone_total = b.one(
        "SELECT quantile_cont(duration_ms, 0.95), sum(duration_ms) "
        f"FROM {table} WHERE {_like(CLONE_RPCS)}"
    )
    if not clone_total or not total:
        return
    kinds = ("gitaly",)
    b.add("gitaly.clone_p95_ms", p95, kinds, impact_s=clone_total / 1000)
    b.add(
        "gitaly.clone_time_share",
        clone_total / total,
        kinds,
        impact_s=clone_total / 1000,
    )
    top = b.one(
        f"SELECT project, sum(duration_ms) AS t FROM {table} "
        f"WHERE {_like(CLONE_RPCS)} AND project IS NOT NULL "
        "GROUP BY project ORDER BY t DESC, project LIMIT 1"
    )
    if top:
        b.add("gitaly.clone_top_project_share", top[1] / clone_total, kinds, key=top[0])


def _refs(b: _Builder) -> None:
    table = b.dataset.table("gitaly")
    where = f"key IN {_in(REF_RPCS)}"
    p95, total = b.one(
        f"SELECT quantile_cont(duration_ms, 0.95), sum(duration_ms) FROM {table} WHERE {where}"
    )
    if p95 is None:
        return
    kinds = ("gitaly",)
    b.add("gitaly.ref_p95_ms", p95, kinds, impact_s=(total or 0) / 1000)
    rows = b.dataset.con.execute(
        f"SELECT project, quantile_cont(duration_ms, 0.95) AS p, sum(duration_ms) FROM {table} "
        f"WHERE {where} AND project IS NOT NULL GROUP BY project HAVING count(*) >= 20 "
        "ORDER BY p DESC, project"
    ).fetchall()
    if len(rows) < 2:
        return
    project, worst, spent = rows[0]
    others = b.one(
        f"SELECT quantile_cont(duration_ms, 0.95) FROM {table} "
        f"WHERE {where} AND project IS DISTINCT FROM ?".replace("?", _quote(project))
    )[0]
    if others:
        b.add(
            "gitaly.ref_top_project_ratio",
            worst / others,
            kinds,
            key=project,
            impact_s=spent / 1000,
        )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sidekiq(b: _Builder) -> None:
    table = b.dataset.table("sidekiq")
    count, sched, p95, total, db, failed = b.one(
        "SELECT count(*), quantile_cont(queue_ms, 0.95), quantile_cont(duration_ms, 0.95), "
        f"sum(duration_ms), sum(db_ms), avg(failed::int) * 100 FROM {table}"
    )
    kinds = ("sidekiq",)
    b.add("sidekiq.jobs", count, kinds)
    if not count or not total:
        return
    if sched is not None:
        b.add("sidekiq.scheduling_p95_s", sched / 1000, kinds)
    b.add("sidekiq.duration_p95_s", p95 / 1000, kinds)
    if db is not None:
        b.add("sidekiq.db_share", db / total, kinds, impact_s=db / 1000)
    b.add("sidekiq.fail_pct", failed, kinds)
    top = b.one(
        f"SELECT key, sum(duration_ms) AS t FROM {table} GROUP BY key ORDER BY t DESC, key LIMIT 1"
    )
    if top:
        b.add(
            "sidekiq.top_class_share",
            top[1] / total,
            kinds,
            key=top[0],
            impact_s=top[1] / 1000,
        )


def _postgres(b: _Builder) -> None:
    table = b.dataset.table("postgres")
    count, p95, first, last, total = b.one(
        "SELECT count(*), quantile_cont(duration_ms, 0.95), min(time), max(time), "
        f"sum(duration_ms) FROM {table}"
    )
    if not count:
        return
    hours = max((last - first).total_seconds() / 3600, 0.25) if first and last else None
    kinds = ("postgres",)
    if hours:
        b.add(
            "postgres.slow_statements_per_hour",
            count / hours,
            kinds,
            impact_s=total / 1000,
        )
    b.add("postgres.slow_p95_ms", p95, kinds)


def _exceptions(b: _Builder) -> None:
    table = b.dataset.table("exceptions")
    redis, db = b.one(
        "SELECT count_if(error_class LIKE 'Redis::%'), "
        "count_if(error_class = 'ActiveRecord::QueryCanceled' "
        "OR error_message ILIKE '%statement timeout%') "
        f"FROM {table}"
    )
    kinds = ("exceptions",)
    b.add("exceptions.redis_timeouts", redis, kinds)
    b.add("exceptions.db_timeouts", db, kinds)


#: What the Puma memory watchdog logs when it restarts a worker over its RSS limit.
WATCHDOG_MESSAGE = "rss memory limit exceeded"


def _application(b: _Builder) -> None:
    table = b.dataset.table("application")
    (restarts,) = b.one(
        f"SELECT count_if(lower(key) = '{WATCHDOG_MESSAGE}') FROM {table}"
    )
    b.add("rails.watchdog_restarts", restarts, ("application",))


def _span(b: _Builder) -> None:
    spans = [b.dataset.span(kind) for kind in b.dataset.kinds]
    firsts = [f for f, _ in spans if f]
    lasts = [last for _, last in spans if last]
    if firsts and lasts:
        hours = (max(lasts) - min(firsts)).total_seconds() / 3600
        b.add("logs.span_hours", hours, tuple(b.dataset.kinds))
    for kind in b.dataset.kinds:
        b.add("logs.kind_present", kind, (kind,), key=kind)


def _short(name: str) -> str:
    """Shortens a log path to the part below var/log/gitlab/, when it has one."""
    marker = "var/log/gitlab/"
    return name.split(marker, 1)[1] if marker in name else name
