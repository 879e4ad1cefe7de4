"""Renders statistics tables, top tables, error groups and comparisons."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from advisor.ingest.kinds import KINDS
from advisor.ingest.load import Dataset, FileReport
from advisor.render.table import Table, safe, to_csv, to_markdown, to_text
from advisor.stats import columns
from advisor.stats.aggregate import KeyStats, KindTable
from advisor.stats.compare import Comparison
from advisor.stats.views import TOP_MEASURES, ErrorGroup, PercentileSample, TopTable


def _finite(data: Any) -> Any:
    """Replaces NaN and infinities, which JSON cannot carry, with null."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_finite(value) for value in data]
    return data


def dumps(data: Any) -> str:
    """Strict JSON (no NaN) with two-space indentation."""
    return json.dumps(_finite(data), indent=2, allow_nan=False)


def stamp(value: datetime | None) -> str:
    """Formats an event time as ISO 8601 UTC, or '-'."""
    return "-" if value is None else value.isoformat(timespec="milliseconds") + "Z"


def span_line(table: KindTable) -> str:
    """Says which events a table covers: count, first and last time, span."""
    span = table.span_s
    span_text = "-" if span is None else f"{span:.0f} s"
    where = ""
    first, last = table.first, table.last
    if table.bucket_start is not None and first is not None:
        where = f">>> {stamp(table.bucket_start)} <<<  "
        first = max(first, table.bucket_start)
    if table.bucket_end is not None and last is not None:
        last = min(last, table.bucket_end)
    return (
        f"{where}{KINDS[table.kind].title}: {table.events} events, "
        f"{stamp(first)} to {stamp(last)} (span {span_text})"
    )


def stats_table(table: KindTable, fields: list[str]) -> Table:
    """Turns a KindTable into formatted cells for the chosen columns."""
    chosen = [columns.ALL[name] for name in fields]
    out = Table([table.key_label] + [c.header for c in chosen])
    for row in table.rows:
        cells = [columns.format_value(c.get(row), c.digits) for c in chosen]
        out.rows.append([row.key, *cells])
    return out


def row_dict(row: KeyStats) -> dict[str, Any]:
    """One statistics row as JSON-ready data."""
    return {
        "key": row.key,
        "count": row.count,
        "rps": row.rps,
        "p99_ms": row.p99,
        "p95_ms": row.p95,
        "median_ms": row.median,
        "max_ms": row.max,
        "min_ms": row.min,
        "stddev_ms": row.stddev,
        "score": row.score,
        "fail_pct": row.fail_pct,
        "cancel_pct": row.cancel_pct,
        "failed": row.failed,
        "cancelled": row.cancelled,
        "components": {
            label: {"total_ms": c.total, "mean_ms": c.mean, "p95_ms": c.p95}
            for label, c in row.components.items()
        },
    }


def table_dict(table: KindTable) -> dict[str, Any]:
    """One KindTable as JSON-ready data."""
    data: dict[str, Any] = {
        "kind": table.kind,
        "title": KINDS[table.kind].title,
        "key_label": table.key_label,
        "failure_rule": KINDS[table.kind].failure_rule,
        "first_event": stamp(table.first) if table.first else None,
        "last_event": stamp(table.last) if table.last else None,
        "span_s": table.span_s,
        "events": table.events,
        "rows": [row_dict(row) for row in table.rows],
    }
    if table.bucket_start is not None:
        data["bucket_start"] = stamp(table.bucket_start)
        data["bucket_end"] = stamp(table.bucket_end)
    return data


def inputs_dict(dataset: Dataset) -> list[dict[str, Any]]:
    """What each input file was and what was skipped in it."""
    return [report_dict(report) for report in dataset.files]


def report_dict(report: FileReport) -> dict[str, Any]:
    """One file report as JSON-ready data."""
    return {
        "file": report.name,
        "node": report.node,
        "kind": report.kind,
        "format": report.fmt,
        "lines": report.lines,
        "events": report.events,
        "skipped": dict(sorted(report.skipped.items())),
        "read": report.read,
        "failure": report.failure,
        "note": report.note,
    }


def skipped_text(dataset: Dataset) -> str:
    """Summarises skipped lines per file, for the end of a text report."""
    lines = ["Inputs:"]
    for report in dataset.files:
        name = safe(report.name)
        if report.kind is None:
            lines.append(f"  {name}: ignored ({report.fmt})")
            continue
        if not report.read:
            lines.append(f"  {name}: {report.kind}, not read (other --kind)")
            continue
        if report.failure:
            lines.append(f"  {name}: {report.kind}, not read: {report.failure}")
            continue
        skipped = ", ".join(
            f"{n} {reason}" for reason, n in sorted(report.skipped.items())
        )
        detail = f"; skipped {skipped}" if skipped else ""
        if report.note:
            detail += f"; {report.note}"
        lines.append(
            f"  {name}: {report.kind} ({report.fmt}), {report.lines} lines, "
            f"{report.events} events{detail}"
        )
    return "\n".join(lines)


def render_tables(
    tables: list[KindTable],
    fmt: str,
    fields: list[str] | None,
    color: bool,
    samples: dict[int, list[PercentileSample]] | None = None,
) -> str:
    """Renders statistics tables in text, md or csv (JSON is built by the caller)."""
    if fmt == "csv":
        return _csv_tables(tables, fields)
    parts = []
    for index, table in enumerate(tables):
        chosen = fields or columns.default_fields(table.kind)
        rendered = stats_table(table, chosen)
        heading = span_line(table)
        if fmt == "md":
            parts.append(f"## {safe(heading)}\n\n{to_markdown(rendered)}")
        else:
            parts.append(f"{heading}\n{to_text(rendered, color)}")
        if not fields and columns.component_fields(table.kind) and table.rows:
            parts.append(_components(table, fmt, color))
        if samples and samples.get(index):
            parts.append(_samples(samples[index], fmt, color))
    return "\n\n".join(parts)


def _components(table: KindTable, fmt: str, color: bool) -> str:
    rendered = stats_table(table, ["count", *columns.component_fields(table.kind)])
    title = (
        f"Component time per {table.key_label.lower()} ({KINDS[table.kind].queue_label}"
    )
    title += " shown as QUEUE)"
    if fmt == "md":
        return f"#### {title}\n\n{to_markdown(rendered)}"
    return f"{title}\n{to_text(rendered, color)}"


def _samples(samples: list[PercentileSample], fmt: str, color: bool) -> str:
    rendered = Table(["KEY", "AT", "DURATION_ms", "TIME", "CORRELATION_ID"])
    rendered.numeric = [False, False, True, False, False]
    for s in samples:
        rendered.rows.append(
            [
                s.key,
                s.percentile,
                f"{s.duration_ms:.2f}",
                stamp(s.time),
                s.correlation_id or "-",
            ]
        )
    if fmt == "md":
        return f"#### Events at the percentiles\n\n{to_markdown(rendered)}"
    return f"Events at the percentiles\n{to_text(rendered, color)}"


def _csv_tables(tables: list[KindTable], fields: list[str] | None) -> str:
    kinds = {table.kind for table in tables}
    names = fields or _union(columns.all_fields(kind) for kind in sorted(kinds))
    chosen = [columns.ALL[name] for name in names]
    headers = ["kind", "bucket_start", "key"] + [c.name for c in chosen]
    rows: list[list[object]] = []
    for table in tables:
        bucket = stamp(table.bucket_start) if table.bucket_start else ""
        for row in table.rows:
            values = [c.get(row) for c in chosen]
            rows.append(
                [table.kind, bucket, row.key, *["" if v is None else v for v in values]]
            )
    return to_csv(headers, rows).rstrip("\n")


def _union(lists: Any) -> list[str]:
    seen: dict[str, None] = {}
    for names in lists:
        seen.update(dict.fromkeys(names))
    return list(seen)


def human_ms(value: float) -> str:
    """Formats a sum of milliseconds as 1h2m3.4s, 9m20.6s or 812.0ms."""
    if value < 1000:
        return f"{value:.1f}ms"
    seconds = value / 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{int(hours)}h{int(minutes)}m{secs:.1f}s"
    if minutes:
        return f"{int(minutes)}m{secs:.1f}s"
    return f"{secs:.1f}s"


def _top_cell(measure: str, value: float, total: float, display: str) -> str:
    if measure in ("fail", "disk-read", "disk-write", "response-bytes"):
        text = f"{value:.0f}"
    else:
        text = human_ms(value)
    share = f"{100 * value / total:.1f}%" if total else "-"
    return {"value": text, "perc": share, "both": f"{text} / {share}"}[display]


def render_top(tables: list[TopTable], fmt: str, display: str, color: bool) -> str:
    """Renders top tables with a totals line, values and/or percentages."""
    if fmt == "json":
        return dumps([_top_dict(t) for t in tables])
    parts = []
    for table in tables:
        headers = [table.dimension.upper(), "COUNT"] + [
            _measure_header(m) for m in table.measures
        ]
        rendered = Table(headers)
        for value, count, sums in table.rows:
            cells = [
                _top_cell(m, v, t, display)
                for m, v, t in zip(table.measures, sums, table.totals, strict=True)
            ]
            rendered.rows.append([value, str(count), *cells])
        totals = [
            _top_cell(m, t, t, "value")
            for m, t in zip(table.measures, table.totals, strict=True)
        ]
        rendered.rows.append(["Totals", str(table.total_count), *totals])
        title = (
            f"Top {len(table.rows)} {table.dimension}s by {table.sort_by} "
            f"({KINDS[table.kind].title}, {stamp(table.first)} to {stamp(table.last)})"
        )
        if fmt == "csv":
            parts.append(_top_csv(table))
        elif fmt == "md":
            parts.append(f"### {title}\n\n{to_markdown(rendered)}")
        else:
            parts.append(f"{title}\n{to_text(rendered, color)}")
    return "\n\n".join(parts)


def _top_csv(table: TopTable) -> str:
    """Top rows as numbers: each measure's sum and its percentage of the total."""
    headers = ["kind", table.dimension, "count"]
    for measure in table.measures:
        headers += [measure, f"{measure}_pct"]
    rows: list[list[object]] = []
    for value, count, sums in table.rows:
        row: list[object] = [table.kind, value, count]
        for amount, total in zip(sums, table.totals, strict=True):
            row += [amount, round(100 * amount / total, 2) if total else ""]
        rows.append(row)
    return to_csv(headers, rows).rstrip("\n")


def _measure_header(measure: str) -> str:
    return TOP_MEASURES[measure][0]


def _top_dict(table: TopTable) -> dict[str, Any]:
    return {
        "kind": table.kind,
        "dimension": table.dimension,
        "sort_by": table.sort_by,
        "first_event": stamp(table.first) if table.first else None,
        "last_event": stamp(table.last) if table.last else None,
        "rows": [
            {
                "value": value,
                "count": count,
                **dict(zip(table.measures, sums, strict=True)),
            }
            for value, count, sums in table.rows
        ],
        "totals": {
            "count": table.total_count,
            **dict(zip(table.measures, table.totals, strict=True)),
        },
    }


def render_errors(groups: list[ErrorGroup], fmt: str, color: bool) -> str:
    """Renders error groups: class, message, count, a backtrace, the last events."""
    if fmt == "json":
        return dumps([_error_dict(g) for g in groups])
    if fmt == "csv":
        rows: list[list[object]] = [
            [g.kind, g.error, g.message, g.count] for g in groups
        ]
        return to_csv(["kind", "error", "message", "count"], rows).rstrip("\n")
    parts = []
    for group in groups:
        events = Table(
            ["TIME", "CORR_ID", "KEY", "USER", "PROJECT"], numeric=[False] * 5
        )
        for e in group.last_events:
            events.rows.append(
                [
                    stamp(e.time),
                    e.correlation_id or "-",
                    e.key or "-",
                    e.user or "-",
                    e.project or "-",
                ]
            )
        backtrace = "\n".join(
            safe(line) for line in _first_frames(group.backtrace).splitlines()
        )
        head = safe(
            f"Error: {group.error}{': ' + group.message if group.message else ''}"
        )
        if fmt == "md":
            body = f"### {head}\n\nCount: {group.count} ({group.kind})\n"
            if backtrace:
                body += f"\n```\n{backtrace}\n```\n"
            parts.append(body + "\n" + to_markdown(events))
        else:
            body = f"{head}\nCount: {group.count} ({group.kind})"
            if backtrace:
                body += f"\nBacktrace:\n  {backtrace.replace(chr(10), chr(10) + '  ')}"
            parts.append(
                f"{body}\nLast {len(group.last_events)} events:\n{to_text(events, color)}"
            )
    return "\n\n".join(parts) if parts else "No errors found."


def _first_frames(backtrace: str | None, frames: int = 5) -> str:
    if not backtrace:
        return ""
    try:
        parsed = json.loads(backtrace)
    except ValueError:
        parsed = backtrace.splitlines()
    if isinstance(parsed, list):
        return "\n".join(str(frame) for frame in parsed[:frames])
    return str(parsed)


def _error_dict(group: ErrorGroup) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "error": group.error,
        "message": group.message,
        "count": group.count,
        "backtrace": _first_frames(group.backtrace, 20) or None,
        "last_events": [
            {
                "time": stamp(e.time),
                "correlation_id": e.correlation_id,
                "key": e.key,
                "user": e.user,
                "project": e.project,
            }
            for e in group.last_events
        ],
    }


def render_comparison(
    comparisons: list[Comparison],
    fmt: str,
    color: bool,
    fields: list[str] | None = None,
) -> str:
    """Renders side-by-side statistics with B/A ratios."""
    if fmt == "json":
        return dumps([c.as_dict() for c in comparisons])
    parts = []
    for comparison in comparisons:
        headers, rows = comparison.table_rows(fields)
        if fmt == "csv":
            parts.append(to_csv(headers, rows).rstrip("\n"))
            continue
        rendered = Table(headers, [[str(cell) for cell in row] for row in rows])
        title = comparison.title()
        if fmt == "md":
            parts.append(f"## {title}\n\n{to_markdown(rendered)}")
        else:
            parts.append(f"{title}\n{to_text(rendered, color)}")
    return "\n\n".join(parts)
