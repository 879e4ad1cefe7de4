"""The `advisor rules` commands: list, lint, test and explain rule packs."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `rules list|lint|test|explain`."""
    parser = subparsers.add_parser(
        "rules",
        help="list, lint, test and explain rules",
        description="Tools for rule authors.",
    )
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    listing = sub.add_parser(
        "list", help="list the rules of the built-in pack and --rules folders"
    )
    listing.set_defaults(func=run_list)
    lint = sub.add_parser(
        "lint",
        help="check rule files: schema, unknown facts, unreachable or duplicate conditions",
    )
    lint.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="rule folder or file (default: built-in pack)",
    )
    lint.set_defaults(func=run_lint)
    test = sub.add_parser(
        "test", help="run each rule's fixture cases (tests/*.yaml beside the rules)"
    )
    test.set_defaults(func=run_test)
    explain = sub.add_parser(
        "explain",
        help="show which conditions of a rule held for the inputs, and by how much",
    )
    explain.add_argument("rule_id", metavar="ID")
    explain.add_argument("paths", nargs="*", metavar="PATH")
    explain.set_defaults(func=run_explain)
    for item in (listing, test, explain):
        item.add_argument(
            "--rules",
            type=Path,
            action="append",
            default=[],
            metavar="DIR",
            help="extra rule folder",
        )


def run_list(args: argparse.Namespace) -> int:
    """Prints one line per rule."""
    from advisor.engine.loader import load_pack

    for item in load_pack(args.rules):
        rule = item.rule
        print(f"{rule.id:38} {rule.severity:8} {rule.component:11} {rule.title}")
    return 0


def _load_paths(paths: list[Path]) -> tuple[list[Any], set[str]]:
    """Loads the built-in pack with the given folders or files, as diagnose would.

    Returns every rule and the files whose problems to report (the given ones, or
    the built-in pack's when none are given).
    """
    from advisor.engine.errors import RuleFileError
    from advisor.engine.loader import builtin_dir, check_pack, load_file, rule_files

    builtin = [f.resolve() for f in rule_files(builtin_dir())]
    own: list[Path] = []
    for path in paths:
        found = rule_files(path) if path.is_dir() else [path]
        if not found:
            raise RuleFileError(
                f"no rule files in {str(path)!r} (looked for *.yaml and *.yml)."
            )
        own += [f.resolve() for f in found]
    files = builtin + [f for f in dict.fromkeys(own) if f not in builtin]
    rules = [r for f in files for r in load_file(f)]
    check_pack(rules)
    report = {str(f) for f in own} if paths else {str(f) for f in builtin}
    return rules, report


def run_lint(args: argparse.Namespace) -> int:
    """Validates rule files with the built-in pack; prints problems; exit 1 if any.

    A file that cannot be loaded is an error (exit 2), as for `diagnose --rules`.
    """
    from advisor.engine.lint import lint

    rules, report = _load_paths(args.paths)
    problems = [p for p in lint(rules) if p.split(":", 1)[0] in report]
    checked = [r for r in rules if r.file in report]
    for problem in problems:
        print(problem)
    print(f"{len(checked)} rules, {len(problems)} problems")
    return 1 if problems else 0


def run_test(args: argparse.Namespace) -> int:
    """Runs fixture cases; prints failures and rules without cases; exit 1 on failure."""
    from advisor.engine.casefile import case_files, load_cases, run_cases, untested
    from advisor.engine.loader import builtin_dir, load_pack

    rules = load_pack(args.rules)
    cases = [c for f in case_files([builtin_dir(), *args.rules]) for c in load_cases(f)]
    outcomes = run_cases(rules, cases)
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        want = "fire" if o.case.fires else "stay quiet"
        print(
            f"FAIL {o.case.file}:{o.case.line}: {o.case.rule} should {want}; "
            f"fired: {', '.join(o.fired) or 'nothing'}"
        )
    missing = untested(rules, cases)
    for rule_id in missing:
        print(f"MISSING {rule_id}: needs at least one 'fires' and one 'quiet' case")
    print(
        f"{len(outcomes)} cases, {len(failed)} failed, "
        f"{len(missing)} rules without both kinds of case"
    )
    return 1 if failed or missing else 0


def run_explain(args: argparse.Namespace) -> int:
    """Explains one rule against the facts of the inputs."""
    import difflib

    from advisor.defaults import default_inputs
    from advisor.diagnosis import Options, diagnose
    from advisor.engine.explain import check, would_fire
    from advisor.engine.loader import load_pack
    from advisor.errors import UsageError

    rules = {r.rule.id: r.rule for r in load_pack(args.rules)}
    rule = rules.get(args.rule_id) or rules.get(args.rule_id.upper())
    if rule is None:
        close = difflib.get_close_matches(args.rule_id, list(rules), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"no rule {args.rule_id!r}.{hint}", fix="See `advisor rules list`."
        )
    diagnosis = diagnose(
        list(args.paths) or default_inputs(), Options(rules_dirs=args.rules)
    )
    checks = check(rule, diagnosis.facts)
    print(f"{rule.id}: {rule.title}")
    for item in checks:
        mark = "held  " if item.held else "failed"
        print(
            f"  {item.part:6} {mark} {item.condition}: "
            f"observed {item.observed} {item.margin}".rstrip()
        )
    print("=> fires" if would_fire(checks) else "=> does not fire")
    sys.stdout.flush()
    return 0
