"""The bundled default archive is generated once into the cache and reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.simulate import default_archive
from advisor.simulate.cache import CACHE_VERSION


def test_default_archive_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    first = default_archive()
    assert first.is_dir() and first.name.startswith("gitlabsos.gitlab.")
    assert (first / "var/log/gitlab/gitaly/current").stat().st_size > 0
    stamp = (first / "lscpu").stat().st_mtime_ns
    assert default_archive() == first
    assert (first / "lscpu").stat().st_mtime_ns == stamp
    (tmp_path / f"default-v{CACHE_VERSION}" / "complete").unlink()
    assert default_archive() == first
