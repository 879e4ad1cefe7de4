"""Archive layout, formats, naming and determinism of generate()."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import tarfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor.errors import InputError, UsageError
from advisor.simulate import SCENARIOS, generate
from tests.simulate.conftest import Archive

JSON_LOGS = (
    "gitlab-rails/production_json.log",
    "gitlab-rails/api_json.log",
    "gitlab-rails/exceptions_json.log",
    "gitlab-rails/application_json.log",
    "gitaly/current",
    "sidekiq/current",
    "gitlab-workhorse/current",
    "gitlab-shell/gitlab-shell.log",
)
SYSTEM_FILES = (
    "cpuinfo", "lscpu", "meminfo", "free_m", "df_hT", "mount", "uptime", "vmstat",
    "iostat", "mpstat", "pressure_cpu.txt", "pressure_io.txt", "pressure_mem.txt",
    "ulimit", "gitlab_status", "timedatectl", "opt/gitlab/version-manifest.json",
    "etc/gitlab/gitlab.rb",
)  # fmt: skip
NAME = re.compile(r"^gitlabsos\.[a-z0-9-]+\.\d{14}_[a-z-]+(\.tar\.gz)?$")
SVLOGD = r"\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} "
POSTGRES = re.compile(
    SVLOGD + r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\] LOG:  "
)
NGINX = re.compile(r'^[\d.]+ - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "[A-Z]+ \S+ '
                   r'HTTP/1\.1" \d{3} \d+ "" "[^"]+" (-|[\d.]+)$')  # fmt: skip


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(folder).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def test_same_seed_gives_identical_tar_bytes(tmp_path: Path) -> None:
    first = generate("redis-latency", tmp_path / "a", hours=0.05, seed=7, tar=True)
    second = generate("redis-latency", tmp_path / "b", hours=0.05, seed=7, tar=True)
    assert first[0].read_bytes() == second[0].read_bytes()
    with gzip.open(first[0]) as stream:
        assert stream.read(1)
    assert first[0].read_bytes()[4:8] == b"\0\0\0\0"  # gzip header mtime 0
    with tarfile.open(first[0]) as tar:
        names = tar.getnames()
        assert names == sorted(names)
        assert {m.mtime for m in tar.getmembers()} == {1_700_000_000}


def test_different_seed_differs(tmp_path: Path) -> None:
    (one,) = generate("healthy", tmp_path / "a", hours=0.05, seed=1)
    (two,) = generate("healthy", tmp_path / "b", hours=0.05, seed=2)
    (again,) = generate("healthy", tmp_path / "c", hours=0.05, seed=1)
    assert digest(one) != digest(two)
    assert digest(one) == digest(again)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_writes_valid_files(
    name: str, archives: Callable[[str], Archive]
) -> None:
    archive = archives(name)
    assert NAME.match(archive.root.name)
    for log in JSON_LOGS:
        lines = archive.log(log).read_text(encoding="utf-8").splitlines()
        bad = [line for line in lines[1:] if not _is_json(line)]
        # Only the cut first line and a few child-process lines are not JSON.
        assert len(bad) <= 3, (log, bad[:3])
    for line in archive.log("postgresql/current").read_text().splitlines()[1:]:
        assert POSTGRES.match(line), line
    for line in archive.log("nginx/gitlab_access.log").read_text().splitlines()[1:]:
        assert NGINX.match(line), line
    for system_file in SYSTEM_FILES:
        assert (archive.root / system_file).stat().st_size > 0, system_file
    json.loads(archive.text("opt/gitlab/version-manifest.json"))


def _is_json(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def test_correlation_id_joins_workhorse_rails_gitaly_and_sidekiq(
    archives: Callable[[str], Archive],
) -> None:
    archive = archives("healthy")
    rails = {x["correlation_id"] for x in archive.rails()}
    workhorse = {x["correlation_id"] for x in archive.json("gitlab-workhorse/current")}
    gitaly = {x["correlation_id"] for x in archive.rpcs()}
    sidekiq = {x["correlation_id"] for x in archive.jobs()}
    assert len(rails & workhorse) > 0.95 * len(rails)
    assert len(rails & gitaly) > 100
    assert len(rails & sidekiq) > 50


def test_component_times_fit_in_duration(archives: Callable[[str], Archive]) -> None:
    for line in archives("db-missing-statistics").rails():
        parts = line["db_duration_s"] + line.get("gitaly_duration_s", 0)
        parts += line.get("redis_duration_s", 0)
        if "controller" in line:
            parts += line["view_duration_s"]
        assert parts <= line["duration_s"] + 1e-9
        assert line["cpu_s"] <= line["duration_s"] + line["queue_duration_s"]


def test_multi_node_writes_one_archive_per_role(tmp_path: Path) -> None:
    paths = generate("healthy", tmp_path, hours=0.05, nodes=4)
    names = [p.name.split(".")[1] for p in paths]
    assert names == ["gitlab-rails-1", "gitlab-gitaly-1", "gitlab-sidekiq-1",
                     "gitlab-postgresql-1"]  # fmt: skip
    rails, gitaly, sidekiq, postgres = paths
    assert (rails / "var/log/gitlab/gitlab-rails/production_json.log").exists()
    assert not (rails / "var/log/gitlab/gitaly/current").exists()
    assert (gitaly / "var/log/gitlab/gitaly/current").exists()
    assert (sidekiq / "var/log/gitlab/sidekiq/current").exists()
    assert (postgres / "var/log/gitlab/postgresql/current").exists()
    assert "_gitaly" in gitaly.name


def test_start_sets_the_window(tmp_path: Path) -> None:
    start = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    (path,) = generate("healthy", tmp_path, hours=0.1, start=start)
    assert ".20240102031000_" in path.name


def test_bad_input_raises_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Did you mean 'healthy'"):
        generate("helthy", tmp_path)
    with pytest.raises(UsageError, match="--hours"):
        generate("healthy", tmp_path, hours=0)
    with pytest.raises(UsageError, match="--nodes"):
        generate("healthy", tmp_path, nodes=0)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError):
        generate("healthy", blocker)
