"""The large-log writers: valid lines, increasing time, useful speed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.simulate import write_gitaly_log, write_production_log, write_sidekiq_log


@pytest.mark.parametrize(
    "writer", [write_production_log, write_gitaly_log, write_sidekiq_log]
)
def test_bulk_writer_streams_valid_json(
    writer: Callable[[Path, int, int], Path], tmp_path: Path
) -> None:
    began = time.perf_counter()
    path = writer(tmp_path / "big.log", 30_000_000, 3)
    elapsed = time.perf_counter() - began
    size = path.stat().st_size
    assert 30_000_000 <= size < 31_000_000
    lines = path.read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(line) for line in lines]
    times = [line["time"] for line in parsed]
    assert times == sorted(times)
    ids = [line["correlation_id"] for line in parsed if "correlation_id" in line]
    assert len(set(ids)) > 0.9 * len(ids)
    # Generous floor for slow CI machines; about 150-200 MB/s on a laptop core.
    assert size / elapsed > 15_000_000


def test_bulk_writer_is_deterministic(tmp_path: Path) -> None:
    one = write_production_log(tmp_path / "a.log", 2_000_000, 9)
    two = write_production_log(tmp_path / "b.log", 2_000_000, 9)
    assert one.read_bytes() == two.read_bytes()
