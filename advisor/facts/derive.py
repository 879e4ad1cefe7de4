"""Facts computed once from the others; each formula cites reference-data.md."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from advisor.facts import architecture as ra
from advisor.facts.models import Environment, Fact, Node, Source, default, derived
from advisor.facts.user_file import UserFacts

log = logging.getLogger(__name__)

#: Database connections each Puma thread pool and Sidekiq process keeps besides its
#: threads (`DB_POOL_HEADROOM`), reference-data.md section 3.3.
POOL_HEADROOM = 10

#: Linux package default for `postgresql['max_connections']` when gitlab.rb is silent.
DEFAULT_MAX_CONNECTIONS = 400

#: Roles that share a node with a component without competing for it much.
QUIET_ROLES = frozenset({"nginx", "monitoring", "consul", "registry"})


def derive(
    environment: Environment,
    user: UserFacts | None = None,
    peak_rps: Mapping[str, float] | None = None,
) -> None:
    """Fills every derived fact of the environment and its nodes in place."""
    for node in environment.nodes:
        node.derived.load_per_vcpu = load_per_vcpu(node)
        node.derived.expected_puma_workers = expected_puma_workers(node)
        _fill_automatic_puma(node)
        node.derived.db_connection_demand = db_connection_demand(node)
    result = environment.derived
    result.db_connection_demand = _total_demand(environment)
    result.max_connections = max_connections(environment)
    result.hardware_architecture = hardware_architecture(environment)
    if user is not None and user.users:
        result.users_architecture = _users_architecture(user)
        result.target_rps = target_rps(user)
    if peak_rps:
        result.peak_rps = {
            kind: Fact[float](value=float(value), source=Source(file="logs"))
            for kind, value in peak_rps.items()
            if kind in ra.RPS_PER_1000_USERS
        }
        result.load_architecture = load_architecture(result.peak_rps)
    result.colocation = colocation(environment)


def load_per_vcpu(node: Node) -> Fact[float] | None:
    """Load per vCPU = 1-minute load average / vCPUs (above 1 means a run queue)."""
    load, vcpus = node.strain.load_1m, node.hardware.vcpus
    if load is None or vcpus is None or vcpus.value <= 0:
        return None
    value = round(load.value / vcpus.value, 2)
    return derived(value, "load_1m / vcpus", [load, vcpus])


def expected_puma_workers(node: Node) -> Fact[int] | None:
    """Expected workers = max(2, min(vCPUs, floor(RAM GiB - 1.5))).

    Puma's automatic count: one worker per CPU, but no more than (RAM - 1.5 GB) at
    about 1 GB per worker, never below 2 (reference-data.md section 3.1; e.g. 8 CPU /
    16 GB -> 8, 8 CPU / 8 GB -> 6, 4 CPU / 4 GB -> 2).
    """
    vcpus, memory = node.hardware.vcpus, node.hardware.memory_mb
    if vcpus is None or memory is None or not _may_run(node, "rails"):
        return None
    by_memory = math.floor(memory.value / 1024 - 1.5)
    value = max(2, min(vcpus.value, by_memory))
    note = "max(2, min(vcpus, floor(memory_gb - 1.5)))"
    return derived(value, note, [vcpus, memory])


def db_connection_demand(node: Node) -> Fact[int] | None:
    """Demand = databases × (Puma workers × (threads + 10) + Sidekiq procs × (conc. + 11)).

    Databases is 2 (`main` and `ci`) from GitLab 16.0, else 1 (reference-data.md
    section 3.3; 1k single node: 2 × (8 × 14 + 1 × 31) = 286).
    """
    config, parts, basis = node.config, 0, []
    if node.has_role("rails") and config.puma_workers and config.puma_threads:
        parts += config.puma_workers.value * (config.puma_threads.value + POOL_HEADROOM)
        basis += [config.puma_workers, config.puma_threads]
    if (
        node.has_role("sidekiq")
        and config.sidekiq_processes
        and config.sidekiq_concurrency
    ):
        per_process = config.sidekiq_concurrency.value + 1 + POOL_HEADROOM
        parts += config.sidekiq_processes.value * per_process
        basis += [config.sidekiq_processes, config.sidekiq_concurrency]
    if not basis:
        return None
    databases = _databases(node)
    note = f"{databases} × (workers × (threads + 10) + processes × (concurrency + 11))"
    return derived(databases * parts, note, [*basis, node.software.gitlab_version])


def max_connections(environment: Environment) -> Fact[int] | None:
    """PostgreSQL `max_connections` from gitlab.rb, or the default if bundled and unset."""
    for node in environment.nodes:
        setting = node.config.postgresql.get("max_connections")
        if setting is not None and isinstance(setting.value, int):
            return Fact[int](
                value=setting.value, source=setting.source, note=setting.note
            )
    if any(node.has_role("postgresql") for node in environment.nodes):
        return default(
            DEFAULT_MAX_CONNECTIONS, "Linux package default; gitlab.rb is silent"
        )
    return None


def hardware_architecture(environment: Environment) -> Fact[str] | None:
    """The largest reference architecture every role's hardware meets.

    One node: the 1k single node needs 8 vCPU / 16 GB. Several nodes: Rails and
    Sidekiq compare their summed vCPUs (nodes × vCPU of the size), Gitaly and
    PostgreSQL their largest node, each against reference-data.md section 1.2; memory
    must reach 90 % of the size's per-node figure. The smallest match wins.
    """
    nodes = [n for n in environment.nodes if n.hardware.vcpus and n.hardware.memory_mb]
    if not nodes:
        return None
    if len(environment.nodes) == 1:
        return _single_node_size(nodes[0])
    sizes = {}
    for role in ra.ROLE_SPECS:
        holders = [n for n in nodes if n.has_role(role)]
        if holders:
            sizes[role] = _role_size(role, holders)
    if not sizes:
        return None
    result = min(sizes.values(), key=("below 1k", *ra.SIZES).index)
    note = ", ".join(f"{role} {size}" for role, size in sizes.items())
    if result == "below 1k" and _together_meet_single_node(nodes):
        # Below every split architecture, but as much as the 1k node, shared out.
        result, note = "1k", f"{note}; together at least the 1k single node"
    return derived(result, note, [fact for n in nodes for fact in _hardware_basis(n)])


def _together_meet_single_node(nodes: list[Node]) -> bool:
    """Whether the nodes' vCPUs and memory add up to the 1k single node."""
    vcpus = sum(n.hardware.vcpus.value for n in nodes if n.hardware.vcpus)
    memory_gb = sum(
        n.hardware.memory_mb.value / 1024 for n in nodes if n.hardware.memory_mb
    )
    need = ra.SINGLE_NODE
    return vcpus >= need.vcpus and memory_gb >= need.memory_gb * ra.MEMORY_TOLERANCE


def target_rps(user: UserFacts) -> dict[str, Fact[float]]:
    """Target peak RPS per class = users / 1000 × (API 20, web 2, pull 2, push 0.4)."""
    users = user.users or 0
    source = Source(file=user.source, line=user.line_of("users"))
    return {
        kind: Fact[float](
            value=round(users / 1000 * rate, 2),
            source=Source(file="derived"),
            note=f"users / 1000 × {rate}",
            basis=[source],
        )
        for kind, rate in ra.RPS_PER_1000_USERS.items()
    }


def load_architecture(peaks: dict[str, Fact[float]]) -> Fact[str]:
    """The smallest size whose RPS targets, plus 15 % headroom, cover every peak."""
    values = {kind: peak.value for kind, peak in peaks.items()}
    size = ra.size_for_load(values)
    return derived(
        size,
        "smallest size with peak <= target × 1.15 (with Poisson minute noise)",
        list(peaks.values()),
    )


def colocation(environment: Environment) -> dict[str, Fact[list[str]]]:
    """For Redis, PostgreSQL and Gitaly: the busy roles sharing their nodes."""
    found: dict[str, Fact[list[str]]] = {}
    for component in ("redis", "postgresql", "gitaly"):
        holders = [n for n in environment.nodes if n.has_role(component)]
        if holders:
            others = {r for n in holders for r in _roles(n)} - {component} - QUIET_ROLES
            basis: list[Fact[Any] | None] = [n.roles.roles for n in holders]
            names = ", ".join(n.name for n in holders)
            found[component] = derived(sorted(others), f"other roles on {names}", basis)
        elif (external := _external(environment, component)) is not None:
            note = f"runs outside the archived nodes, at {external.value}"
            found[component] = derived([], note, [external])
    return found


def _fill_automatic_puma(node: Node) -> None:
    """Records the automatic worker count when gitlab.rb was read but leaves it unset."""
    config, expected = node.config, node.derived.expected_puma_workers
    if config.puma_workers is None and config.puma_threads and expected:
        if node.has_role("rails"):
            note = "automatic: puma['worker_processes'] is not set in gitlab.rb"
            config.puma_workers = derived(expected.value, note, [expected])


def _total_demand(environment: Environment) -> Fact[int] | None:
    """Sums the nodes' connection demand."""
    demands = [n.derived.db_connection_demand for n in environment.nodes]
    known = [d for d in demands if d is not None]
    if not known:
        return None
    total = sum(d.value for d in known)
    parts = [
        f"{n.name} {n.derived.db_connection_demand.value}"
        for n in environment.nodes
        if n.derived.db_connection_demand is not None
    ]
    return derived(total, "sum over nodes: " + ", ".join(parts), [])


def _users_architecture(user: UserFacts) -> Fact[str]:
    """The size named for the user count in facts.yaml."""
    users = user.users or 0
    source = Source(file=user.source, line=user.line_of("users"))
    size = ra.size_for_users(users)
    return Fact[str](
        value=size, source=Source(file="derived"), note="by users", basis=[source]
    )


def _single_node_size(node: Node) -> Fact[str]:
    """Tells whether one node meets the 1k single-node size."""
    spec = ra.SINGLE_NODE
    fits = _meets(node, spec.vcpus, spec.memory_gb)
    note = f"single node against 1k ({spec.vcpus} vCPU / {spec.memory_gb:g} GB)"
    return derived("1k" if fits else "below 1k", note, _hardware_basis(node))


def _role_size(role: str, holders: list[Node]) -> str:
    """The largest size this role's nodes meet."""
    best = "below 1k"
    total = sum(_vcpus(n) for n in holders)
    for size, spec in ra.ROLE_SPECS[role].items():
        if role in ra.SCALE_OUT_ROLES:
            fits = total >= spec.nodes * spec.vcpus and all(
                _memory_gb(n) >= spec.memory_gb * ra.MEMORY_TOLERANCE for n in holders
            )
        else:
            fits = any(_meets(n, spec.vcpus, spec.memory_gb) for n in holders)
        if fits:
            best = size
    return best


def _meets(node: Node, vcpus: int, memory_gb: float) -> bool:
    """Tells whether a node has the vCPUs and (nearly) the memory of a spec."""
    return _vcpus(node) >= vcpus and _memory_gb(node) >= memory_gb * ra.MEMORY_TOLERANCE


def _vcpus(node: Node) -> int:
    return node.hardware.vcpus.value if node.hardware.vcpus else 0


def _memory_gb(node: Node) -> float:
    return node.hardware.memory_mb.value / 1024 if node.hardware.memory_mb else 0.0


def _hardware_basis(node: Node) -> list[Fact[Any] | None]:
    return [node.hardware.vcpus, node.hardware.memory_mb]


def _roles(node: Node) -> list[str]:
    return node.roles.roles.value if node.roles.roles else []


def _may_run(node: Node, role: str) -> bool:
    """True if the node runs `role`, or its roles are unknown."""
    return node.roles.roles is None or node.has_role(role)


def _databases(node: Node) -> int:
    """2 databases (`main`, `ci`) from GitLab 16.0 on, or when the version is unknown."""
    version = node.software.gitlab_version
    if version is None:
        return 2
    major = version.value.split(".")[0]
    return 2 if not major.isdigit() or int(major) >= 16 else 1


def _external(environment: Environment, component: str) -> Fact[str] | None:
    """Returns where a node's gitlab.rb says a component runs, if elsewhere."""
    for node in environment.nodes:
        if component in node.config.external:
            return node.config.external[component]
    return None
