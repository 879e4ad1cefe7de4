"""Facts read from simulated archives match what the scenario configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.facts.collect import collect, find_roots
from advisor.facts.models import Environment

simulate = pytest.importorskip("advisor.simulate")

pytestmark = pytest.mark.slow


def _environment(tmp_path: Path, scenario: str, nodes: int = 1) -> Environment:
    simulate.generate(scenario, tmp_path, hours=0.25, nodes=nodes, seed=3)
    return collect(find_roots(tmp_path))


def test_puma_saturation_single_node(tmp_path: Path) -> None:
    chosen = simulate.SCENARIOS["puma-saturation"]
    (node,) = _environment(tmp_path, "puma-saturation").nodes
    assert node.hardware.vcpus is not None
    assert node.hardware.vcpus.value == chosen.cpus
    assert node.hardware.memory_mb is not None
    assert (
        abs(node.hardware.memory_mb.value / 1024 - chosen.mem_gb) < 0.1 * chosen.mem_gb
    )
    assert node.config.puma_workers is not None
    assert node.config.puma_workers.value == chosen.puma_workers
    assert node.config.puma_workers.source.file == "etc/gitlab/gitlab.rb"
    assert node.software.gitlab_version is not None
    assert node.software.gitlab_version.value == "16.11.1"
    assert node.roles.roles is not None
    assert {"rails", "sidekiq", "gitaly", "postgresql"} <= set(node.roles.roles.value)


def test_slow_storage_puts_git_data_on_nfs(tmp_path: Path) -> None:
    chosen = simulate.SCENARIOS["slow-storage"]
    environment = _environment(tmp_path, "slow-storage", nodes=2)
    gitaly = next(n for n in environment.nodes if n.has_role("gitaly"))
    assert gitaly.storage.git_data is not None
    assert gitaly.storage.git_data.value.fs_type == chosen.storage.fs_type == "nfs4"
    assert gitaly.storage.git_data.value.network
    assert gitaly.strain.iowait_pct is not None


def test_memory_swap_shows_swap_in_use(tmp_path: Path) -> None:
    chosen = simulate.SCENARIOS["memory-swap"]
    (node,) = _environment(tmp_path, "memory-swap").nodes
    assert node.hardware.swap_used_mb is not None
    assert abs(node.hardware.swap_used_mb.value / 1024 - chosen.swap_used_gb) < 0.1
    assert node.strain.swap_out_kb_per_s is not None
    assert node.strain.swap_out_kb_per_s.value > 0


@pytest.mark.parametrize("name", sorted(simulate.SCENARIOS))
def test_every_scenario_reports_what_it_configured(tmp_path: Path, name: str) -> None:
    """Hardware, process counts, storage and swap read back as each scenario set them."""
    chosen = simulate.SCENARIOS[name]
    (node,) = _environment(tmp_path, name).nodes
    hardware, config = node.hardware, node.config
    assert hardware.vcpus is not None and hardware.vcpus.value == chosen.cpus
    assert hardware.memory_mb is not None
    # meminfo's MemTotal is a little under the nominal size, never 10 % under.
    assert 0.9 * chosen.mem_gb <= hardware.memory_mb.value / 1024 <= chosen.mem_gb
    assert config.puma_workers is not None
    assert config.puma_workers.value == chosen.puma_workers
    assert config.puma_threads is not None
    assert config.puma_threads.value == chosen.puma_threads
    assert config.sidekiq_concurrency is not None
    assert config.sidekiq_concurrency.value == chosen.sidekiq_concurrency
    assert node.storage.git_data is not None
    assert node.storage.git_data.value.fs_type == chosen.storage.fs_type
    assert node.storage.git_data.value.network == chosen.storage.fs_type.startswith(
        "nfs"
    )
    used_gb = (hardware.swap_used_mb.value if hardware.swap_used_mb else 0) / 1024
    assert abs(used_gb - chosen.swap_used_gb) < 0.1
