"""The wheel built from the repository works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("gitlab_perf_advisor-*.whl")
    return built


def test_wheel_carries_packs_and_runs_outside_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "clean"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Third-party dependencies come from the test environment's site-packages; the
    # advisor itself only from the wheel (the checkout's editable hook is a .pth file,
    # which PYTHONPATH entries do not run).
    environment = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    probe = (
        "import advisor, advisor.resources as r; "
        "print(advisor.__file__); print(sorted(p.name for p in r.pack_dir('rules').iterdir())); "
        "print(sorted(p.name for p in r.pack_dir('baselines').iterdir()))"
    )
    result = subprocess.run(
        [str(python), "-c", probe],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    location, rules, baselines = result.stdout.splitlines()
    assert location.startswith(str(env_dir))
    assert rules == repr(sorted(p.name for p in (REPO / "rules").iterdir()))
    assert baselines == repr(sorted(p.name for p in (REPO / "baselines").iterdir()))
    sample = tmp_path / "current"
    sample.write_text(
        '{"time":"2024-05-01T12:00:00Z","grpc.method":"FindCommit","grpc.code":"OK",'
        '"grpc.time_ms":4.5}\n'
    )
    run = subprocess.run(
        [str(env_dir / "bin" / "advisor"), "stats", str(sample), "--format", "csv"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1].startswith("gitaly,,FindCommit,1,")
