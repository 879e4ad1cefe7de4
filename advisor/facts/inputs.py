"""Turns command-line paths (archives or folders) into one Environment."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from advisor.facts import user_file
from advisor.facts.collect import ROOT_MARKERS, collect, find_roots
from advisor.facts.errors import FactsError
from advisor.facts.models import Environment

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar")


def environment_from(
    paths: Sequence[Path],
    facts_file: Path | None = None,
    peak_rps: Mapping[str, float] | None = None,
) -> Environment:
    """Collects facts from archives or folders, plus an optional facts.yaml."""
    user = user_file.load(facts_file) if facts_file is not None else None
    with node_roots(paths) as roots:
        return collect(roots, user, peak_rps)


@contextmanager
def node_roots(paths: Sequence[Path]) -> Iterator[list[tuple[Path, str | None]]]:
    """Yields `(folder, node name)` per node; archives are unpacked by the ingest layer."""
    sources = _ingest_sources()
    if sources is None:
        yield [root for path in paths for root in _folder_roots(path)]
        return
    with sources.open_roots([str(path) for path in paths]) as opened:
        roots: list[tuple[Path, str | None]] = []
        for item in opened:
            found = find_roots(Path(item.path)) or [Path(item.path)]
            single = len(found) == 1
            roots.extend((root, item.node if single else None) for root in found)
        yield roots


def _folder_roots(path: Path) -> list[tuple[Path, str | None]]:
    """Finds archive roots in a folder; explains why an archive file cannot be read."""
    if path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
        raise FactsError(
            f"Cannot unpack {str(path)!r}: archive support (advisor.ingest.sources) "
            "is not installed yet.",
            fix=f"Unpack it with `tar -xf {path.name}` and pass the folder.",
        )
    if not path.is_dir():
        raise FactsError(f"{str(path)!r} is neither a folder nor a gitlabsos archive.")
    roots = find_roots(path)
    if not roots:
        raise FactsError(
            f"No gitlabsos archive root found in {str(path)!r}.",
            fix=f"Pass a folder holding one of: {', '.join(ROOT_MARKERS)}.",
        )
    return [(root, None) for root in roots]


def _ingest_sources() -> ModuleType | None:
    """Returns `advisor.ingest.sources` if it exists and offers `open_roots`."""
    try:
        module = importlib.import_module("advisor.ingest.sources")
    except ImportError:
        return None
    return module if hasattr(module, "open_roots") else None
