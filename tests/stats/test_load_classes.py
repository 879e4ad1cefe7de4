"""Peak rates per load class, counted as GitLab's sizing guide counts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.ingest.load import load
from advisor.ingest.sources import open_inputs
from advisor.stats.load_classes import peak_rps
from tests.conftest import write_lines


def rails(second: int, controller: str, action: str) -> dict[str, object]:
    return {
        "time": f"2024-05-01T12:{second // 60:02d}:{second % 60:02d}Z",
        "controller": controller,
        "action": action,
        "duration_s": 0.1,
    }


def test_peaks_per_class(tmp_path: Path) -> None:
    web = [
        rails(s, "ProjectsController", "show") for s in range(0, 120, 2)
    ]  # 30 a minute
    web += [rails(s, "HealthController", "readiness") for s in range(60)]  # excluded
    pulls = [
        rails(s, "Repositories::GitHttpController", "git_upload_pack") for s in (1, 2)
    ]
    pushes = [rails(70, "Repositories::GitHttpController", "git_receive_pack")]
    api = [
        {
            "time": "2024-05-01T12:00:30Z",
            "route": "/api/:version/projects",
            "duration_s": 1,
        },
        {
            "time": "2024-05-01T12:00:31Z",
            "route": "/api/:version/internal/allowed",
            "duration_s": 1,
        },
    ]
    gitaly = [
        {
            "time": f"2024-05-01T12:00:{s:02d}Z",
            "grpc.method": method,
            "grpc.code": "OK",
            "grpc.time_ms": 5,
        }
        for s, method in ((3, "SSHUploadPackWithSidechannel"), (4, "SSHReceivePack"))
    ]
    paths = [
        write_lines(tmp_path / "production_json.log", web + pulls + pushes),
        write_lines(tmp_path / "api_json.log", api),
        write_lines(tmp_path / "gitaly.log", gitaly),
    ]
    with open_inputs([str(p) for p in paths]) as inputs:
        peaks = peak_rps(load(inputs, detail=False))
    # Web: 30 ProjectsController requests in each minute -> 0.5/s; health checks left out.
    # Git pull: 2 HTTP + 1 SSH in minute 12:00 -> 3/60. Push: 1 in each minute -> 1/60.
    # API: the internal route is left out -> 1/60.
    assert peaks == {
        "api": pytest.approx(1 / 60),
        "web": pytest.approx(0.5),
        "git_pull": pytest.approx(3 / 60),
        "git_push": pytest.approx(1 / 60),
    }


def test_classes_without_logs_are_absent(tmp_path: Path) -> None:
    log = write_lines(
        tmp_path / "api_json.log",
        [
            {
                "time": "2024-05-01T12:00:30Z",
                "route": "/api/:version/projects",
                "duration_s": 1,
            }
        ],
    )
    with open_inputs([str(log)]) as inputs:
        assert peak_rps(load(inputs, detail=False)) == {"api": pytest.approx(1 / 60)}


def test_sustained_peak_ignores_one_busy_minute(tmp_path: Path) -> None:
    # 19 minutes with one request and one minute with ten.
    lines = [rails(60 * minute, "ProjectsController", "show") for minute in range(19)]
    lines += [rails(60 * 19 + s, "ProjectsController", "show") for s in range(10)]
    log = write_lines(tmp_path / "production_json.log", lines)
    with open_inputs([str(log)]) as inputs:
        dataset = load(inputs, detail=False)
        absolute = peak_rps(dataset, sustained=False)["web"]
        sustained = peak_rps(dataset)["web"]
    assert absolute == pytest.approx(10 / 60)
    # Sorted counts: nineteen 1s then 10; rank 19 x 0.95 = 18.05 -> 1 + 0.05 x 9.
    assert sustained == pytest.approx(1.45 / 60)
