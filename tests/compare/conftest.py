"""Simulated archives and their datasets, generated once per test session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from advisor.compare.baseline import Provenance, RecordedBaseline
from advisor.compare.observe import observe
from advisor.ingest.load import load
from advisor.ingest.sources import open_inputs
from advisor.simulate import generate

HOURS = 0.25


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Returns a function that generates (once) a scenario's archive for a seed."""
    cache: dict[tuple[str, int], Path] = {}
    base = tmp_path_factory.mktemp("compare-scenarios")

    def get(name: str, seed: int = 1) -> Path:
        if (name, seed) not in cache:
            (path,) = generate(name, base / f"{name}-{seed}", hours=HOURS, seed=seed)
            cache[name, seed] = path
        return cache[name, seed]

    return get


@pytest.fixture(scope="session")
def dataset(archive: Callable[..., Path]) -> Iterator[Callable[..., Any]]:
    """Returns a function that loads (once) a scenario's archive into a Dataset."""
    cache: dict[tuple[str, int], Any] = {}
    with ExitStack() as stack:

        def get(name: str, seed: int = 1) -> Any:
            if (name, seed) not in cache:
                inputs = stack.enter_context(open_inputs([str(archive(name, seed))]))
                cache[name, seed] = load(inputs, None, None, False)
            return cache[name, seed]

        yield get


def recorded(data: Any, name: str = "healthy") -> RecordedBaseline:
    """A recorded baseline of a dataset, as ``advisor baseline create`` makes it."""
    return RecordedBaseline(
        type="recorded",
        name=name,
        provenance=Provenance(
            sources=["test"],
            date="2024-05-07",  # type: ignore[arg-type]
            gitlab_version="simulated",
            environment="simulated healthy 1k node",
        ),
        keys=observe(data),
    )


@pytest.fixture(scope="session")
def healthy_baseline(dataset: Callable[..., Any]) -> RecordedBaseline:
    """The baseline recorded from the healthy scenario, seed 1."""
    return recorded(dataset("healthy", 1))
