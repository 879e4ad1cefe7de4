"""A packed archive is known by its external_url host, like an unpacked one."""

from __future__ import annotations

import tarfile
from pathlib import Path

from advisor.diagnosis import Options, diagnose
from advisor.store.adapter import run_record

SINGLE = next(
    (Path(__file__).resolve().parents[1] / "facts" / "data" / "single").iterdir()
)


def test_packed_and_unpacked_archives_share_an_identity(tmp_path: Path) -> None:
    packed = tmp_path / f"{SINGLE.name}.tar.gz"
    with tarfile.open(packed, "w:gz") as tar:
        tar.add(SINGLE, arcname=SINGLE.name)
    options = Options(baseline=None)
    unpacked_run = run_record(diagnose([str(SINGLE)], options))
    packed_run = run_record(diagnose([str(packed)], options))
    assert unpacked_run.instance == packed_run.instance == "gitlab.example.com"
    assert unpacked_run.env_key == packed_run.env_key == "instance:gitlab.example.com"
