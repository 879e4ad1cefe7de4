"""Shared fixtures: every scenario generated once per test session (15 minutes each)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.simulate import SCENARIOS, generate

HOURS = 0.25
SEED = 5


class Archive:
    """One generated archive with helpers that read its logs directly."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def log(self, name: str) -> Path:
        """Returns the path of a log under var/log/gitlab."""
        return self.root / "var/log/gitlab" / name

    def json(self, name: str) -> list[dict[str, Any]]:
        """Returns every line of a JSON log that parses (partial and noise lines skipped)."""
        out = []
        for line in self.log(name).read_text(encoding="utf-8").splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                out.append(value)
        return out

    def rails(self) -> list[dict[str, Any]]:
        """Returns production and API lines together."""
        return self.json("gitlab-rails/production_json.log") + self.json(
            "gitlab-rails/api_json.log"
        )

    def rpcs(self) -> list[dict[str, Any]]:
        """Returns Gitaly RPC completion lines."""
        return [x for x in self.json("gitaly/current") if "grpc.method" in x]

    def jobs(self) -> list[dict[str, Any]]:
        """Returns Sidekiq done and fail lines."""
        lines = self.json("sidekiq/current")
        return [x for x in lines if x.get("job_status") in ("done", "fail")]

    def text(self, name: str) -> str:
        """Returns a system file's text."""
        return (self.root / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Archive]:
    """Returns a function that generates (once) and returns a scenario's archive."""
    cache: dict[str, Archive] = {}
    base = tmp_path_factory.mktemp("scenarios")

    def get(name: str) -> Archive:
        if name not in cache:
            assert name in SCENARIOS
            (path,) = generate(name, base / name, hours=HOURS, seed=SEED)
            cache[name] = Archive(path)
        return cache[name]

    return get
