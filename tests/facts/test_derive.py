"""Tests for derived facts, each checked against values worked out by hand."""

from __future__ import annotations

import pytest

from advisor.facts.collect import collect, find_roots
from advisor.facts.derive import db_connection_demand, expected_puma_workers
from advisor.facts.models import Node, Source, fact
from advisor.facts.user_file import parse as parse_user

from .sources.helpers import CLUSTER, SINGLE


def _node(vcpus: int, memory_mb: int) -> Node:
    node = Node(name="n", name_source=Source(file="folder name"), root="/")
    node.hardware.vcpus = fact(vcpus, "lscpu", 3)
    node.hardware.memory_mb = fact(memory_mb, "meminfo", 1)
    return node


def test_puma_workers_follow_the_documented_reference_points() -> None:
    # reference-data.md 3.1: 2/8 -> 2, 4/4 -> 2, 4/8 -> 4, 8/8 -> 6, 8/16 -> 8
    # (memory as MemTotal reports it, a little below the nominal size).
    cases = [(2, 7800, 2), (4, 3900, 2), (4, 7800, 4), (8, 7800, 6), (8, 15707, 8)]
    for vcpus, memory, expected in cases:
        result = expected_puma_workers(_node(vcpus, memory))
        assert result is not None and result.value == expected, (vcpus, memory)


def test_single_node_derived_facts() -> None:
    environment = collect([SINGLE])
    node = environment.nodes[0]
    # 9.6 / 8 = 1.2; workers 4 × (4 + 10) = 56, Sidekiq 2 × (25 + 11) = 72,
    # doubled for main and ci on 17.8: 256.
    assert node.derived.load_per_vcpu is not None
    assert node.derived.load_per_vcpu.value == 1.2
    assert node.derived.expected_puma_workers is not None
    assert node.derived.expected_puma_workers.value == 8
    assert node.derived.db_connection_demand is not None
    assert node.derived.db_connection_demand.value == 256
    derived = environment.derived
    assert derived.max_connections is not None and derived.max_connections.value == 200
    assert derived.hardware_architecture is not None
    assert derived.hardware_architecture.value == "1k"
    assert derived.colocation["redis"].value == [
        "gitaly",
        "postgresql",
        "rails",
        "sidekiq",
    ]


def test_cluster_derived_facts() -> None:
    environment = collect(find_roots(CLUSTER))
    rails = environment.node("rails-1")
    assert rails is not None
    # Automatic workers on 16 vCPU / 31830 MiB: min(16, floor(31.08 - 1.5)) = 16;
    # demand 2 × (16 × 14 + 1 × 31) = 510 against max_connections 500 on db-1.
    assert rails.config.puma_workers is not None
    assert rails.config.puma_workers.value == 16
    assert rails.config.puma_workers.note is not None
    assert "automatic" in rails.config.puma_workers.note
    derived = environment.derived
    assert derived.db_connection_demand is not None
    assert derived.db_connection_demand.value == 510
    assert derived.max_connections is not None
    assert derived.max_connections.source.cite() == "db-1:etc/gitlab/gitlab.rb:3"
    # Rails 16 vCPU meets 2k (2 × 8) but not 3k (3 × 8); the smallest role wins.
    assert derived.hardware_architecture is not None
    assert derived.hardware_architecture.value == "2k"
    assert derived.colocation["gitaly"].value == []
    assert derived.colocation["redis"].value == ["postgresql"]


def test_users_and_log_peaks_give_architectures() -> None:
    user = parse_user("users: 3000\n")
    peaks = {"api": 75.0, "web": 5.0, "git_pull": 8.0, "git_push": 1.0}
    environment = collect(find_roots(CLUSTER), user, peaks)
    derived = environment.derived
    assert derived.users_architecture is not None
    assert derived.users_architecture.value == "3k"
    assert derived.target_rps["api"].value == 60.0
    assert derived.target_rps["git_push"].value == 1.2
    # 75 API RPS is above 3k's 60 × 1.15 = 69 (and its noise: 70.8), within 5k's 100.
    assert derived.load_architecture is not None
    assert derived.load_architecture.value == "5k"


def test_a_steady_load_at_the_target_fits_despite_busy_minutes() -> None:
    from advisor.facts.architecture import size_for_load, steady_p95

    # Poisson arrivals at 1/s: 60 a minute on average, 95th percentile 73.
    assert steady_p95(1.0) == pytest.approx(73 / 60)
    # 1k web target 2 × 1.15 = 2.3/s: 138 a minute, 95th percentile 158 (2.63/s).
    assert steady_p95(2.3) == pytest.approx(158 / 60)
    # The healthy 1k simulation's busiest minutes (2.42 web, 2.44 pull) fit 1k.
    assert size_for_load({"web": 2.42, "git_pull": 2.44, "api": 21.0}) == "1k"
    assert size_for_load({"web": 2.7}) == "2k"


def test_without_log_peaks_the_load_architecture_is_unknown() -> None:
    environment = collect([SINGLE])
    assert environment.derived.load_architecture is None
    assert environment.derived.peak_rps == {}


def test_legacy_version_uses_one_database() -> None:
    environment = collect([SINGLE])
    node = environment.nodes[0]
    assert node.software.gitlab_version is not None
    node.software.gitlab_version.value = "15.11.0"
    demand = db_connection_demand(node)
    assert demand is not None and demand.value == 128


def test_a_node_the_inputs_do_not_have_is_an_error() -> None:
    from advisor.facts.errors import FactsError

    user = parse_user("nodes:\n  no-such-node:\n    roles: [rails]\n", "f.yaml")
    with pytest.raises(FactsError) as caught:
        collect(find_roots(CLUSTER), user)
    text = str(caught.value)
    assert text.startswith("f.yaml:2: nodes.no-such-node: no node of that name")
    assert "The inputs' nodes are: " in text
