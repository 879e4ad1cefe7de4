"""The `advisor checklist` command: remediation progress, exported for a ticket."""

from __future__ import annotations

import argparse
import logging
import sys

from advisor.errors import UsageError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `checklist export` and `checklist list`."""
    parser = subparsers.add_parser(
        "checklist",
        help="export or list the remediation checklists ticked in the app",
        description=(
            "Checklists are kept per environment in checklists.sqlite in the "
            "advisor's data folder ($ADVISOR_DATA_DIR overrides)."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write an environment's checklist with its state",
        description=(
            "Writes the checklist of the environment the PATHs belong to (diagnosing "
            "them to know every step), or of a stored environment given by --env."
        ),
    )
    export.add_argument(
        "paths", nargs="*", metavar="PATH", help="archive, folder or log file"
    )
    export.add_argument("--env", metavar="ENV", help="stored environment key or name")
    export.add_argument("--format", choices=("md",), default="md", dest="fmt")
    export.set_defaults(func=run_export)
    listing = actions.add_parser("list", help="stored environments and progress")
    listing.set_defaults(func=run_list)


def run_export(args: argparse.Namespace) -> int:
    """Prints the checklist as Markdown task lists."""
    from advisor.store.checklist import ChecklistStore, render_markdown

    if args.env and args.paths:
        raise UsageError("checklist export takes PATH... or --env ENV, not both.")
    store = ChecklistStore()
    order: list[str] = []
    if args.env:
        key = store.find_env(args.env)
        name = next(n for k, n, _, _ in store.environments() if k == key)
    else:
        from advisor.defaults import default_inputs
        from advisor.diagnosis import diagnose
        from advisor.store.checklist import environment_of

        diagnosis = diagnose(list(args.paths) or default_inputs())
        key, name = environment_of(diagnosis)
        store.register((key, name), diagnosis.findings)
        order = [finding.id for finding in diagnosis.findings]
    sys.stdout.write(render_markdown(name, store.states(key), order))
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Prints each stored environment with its steps done."""
    from advisor.store.checklist import ChecklistStore

    rows = ChecklistStore().environments()
    if not rows:
        print("No checklist stored yet; tick a step in 'advisor tui' first.")
    for key, name, done, total in rows:
        print(f"{name}  {done}/{total} steps done  ({key})")
    return 0
