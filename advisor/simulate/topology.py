"""Which hosts a simulated instance has and which roles each one runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from advisor.simulate.scenarios.base import Scenario

log = logging.getLogger(__name__)

ROLES = ("rails", "gitaly", "sidekiq", "postgresql")

#: Service names (as in the gitlabsos archive name) per role.
SERVICES = {
    "rails": ("gitlab-workhorse", "nginx", "puma", "redis"),
    "gitaly": ("gitaly",),
    "sidekiq": ("sidekiq",),
    "postgresql": ("postgresql",),
}

#: Per-role (vCPU, GB) on split nodes: the 2k reference architecture (reference-data.md
#: 1.2) with Rails at 8 vCPU / 8 GB, Gitaly and Sidekiq 4 / 15, PostgreSQL 2 / 7.5.
SPLIT_SIZES = {
    "rails": (8, 8.0),
    "gitaly": (4, 15.0),
    "sidekiq": (4, 15.0),
    "postgresql": (2, 7.5),
}


@dataclass(frozen=True, slots=True)
class Host:
    """One node: its hostname, roles and size."""

    name: str
    roles: tuple[str, ...]
    cpus: int
    mem_gb: float

    @property
    def services(self) -> tuple[str, ...]:
        """Returns the sorted service names this node runs."""
        names = {service for role in self.roles for service in SERVICES[role]}
        return tuple(sorted(names))


@dataclass(frozen=True, slots=True)
class Topology:
    """The hosts of one simulated instance."""

    hosts: tuple[Host, ...]
    role_hosts: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    @property
    def rails_nodes(self) -> int:
        """Returns how many hosts run Rails."""
        return sum("rails" in host.roles for host in self.hosts)

    @property
    def sidekiq_nodes(self) -> int:
        """Returns how many hosts run Sidekiq."""
        return sum("sidekiq" in host.roles for host in self.hosts)

    def rails_node(self, index: int) -> int:
        """Returns the Rails node serving the index-th request (least-connection-ish)."""
        return index % self.rails_nodes

    def sidekiq_node(self, index: int) -> int:
        """Returns the Sidekiq node running the index-th job."""
        return index % self.sidekiq_nodes

    def host_of(self, role: str, node: int = 0) -> int:
        """Returns the host index of the node-th host with this role."""
        matches = self.role_hosts[role]
        return matches[node % len(matches)]

    def __post_init__(self) -> None:
        role_hosts = {
            role: tuple(i for i, host in enumerate(self.hosts) if role in host.roles)
            for role in ROLES
        }
        object.__setattr__(self, "role_hosts", role_hosts)


def build_topology(scenario: Scenario, nodes: int) -> Topology:
    """Returns one all-in-one node, or split roles with extra Rails nodes past four."""
    if nodes <= 1:
        return Topology((Host("gitlab", ROLES, scenario.cpus, scenario.mem_gb),))
    layout: list[tuple[str, ...]] = {
        2: [("rails", "sidekiq", "postgresql"), ("gitaly",)],
        3: [("rails",), ("gitaly",), ("sidekiq", "postgresql")],
    }.get(nodes, [("rails",), ("gitaly",), ("sidekiq",), ("postgresql",)])
    layout += [("rails",)] * max(0, nodes - 4)
    hosts = []
    counters: dict[str, int] = {}
    for roles in layout:
        main = roles[0]
        counters[main] = counters.get(main, 0) + 1
        cpus = sum(SPLIT_SIZES[r][0] for r in roles)
        mem = sum(SPLIT_SIZES[r][1] for r in roles)
        hosts.append(Host(f"gitlab-{main}-{counters[main]}", roles, cpus, mem))
    return Topology(tuple(hosts))
