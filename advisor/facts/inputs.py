"""Turns command-line paths (archives or folders) into one Environment."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from advisor.facts import user_file
from advisor.facts.collect import collect, find_roots
from advisor.facts.models import Environment
from advisor.ingest.sources import Root, open_roots

log = logging.getLogger(__name__)


def environment_from(
    paths: Sequence[Path],
    facts_file: Path | None = None,
    peak_rps: Mapping[str, float] | None = None,
) -> Environment:
    """Collects facts from archives or folders, plus an optional facts.yaml."""
    user = user_file.load(facts_file) if facts_file is not None else None
    with open_roots([str(path) for path in paths]) as opened:
        return collect(node_roots(opened), user, peak_rps)


def node_roots(opened: Sequence[Root]) -> list[tuple[Path, str | None]]:
    """Returns `(folder, node name)` per node found under the opened inputs."""
    roots: list[tuple[Path, str | None]] = []
    for item in opened:
        found = find_roots(Path(item.path)) or [Path(item.path)]
        single = len(found) == 1
        roots.extend((root, item.node if single else None) for root in found)
    return roots
