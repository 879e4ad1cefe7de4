"""The ``advisor report`` command: a shareable report of score, findings and charts."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from advisor.commands.diagnose import add_diagnosis_settings, options_from
from advisor.errors import UsageError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="a self-contained report (Markdown, HTML or JSON) to attach to a ticket",
        description="Writes the score, findings with evidence and remediation, "
        "statistics tables and latency and throughput charts of the inputs as one "
        "file that needs no network to open. --redact replaces users, projects, "
        "hosts, IP addresses and emails with pseudonyms.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="gitlabsos archives, folders or logs"
    )
    parser.add_argument("--format", choices=("md", "html", "json"), default=None)
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="file to write (default: stdout)"
    )
    parser.add_argument(
        "--redact", action="store_true", help="replace names with stable pseudonyms"
    )
    add_diagnosis_settings(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Builds the report from the inputs and writes it."""
    from advisor.render.report import render

    fmt = _format_of(args.out, args.format)
    report = make_report(list(args.paths), args.redact, options_from(args))
    text = render(report, fmt)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    _write(args.out, text)
    print(f"report written to {args.out}", file=sys.stderr)
    return 0


def make_report(paths: list[str], redact: bool = False, options: Any = None) -> Any:
    """Reads the inputs once, diagnoses them (with ``options``) and builds the report."""
    from advisor.diagnosis import diagnose_loaded
    from advisor.facts.inputs import node_roots
    from advisor.ingest.load import load
    from advisor.ingest.sources import open_inputs
    from advisor.render.report import build_report, names_in, redact_report
    from advisor.store.adapter import run_record
    from advisor.store.identity import instance_from_roots

    with open_inputs(paths) as inputs:
        dataset = load(inputs, detail=True)
        diagnosis, environment = diagnose_loaded(paths, inputs, dataset, options)
        roots = node_roots(inputs.roots)
        instance = instance_from_roots(folder for folder, _ in roots)
        names = [Path(path).name for path in paths]
        report = build_report(
            dataset, environment, names, run_record(diagnosis), instance
        )
        if redact:
            report = redact_report(report, names_in(dataset))
    return report


SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".md": "md"}


def _format_of(out: Path | None, given: str | None = None) -> str:
    """The format asked for, or named by --out's suffix; Markdown on stdout."""
    if out is None:
        return given or "md"
    fmt = SUFFIXES.get(out.suffix.lower())
    if given and fmt and given != fmt:
        raise UsageError(
            f"--format {given} does not match --out {str(out)!r}.",
            fix=f"Name the file .{given}, or drop --format.",
        )
    if given:
        return given
    if fmt is None:
        raise UsageError(
            f"--out {str(out)!r}: the advisor writes .md, .html or .json reports, "
            f"not {out.suffix or 'files without a suffix'}.",
            fix="Choose one of those suffixes, or give --format.",
        )
    return fmt


def _write(out: Path, text: str) -> None:
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"cannot write the report to {str(out)!r}: {error.strerror}.",
            fix="Choose a writable --out path.",
        ) from None
