"""The ``advisor baseline`` command: create, list and show baselines."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack
from datetime import UTC, datetime

from advisor.commands import common

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``baseline create``, ``baseline list`` and ``baseline show``."""
    parser = subparsers.add_parser(
        "baseline",
        help="record an environment's statistics as a baseline; list and show them",
        description="Baselines to compare with: built-in ones (GitLab targets, "
        "reference architectures, published GPT runs) and recorded ones.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="record the inputs as a baseline")
    common.add_inputs(create, required=True)
    create.add_argument("--name", required=True, help="name to store it under")
    create.add_argument("--description", default="", help="one line about it")
    create.add_argument("--gitlab-version", default="unknown", help="GitLab version")
    create.add_argument(
        "--force", action="store_true", help="replace a baseline of the same name"
    )
    create.set_defaults(func=run_create)
    listing = actions.add_parser("list", help="one line per baseline")
    listing.set_defaults(func=run_list)
    show = actions.add_parser("show", help="print one baseline")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(func=run_show)


def run_create(args: argparse.Namespace) -> int:
    """Records the inputs' per-key statistics into the data folder."""
    from advisor.compare.baseline import (
        Provenance,
        RecordedBaseline,
        check_name,
        save,
    )
    from advisor.compare.observe import observe

    check_name(args.name)
    with ExitStack() as stack:
        dataset = common.load_dataset(args.paths, stack, detail=False)
        records = observe(dataset, common.window(args))
        nodes = ", ".join(dataset.nodes) or "unknown nodes"
    baseline = RecordedBaseline(
        type="recorded",
        name=args.name,
        description=args.description or f"recorded from {', '.join(args.paths)}",
        provenance=Provenance(
            sources=list(args.paths),
            date=datetime.now(UTC).date(),
            gitlab_version=args.gitlab_version,
            environment=f"recorded by advisor baseline create from {nodes}",
        ),
        keys=records,
    )
    path = save(baseline, replace=args.force)
    print(f"baseline {args.name!r}: {len(records)} keys written to {path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Prints one line per built-in and recorded baseline."""
    from advisor.compare.baseline import BaselineError, available, find, read, summary

    for name in available():
        try:
            print(summary(name, read(find(name))))
        except BaselineError as error:
            print(f"{name}  [unreadable] {error}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Prints a baseline's provenance and contents."""
    from advisor.compare.baseline import load_baseline, summary

    baseline = load_baseline(args.name)
    print(summary(args.name, baseline))
    provenance = baseline.provenance
    print(f"sources: {', '.join(provenance.sources)}")
    print(f"GitLab {provenance.gitlab_version}; {provenance.environment}")
    if provenance.notes:
        print(provenance.notes)
    print()
    import yaml

    body = baseline.model_dump(mode="json", exclude={"provenance"})
    if baseline.type == "recorded":
        for key in body["keys"]:
            key.pop("sketch")
    yaml.safe_dump(body, sys.stdout, sort_keys=False, width=88)
    return 0
