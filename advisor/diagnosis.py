"""The Diagnosis: one result with everything the pipeline learnt, and `diagnose()`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from advisor.engine.findings import Finding
from advisor.engine.vocabulary import Fact

log = logging.getLogger(__name__)

TOP_KEYS = 5


class Options(BaseModel):
    """What `diagnose` is asked to do beyond reading the inputs."""

    baseline: str | None = "gitlab-targets"
    facts_file: Path | None = None
    rules_dirs: list[Path] = Field(default_factory=list)


class KindSummary(BaseModel):
    """Statistics of one log kind: events, span and the costliest keys."""

    kind: str
    events: int
    first: str | None
    last: str | None
    span_s: float | None
    top_keys: list[dict[str, Any]]


class SkippedInput(BaseModel):
    """An input file, or lines of one, that could not be used, and why."""

    file: str
    reason: str
    lines: int | None = None


class Diagnosis(BaseModel):
    """Everything `advisor diagnose` found: the contract for reports and the TUI."""

    inputs: list[str]
    environment: dict[str, Any] | None
    stats: list[KindSummary]
    comparisons: list[dict[str, Any]] = Field(default_factory=list)
    load_patterns: list[dict[str, Any]] = Field(default_factory=list)
    score: dict[str, Any] | None = None
    baseline: str | None = None
    findings: list[Finding]
    facts: list[Fact]
    unknown: list[str]
    """Facts the inputs could not show (per node, then fact names rules wanted)."""
    skipped: list[SkippedInput]
    rules_loaded: int = 0
    tables: list[dict[str, Any]] = Field(default_factory=list)
    """Full per-kind statistics tables, as ``advisor stats --format json`` prints them."""
    series: list[dict[str, Any]] = Field(default_factory=list)
    """Per kind, per minute: start, events, P95 and failures, for charts over time."""
    errors: list[dict[str, Any]] = Field(default_factory=list)
    """Failed events grouped by kind, error and message, with sample correlation ids."""


def diagnose(paths: Sequence[str], options: Options | None = None) -> Diagnosis:
    """Reads the inputs, computes facts, runs the rules and returns the Diagnosis."""
    from advisor.ingest.sources import open_inputs

    with open_inputs(list(paths)) as inputs:
        diagnosis, _ = diagnose_loaded(paths, inputs, _load(inputs), options)
    return diagnosis


def diagnose_loaded(
    paths: Sequence[str], inputs: Any, dataset: Any, options: Options | None = None
) -> tuple[Diagnosis, Any]:
    """Diagnoses inputs already opened and loaded; returns it with the Environment.

    For callers that also need the loaded logs (reports), so nothing is read twice.
    ``dataset`` may be None when the inputs hold system files but no usable logs.
    """
    from advisor.engine import analyse
    from advisor.engine.loader import load_pack

    options = options or Options()
    rules = load_pack(options.rules_dirs)
    environment = _environment(inputs, dataset, options)
    facts, extra = _facts(dataset, environment, options)
    stats = _stats(dataset) if dataset is not None else []
    tables = _tables(dataset) if dataset is not None else []
    series = _series(dataset) if dataset is not None else []
    errors = error_groups(dataset) if dataset is not None else []
    skipped = _skipped(dataset, environment)
    findings = analyse(rules, facts)
    diagnosis = Diagnosis(
        inputs=list(paths),
        environment=environment.model_dump(mode="json") if environment else None,
        stats=stats,
        findings=findings,
        facts=facts,
        unknown=_unknown(environment, rules, facts),
        skipped=skipped,
        rules_loaded=len(rules),
        tables=tables,
        series=series,
        errors=errors,
        **extra,
    )
    return diagnosis, environment


def _load(inputs: Any) -> Any:
    from advisor.errors import InputError
    from advisor.ingest.load import load
    from advisor.ingest.sources import is_sos_root

    try:
        return load(inputs)
    except InputError as error:
        # System files alone still tell a lot; with neither, there is nothing to say.
        if any(is_sos_root(root.path) for root in inputs.roots):
            log.info("no usable logs: %s", error)
            return None
        raise


def _environment(inputs: Any, dataset: Any, options: Options) -> Any:
    from advisor.facts import user_file
    from advisor.facts.collect import collect
    from advisor.facts.inputs import node_roots
    from advisor.stats.load_classes import peak_rps

    user = user_file.load(options.facts_file) if options.facts_file else None
    peaks = peak_rps(dataset) if dataset is not None else None
    return collect(node_roots(inputs.roots), user, peaks)


def _facts(
    dataset: Any, environment: Any, options: Options
) -> tuple[list[Fact], dict[str, Any]]:
    from advisor.engine.compare_facts import compare_facts
    from advisor.engine.env_facts import environment_facts
    from advisor.engine.log_facts import log_facts

    facts = log_facts(dataset) if dataset is not None else []
    facts += environment_facts(environment)
    extra: dict[str, Any] = {}
    if dataset is not None and options.baseline:
        more, extra = compare_facts(dataset, options.baseline)
        facts += more
    return facts, extra


def _stats(dataset: Any) -> list[KindSummary]:
    from advisor.ingest.kinds import KINDS
    from advisor.stats.aggregate import key_stats

    out = []
    for kind in dataset.kinds:
        if not KINDS[kind].has_stats:
            continue
        table = key_stats(dataset, kind)
        rows = sorted(table.rows, key=lambda r: (-r.score, r.key))[:TOP_KEYS]
        top = [
            {
                "key": r.key,
                "count": r.count,
                "p95_ms": round(r.p95, 1),
                "p99_ms": round(r.p99, 1),
                "score": round(r.score),
                "fail_pct": round(r.fail_pct, 2),
            }
            for r in rows
        ]
        out.append(
            KindSummary(
                kind=kind,
                events=table.events,
                first=table.first.isoformat() if table.first else None,
                last=table.last.isoformat() if table.last else None,
                span_s=table.span_s,
                top_keys=top,
            )
        )
    return out


def _tables(dataset: Any) -> list[dict[str, Any]]:
    """Every key of every kind with its statistics (the TUI's Statistics tab)."""
    from advisor.ingest.kinds import KINDS
    from advisor.render.stats import table_dict
    from advisor.stats.aggregate import key_stats

    tables = []
    for kind in dataset.kinds:
        if KINDS[kind].has_stats:
            table = key_stats(dataset, kind)
            table.rows.sort(key=lambda r: (-r.score, r.key))
            tables.append(table_dict(table))
    return tables


def _series(dataset: Any) -> list[dict[str, Any]]:
    """Per-minute events, P95 latency and failures of each kind."""
    from advisor.ingest.kinds import KINDS

    out = []
    for kind in dataset.kinds:
        if not KINDS[kind].has_stats:
            continue
        rows = dataset.con.execute(
            "SELECT date_trunc('minute', time) AS minute, count(*), "
            "quantile_cont(duration_ms, 0.95), count_if(failed) "
            f"FROM {dataset.table(kind)} GROUP BY minute ORDER BY minute"
        ).fetchall()
        out.append(
            {
                "kind": kind,
                "minutes": [row[0].isoformat() for row in rows],
                "events": [row[1] for row in rows],
                "p95_ms": [round(row[2], 3) for row in rows],
                "failed": [row[3] for row in rows],
            }
        )
    return out


def _skipped(dataset: Any, environment: Any) -> list[SkippedInput]:
    out = []
    if dataset is not None:
        for report in dataset.files:
            for problem in (report.failure, report.note):
                if problem:
                    out.append(SkippedInput(file=report.name, reason=problem))
            for reason, count in sorted(report.skipped.items()):
                out.append(SkippedInput(file=report.name, reason=reason, lines=count))
    for node in environment.nodes:
        for item in node.skipped:
            out.append(
                SkippedInput(file=f"{node.name}:{item.file}", reason=item.reason)
            )
    return out


def _unknown(
    environment: Any, rules: Sequence[Any], facts: Sequence[Fact]
) -> list[str]:
    from advisor.engine.findings import unknown_names
    from advisor.engine.vocabulary import SPECS
    from advisor.facts.models import node_unknowns

    wanted = unknown_names([r.rule for r in rules], facts)
    # A node's missing file entry and the fact it would give are one missing thing.
    by_leaf = {name.rpartition(".")[2]: name for name in wanted}
    nodes: dict[str, list[str]] = {}
    out = []
    for node in environment.nodes:
        for path in node_unknowns(node):
            fact = by_leaf.get(path.rpartition(".")[2])
            if fact:
                nodes.setdefault(fact, []).append(node.name)
            else:
                out.append(f"{node.name}: {path}")
    if not environment.nodes:
        out.append(
            "system files: none among the inputs (hardware, strain, storage and settings unknown)"
        )
    for name in wanted:
        where = (
            f"; not in the files of {', '.join(nodes[name])}" if name in nodes else ""
        )
        out.append(f"fact {name}: {SPECS[name].description}{where}")
    return out


#: Error groups kept per kind, and sample events kept per group.
ERROR_GROUPS, ERROR_SAMPLES = 20, 5


def error_groups(dataset: Any) -> list[dict[str, Any]]:
    """Groups each kind's failed events as ``advisor stats errors`` does, as dicts."""
    from advisor.stats.views import errors

    out = []
    for kind in dataset.kinds:
        for group in errors(dataset, kind, ERROR_SAMPLES)[:ERROR_GROUPS]:
            out.append(
                {
                    "kind": group.kind,
                    "error": group.error,
                    "message": group.message,
                    "count": group.count,
                    "backtrace": group.backtrace,
                    "samples": [
                        {
                            "time": e.time.isoformat() if e.time else None,
                            "correlation_id": e.correlation_id,
                            "key": e.key,
                            "user": e.user,
                            "project": e.project,
                        }
                        for e in group.last_events
                    ],
                }
            )
    return out
