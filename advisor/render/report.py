"""Shareable reports: score, findings, statistics and charts in Markdown, HTML or JSON.

A report is built once as a ``Report`` model (from the Dataset, the Environment and,
when there is one, the diagnosis as a RunRecord), optionally redacted, then rendered.
The HTML is one self-contained file: inline CSS and charts as base64 PNG images.
"""

from __future__ import annotations

import base64
import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from advisor import __version__
from advisor.ingest.kinds import KINDS
from advisor.render.charts import Series, line_png
from advisor.render.words import counted
from advisor.store.records import FindingRecord, RunRecord

log = logging.getLogger(__name__)

#: Rows per statistics table and per top table.
TABLE_ROWS = 10
#: Kinds whose top users and projects the report lists.
TOP_KINDS = ("production", "api", "gitaly")
#: Kinds drawn in the latency and throughput charts, in this order.
CHART_KINDS = ("production", "api", "gitaly", "sidekiq", "workhorse", "shell")


class StatRow(BaseModel):
    """One key of a statistics table."""

    key: str
    count: int
    rps: float | None
    p99_ms: float
    p95_ms: float
    median_ms: float
    max_ms: float
    fail_pct: float


class KindStats(BaseModel):
    """The busiest keys of one log kind, by count x P99."""

    kind: str
    first: datetime | None
    last: datetime | None
    events: int
    rows: list[StatRow]


class TopRow(BaseModel):
    """One user or project and the request time it accounts for."""

    value: str
    count: int
    duration_s: float


class TopTable(BaseModel):
    """Who or what takes the most request time in one kind."""

    kind: str
    dimension: str
    rows: list[TopRow]


class NodeSummary(BaseModel):
    """One node of the environment."""

    name: str
    roles: list[str] = Field(default_factory=list)
    vcpus: int | None = None
    memory_gb: float | None = None
    gitlab_version: str | None = None


class Report(BaseModel):
    """Everything a report shows, ready to render or to redact."""

    title: str
    generated_at: datetime
    advisor_version: str = __version__
    inputs: list[str]
    instance: str | None = None
    architecture: str | None = None
    nodes: list[NodeSummary] = Field(default_factory=list)
    diagnosed: bool = False
    """False when no diagnosis was available: no score and no findings."""
    baseline: str | None = None
    score: float | None = None
    subscores: dict[str, float | None] = Field(default_factory=dict)
    findings: list[FindingRecord] = Field(default_factory=list)
    stats: list[KindStats] = Field(default_factory=list)
    tops: list[TopTable] = Field(default_factory=list)
    latency: list[Series] = Field(default_factory=list)
    """Per-minute P95 latency per kind, in ms."""
    throughput: list[Series] = Field(default_factory=list)
    """Per-minute requests per second per kind."""
    redacted: bool = False


def build_report(
    dataset: Any,
    environment: Any,
    inputs: list[str],
    run: RunRecord | None = None,
    instance: str | None = None,
) -> Report:
    """Collects the statistics, environment and diagnosis a report shows."""
    latency, throughput = minute_series(dataset)
    report = Report(
        title=f"GitLab performance report: {instance or 'self-managed instance'}",
        generated_at=datetime.now(UTC),
        inputs=inputs,
        instance=instance,
        architecture=_architecture(environment),
        nodes=[_node(node) for node in getattr(environment, "nodes", [])],
        stats=[
            kind_stats(dataset, kind)
            for kind in dataset.kinds
            if KINDS[kind].has_stats  # errors and events have no latency to show
        ],
        tops=list(top_tables(dataset)),
        latency=latency,
        throughput=throughput,
    )
    if run is not None:
        report = report.model_copy(
            update={
                "diagnosed": True,
                "baseline": run.baseline,
                "score": run.score,
                "subscores": run.subscores,
                "findings": run.findings,
            }
        )
    return report


def kind_stats(dataset: Any, kind: str) -> KindStats:
    """The top keys of a kind by count x P99."""
    from advisor.stats.aggregate import key_stats

    table = key_stats(dataset, kind)
    rows = sorted(table.rows, key=lambda r: (-r.score, r.key))[:TABLE_ROWS]
    return KindStats(
        kind=kind,
        first=table.first,
        last=table.last,
        events=table.events,
        rows=[
            StatRow(
                key=r.key,
                count=r.count,
                rps=r.rps,
                p99_ms=r.p99,
                p95_ms=r.p95,
                median_ms=r.median,
                max_ms=r.max,
                fail_pct=r.fail_pct,
            )
            for r in rows
        ],
    )


def top_tables(dataset: Any) -> Iterable[TopTable]:
    """Users and projects that take the most request time."""
    for kind in TOP_KINDS:
        if kind not in dataset.kinds:
            continue
        for dimension in ("user", "project"):
            rows = dataset.con.execute(
                f'SELECT "{dimension}", count(*), sum(duration_ms) / 1000 '
                f'FROM {dataset.table(kind)} WHERE "{dimension}" IS NOT NULL '
                f"GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT {TABLE_ROWS}"
            ).fetchall()
            if rows:
                yield TopTable(
                    kind=kind,
                    dimension=dimension,
                    rows=[
                        TopRow(value=str(v), count=c, duration_s=d) for v, c, d in rows
                    ],
                )


def minute_series(dataset: Any) -> tuple[list[Series], list[Series]]:
    """Per-minute P95 latency (ms) and throughput (events/s) of each kind."""
    latency, throughput = [], []
    for kind in (k for k in CHART_KINDS if k in dataset.kinds):
        rows = dataset.con.execute(
            "SELECT time_bucket(INTERVAL 1 minute, time) AS minute, count(*), "
            f"quantile_cont(duration_ms, 0.95), max(time) FROM {dataset.table(kind)} "
            "GROUP BY minute ORDER BY minute"
        ).fetchall()
        if len(rows) > 1 and rows[-1][3] < rows[-1][0] + timedelta(seconds=55):
            rows = rows[:-1]  # the last minute is incomplete: its rate would dip
        times = [_utc(row[0]) for row in rows]
        latency.append(Series(name=kind, times=times, values=[r[2] for r in rows]))
        rates = [row[1] / 60 for row in rows]
        throughput.append(Series(name=kind, times=times, values=list(rates)))
    return latency, throughput


def names_in(dataset: Any) -> dict[str, list[str]]:
    """Users and projects named anywhere in the logs, for redaction."""
    found: dict[str, set[str]] = {"user": set(), "project": set()}
    for kind in dataset.kinds:
        for column in found:
            rows = dataset.con.execute(
                f'SELECT DISTINCT "{column}" FROM {dataset.table(kind)} '
                f'WHERE "{column}" IS NOT NULL'
            ).fetchall()
            found[column].update(str(row[0]) for row in rows)
    return {column: sorted(values) for column, values in found.items()}


def redact_report(report: Report, names: dict[str, list[str]]) -> Report:
    """Replaces users, projects, hosts, addresses and emails with pseudonyms."""
    from advisor.redact import Redactor

    redactor = Redactor()
    redactor.add("host", [node.name for node in report.nodes] + [report.instance])
    for category in ("user", "project"):
        redactor.add(category, names.get(category, []))
    data = redactor.value(report.model_dump())
    data["inputs"] = [f"input-{n}" for n in range(1, len(report.inputs) + 1)]
    redacted = Report.model_validate(data)
    title = f"GitLab performance report: {redacted.instance or 'redacted instance'}"
    return redacted.model_copy(update={"redacted": True, "title": title})


def charts(report: Report) -> list[tuple[str, str]]:
    """(caption, base64 PNG) of the latency and throughput charts."""
    drawn = []
    if report.latency:
        image = line_png(report.latency, "P95 latency per minute", "ms", log_scale=True)
        drawn.append(("P95 latency per minute, by log kind (ms, log scale)", image))
    if report.throughput:
        image = line_png(report.throughput, "Throughput per minute", "events/s")
        drawn.append(("Throughput per minute, by log kind (events per second)", image))
    return [(caption, base64.b64encode(png).decode()) for caption, png in drawn]


def _architecture(environment: Any) -> str | None:
    derived = getattr(environment, "derived", None)
    fact = getattr(derived, "hardware_architecture", None)
    return str(fact.value) if fact is not None else None


def _node(node: Any) -> NodeSummary:
    memory = _value(node.hardware.memory_mb)
    return NodeSummary(
        name=node.name,
        roles=list(_value(node.roles.roles) or []),
        vcpus=_value(node.hardware.vcpus),
        memory_gb=round(memory / 1024, 1) if memory else None,
        gitlab_version=_value(node.software.gitlab_version),
    )


def _value(fact: Any) -> Any:
    return None if fact is None else fact.value


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class Table:
    """A table block: headers and rows of cell text."""

    headers: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """A heading and its blocks: paragraphs (str), bullet lists (list) and tables."""

    level: int
    title: str
    blocks: list[str | list[str] | Table] = field(default_factory=list)
    charts_after: bool = False
    """The latency and throughput charts follow this section."""


def render(report: Report, fmt: str) -> str:
    """The report as ``md``, ``html`` or ``json`` text."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return markdown(report)
    return html_page(report)


def sections(report: Report) -> list[Section]:
    """The report's content, shared by the Markdown and HTML renderers."""
    found = [_summary(report), _score(report)]
    found += [_finding(finding) for finding in report.findings]
    found.append(_environment(report))
    found += [_kind_table(kind) for kind in report.stats]
    found += [_top_table(top) for top in report.tops]
    return found


def _summary(report: Report) -> Section:
    facts = [
        f"Generated {_when(report.generated_at)} by gitlab-perf-advisor "
        f"{report.advisor_version}.",
        f"Inputs: {', '.join(report.inputs) or '-'}.",
        f"Instance: {report.instance or 'unknown'}; reference architecture matched "
        f"by the hardware: {report.architecture or 'unknown'}.",
    ]
    if report.redacted:
        facts.append(
            "Redacted: users, projects, hosts, IP addresses and emails are replaced "
            "by pseudonyms (user-1, project-1, host-1, ip-1, email-1@example.invalid)."
        )
    return Section(1, report.title, [" ".join(facts)])


def _score(report: Report) -> Section:
    if not report.diagnosed:
        return Section(
            2,
            "Score and findings",
            [
                "No diagnosis was available for these inputs: the report holds the "
                "statistics and charts only."
            ],
        )
    rows = [["overall", _num(report.score, 0)]]
    rows += [[name, _num(value, 0)] for name, value in sorted(report.subscores.items())]
    lines: list[str | list[str] | Table] = [
        f"Score against the baseline {report.baseline or 'unknown'} (0-100, 100: at "
        f"least as good as the baseline). Findings: {len(report.findings)}.",
        Table(["component", "score"], rows),
    ]
    return Section(2, "Score", lines)


def _finding(finding: FindingRecord) -> Section:
    about = (
        f"Severity {finding.severity}, confidence {_num(finding.confidence, 2)}, "
        f"component {finding.component or '-'}. {finding.cause or ''}".strip()
    )
    blocks: list[str | list[str] | Table] = [about]
    evidence = [line for line in finding.evidence.splitlines() if line.strip()]
    if evidence:
        blocks += ["Evidence:", evidence]
    if finding.remediation:
        blocks += ["What to do:", finding.remediation]
    return Section(3, f"{finding.title} ({finding.finding_id})", blocks)


def _environment(report: Report) -> Section:
    rows = [
        [
            node.name,
            ", ".join(node.roles) or "-",
            _num(node.vcpus, 0),
            _num(node.memory_gb, 1),
            node.gitlab_version or "-",
        ]
        for node in report.nodes
    ]
    table = Table(["node", "roles", "vCPUs", "memory GB", "GitLab"], rows)
    blocks: list[str | list[str] | Table] = [table] if rows else ["No node facts."]
    return Section(2, "Environment", blocks, charts_after=True)


def _kind_table(kind: KindStats) -> Section:
    span = f"{_when(kind.first)} to {_when(kind.last)}"
    headers = [
        "key",
        "count",
        "RPS",
        "P99 ms",
        "P95 ms",
        "median ms",
        "max ms",
        "%fail",
    ]
    rows = [
        [r.key, str(r.count), _num(r.rps, 2), _num(r.p99_ms, 1), _num(r.p95_ms, 1)]
        + [_num(r.median_ms, 1), _num(r.max_ms, 1), _num(r.fail_pct, 2)]
        for r in kind.rows
    ]
    keys = counted(len(rows), "key")
    intro = f"{kind.events} events from {span}; top {keys} by count x P99."
    return Section(2, f"Statistics: {kind.kind}", [intro, Table(headers, rows)])


def _top_table(top: TopTable) -> Section:
    rows = [[r.value, str(r.count), _num(r.duration_s, 1)] for r in top.rows]
    headers = [top.dimension, "requests", "time s"]
    return Section(2, f"Top {top.dimension}s: {top.kind}", [Table(headers, rows)])


def markdown(report: Report) -> str:
    """The report as Markdown, charts embedded as data-URI images."""
    out: list[str] = []
    for section in sections(report):
        out.append(f"{'#' * section.level} {_md(section.title)}\n")
        out += [_md_block(block) for block in section.blocks]
        if section.charts_after:
            out.append("## Latency and throughput\n")
            out += [
                f"![{caption}](data:image/png;base64,{data})\n"
                for caption, data in charts(report)
            ]
    return "\n".join(out)


def _md_block(block: str | list[str] | Table) -> str:
    if isinstance(block, str):
        return f"{_md(block)}\n"
    if isinstance(block, list):
        return "".join(f"- {_md(item)}\n" for item in block)
    lines = ["| " + " | ".join(_cell(h) for h in block.headers) + " |"]
    lines.append("|" + "---|" * len(block.headers))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def html_page(report: Report) -> str:
    """One self-contained HTML page: inline CSS, images as data URIs, no scripts."""
    parts = []
    for section in sections(report):
        parts.append(_html_section(section))
        if section.charts_after:
            parts.append(_html_charts(report))
    return HTML_PAGE.format(
        title=html.escape(report.title), css=CSS, body="\n".join(parts)
    )


def _html_section(section: Section) -> str:
    level = section.level
    out = [f"<h{level}>{html.escape(section.title)}</h{level}>"]
    for block in section.blocks:
        if isinstance(block, str):
            out.append(f"<p>{html.escape(block)}</p>")
        elif isinstance(block, list):
            items = "".join(f"<li>{html.escape(item)}</li>" for item in block)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(_html_table(block))
    return "<section>" + "\n".join(out) + "</section>"


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_charts(report: Report) -> str:
    figures = "".join(
        f'<figure><img alt="{html.escape(caption)}" '
        f'src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        for caption, data in charts(report)
    )
    return f"<section><h2>Latency and throughput</h2>{figures}</section>"


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em;
       color: #1f2328; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; border-bottom: 2px solid #d0d7de; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .85em; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left;
         vertical-align: top; word-break: break-word; }
th { background: #f6f8fa; }
td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #d0d7de; }
figcaption { font-size: .85em; color: #57606a; }
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""
