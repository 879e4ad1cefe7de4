"""Models of the environment: nodes with hardware, storage, strain and settings."""

from __future__ import annotations

import logging
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

T = TypeVar("T")


class Source(BaseModel):
    """Where a fact came from: a file of the archive (and line), or a derivation."""

    file: str
    """Path relative to the archive root, `facts.yaml`, `default` or `derived`."""
    line: int | None = None
    node: str | None = None
    """The node whose archive holds the file; set once the node is collected."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def cite(self) -> str:
        """Names the source with its node, for facts that span nodes."""
        return f"{self.node}:{self}" if self.node else str(self)


class Fact(BaseModel, Generic[T]):
    """One value with the place it was read from."""

    value: T
    source: Source
    note: str | None = None
    """A qualifier, e.g. the formula of a derived fact or `Linux package default`."""
    basis: list[Source] = Field(default_factory=list)
    """The facts a derived fact was computed from."""


def fact(
    value: T, file: str, line: int | None = None, note: str | None = None
) -> Fact[T]:
    """Builds a fact read from `file` at `line`."""
    return Fact[T](value=value, source=Source(file=file, line=line), note=note)


def default(value: T, note: str) -> Fact[T]:
    """Builds a fact that holds a documented default because nothing set it."""
    return Fact[T](value=value, source=Source(file="default"), note=note)


def derived(value: T, note: str, basis: list[Fact[Any] | None]) -> Fact[T]:
    """Builds a computed fact; `note` carries the formula, `basis` its inputs.

    The basis of a derived input is inlined, so every basis names a file or a default.
    """
    sources: list[Source] = []
    for item in basis:
        if item is None:
            continue
        for source in item.basis if item.source.file == "derived" else [item.source]:
            if source not in sources:
                sources.append(source)
    return Fact[T](value=value, source=Source(file="derived"), note=note, basis=sources)


class Skipped(BaseModel):
    """A file that was present but could not be read, and why."""

    file: str
    reason: str


class Hardware(BaseModel):
    """CPU, memory and swap of a node."""

    vcpus: Fact[int] | None = None
    cpu_model: Fact[str] | None = None
    hypervisor: Fact[str] | None = None
    memory_mb: Fact[int] | None = None
    memory_available_mb: Fact[int] | None = None
    swap_mb: Fact[int] | None = None
    swap_used_mb: Fact[int] | None = None


class Mount(BaseModel):
    """One mounted filesystem."""

    device: str
    mount_point: str
    fs_type: str | None = None
    size_gb: float | None = None
    used_pct: float | None = None
    network: bool = False
    source: Source


class Placement(BaseModel):
    """Which mount holds a GitLab data directory."""

    path: str
    mount_point: str
    fs_type: str | None = None
    network: bool = False


class Storage(BaseModel):
    """Mounts of a node and where GitLab keeps its data."""

    mounts: list[Mount] = Field(default_factory=list)
    git_data: Fact[Placement] | None = None
    postgresql_data: Fact[Placement] | None = None
    uploads: Fact[Placement] | None = None


class Pressure(BaseModel):
    """Linux pressure stall averages (percent of time stalled)."""

    some_avg10: float
    some_avg60: float
    some_avg300: float
    full_avg10: float | None = None
    full_avg60: float | None = None
    full_avg300: float | None = None


class DeviceIO(BaseModel):
    """Per-device utilisation and latency from iostat, averaged over its intervals."""

    device: str
    util_pct: float | None = None
    util_peak_pct: float | None = None
    r_await_ms: float | None = None
    w_await_ms: float | None = None
    reads_per_s: float | None = None
    writes_per_s: float | None = None
    intervals: int = 0
    source: Source


class InterfaceRate(BaseModel):
    """Average network throughput of one interface from `sar -n DEV`."""

    interface: str
    rx_kb_per_s: float
    tx_kb_per_s: float
    source: Source


class Strain(BaseModel):
    """How hard the node was working when the archive was taken."""

    load_1m: Fact[float] | None = None
    load_5m: Fact[float] | None = None
    load_15m: Fact[float] | None = None
    cpu_busy_pct: Fact[float] | None = None
    iowait_pct: Fact[float] | None = None
    steal_pct: Fact[float] | None = None
    run_queue: Fact[float] | None = None
    swap_in_kb_per_s: Fact[float] | None = None
    swap_out_kb_per_s: Fact[float] | None = None
    pressure_cpu: Fact[Pressure] | None = None
    pressure_io: Fact[Pressure] | None = None
    pressure_memory: Fact[Pressure] | None = None
    tcp_retransmits_per_s: Fact[float] | None = None
    devices: list[DeviceIO] = Field(default_factory=list)
    interfaces: list[InterfaceRate] = Field(default_factory=list)


class Config(BaseModel):
    """GitLab settings read from the sanitized `gitlab.rb`, with defaults marked."""

    puma_workers: Fact[int] | None = None
    puma_threads: Fact[int] | None = None
    sidekiq_processes: Fact[int] | None = None
    sidekiq_queue_groups: Fact[list[str]] | None = None
    sidekiq_concurrency: Fact[int] | None = None
    gitaly_concurrency: Fact[list[dict[str, Any]]] | None = None
    gitaly_pack_objects_cache: Fact[bool] | None = None
    git_data_path: Fact[str] | None = None
    postgresql: dict[str, Fact[Any]] = Field(default_factory=dict)
    db_load_balancing_hosts: Fact[list[str]] | None = None
    external_url: Fact[str] | None = None
    """The URL users reach GitLab at (``external_url`` in gitlab.rb)."""
    external: dict[str, Fact[str]] = Field(default_factory=dict)
    """External services by kind (`postgresql`, `redis`, `gitaly`, `object_storage`)."""


class Limits(BaseModel):
    """Process limits of the git user (`ulimit -a`)."""

    open_files: Fact[int | None] | None = None
    max_user_processes: Fact[int | None] | None = None


class Software(BaseModel):
    """GitLab version, edition, bundled components and migrations."""

    gitlab_version: Fact[str] | None = None
    edition: Fact[str] | None = None
    components: dict[str, Fact[str]] = Field(default_factory=dict)
    pending_migrations: Fact[list[str]] | None = None


class Clock(BaseModel):
    """Time synchronisation of the node."""

    ntp_synchronized: Fact[bool] | None = None
    ntp_service: Fact[str] | None = None
    local_time: Fact[str] | None = None


class Service(BaseModel):
    """One service from `gitlab-ctl status`."""

    name: str
    state: str
    uptime_s: int | None = None
    line: int


class Roles(BaseModel):
    """Services running on the node and the roles they imply."""

    services: list[Service] = Field(default_factory=list)
    roles: Fact[list[str]] | None = None


class NodeDerived(BaseModel):
    """Facts computed from one node's other facts."""

    load_per_vcpu: Fact[float] | None = None
    expected_puma_workers: Fact[int] | None = None
    db_connection_demand: Fact[int] | None = None


class Node(BaseModel):
    """One GitLab node, built from one archive."""

    name: str
    name_source: Source
    root: str
    hardware: Hardware = Field(default_factory=Hardware)
    storage: Storage = Field(default_factory=Storage)
    strain: Strain = Field(default_factory=Strain)
    config: Config = Field(default_factory=Config)
    limits: Limits = Field(default_factory=Limits)
    software: Software = Field(default_factory=Software)
    time: Clock = Field(default_factory=Clock)
    roles: Roles = Field(default_factory=Roles)
    derived: NodeDerived = Field(default_factory=NodeDerived)
    skipped: list[Skipped] = Field(default_factory=list)

    def has_role(self, role: str) -> bool:
        """Tells whether the node runs `role`."""
        return self.roles.roles is not None and role in self.roles.roles.value


class EnvironmentDerived(BaseModel):
    """Facts computed across nodes and from facts.yaml."""

    db_connection_demand: Fact[int] | None = None
    max_connections: Fact[int] | None = None
    hardware_architecture: Fact[str] | None = None
    users_architecture: Fact[str] | None = None
    load_architecture: Fact[str] | None = None
    peak_rps: dict[str, Fact[float]] = Field(default_factory=dict)
    target_rps: dict[str, Fact[float]] = Field(default_factory=dict)
    colocation: dict[str, Fact[list[str]]] = Field(default_factory=dict)
    """For Redis, PostgreSQL and Gitaly: the other roles on the nodes that run them."""


class Environment(BaseModel):
    """Every node of one GitLab installation, plus what the user told us."""

    nodes: list[Node] = Field(default_factory=list)
    user: dict[str, Any] | None = None
    """The validated facts.yaml, if one was given."""
    user_source: str | None = None
    derived: EnvironmentDerived = Field(default_factory=EnvironmentDerived)

    def node(self, name: str) -> Node | None:
        """Returns the node called `name`, if any."""
        return next((node for node in self.nodes if node.name == name), None)


#: Facts that only concern nodes running one of the given roles.
ROLE_FACTS: dict[str, tuple[str, ...]] = {
    "storage.git_data": ("gitaly",),
    "storage.postgresql_data": ("postgresql",),
    "storage.uploads": ("rails", "sidekiq"),
    "config.puma_workers": ("rails",),
    "config.puma_threads": ("rails",),
    "config.sidekiq_processes": ("sidekiq",),
    "config.sidekiq_queue_groups": ("sidekiq",),
    "config.sidekiq_concurrency": ("sidekiq",),
    "config.gitaly_concurrency": ("gitaly",),
    "config.gitaly_pack_objects_cache": ("gitaly",),
    "config.git_data_path": ("gitaly",),
    "config.db_load_balancing_hosts": ("rails", "sidekiq"),
    "software.pending_migrations": ("rails", "sidekiq"),
    "derived.expected_puma_workers": ("rails",),
    "derived.db_connection_demand": ("rails", "sidekiq"),
}


def applies(node: Node, path: str) -> bool:
    """Tells whether a fact concerns the node: its roles are unknown or include one."""
    roles = ROLE_FACTS.get(path)
    if roles is None or node.roles.roles is None:
        return True
    return any(node.has_role(role) for role in roles)


def node_unknowns(node: Node) -> list[str]:
    """Lists the node's fact fields that hold nothing, leaving out other roles' facts."""
    return [path for path in unknown_facts(node) if applies(node, path)]


def stamp(model: BaseModel, node: str) -> None:
    """Sets `node` on every source inside a model."""
    for name in type(model).model_fields:
        _stamp_value(getattr(model, name), node)


def _stamp_value(value: Any, node: str) -> None:
    if isinstance(value, Source):
        value.node = value.node or node
    elif isinstance(value, BaseModel):
        stamp(value, node)
    elif isinstance(value, dict):
        for item in value.values():
            _stamp_value(item, node)
    elif isinstance(value, list):
        for item in value:
            _stamp_value(item, node)


def unknown_facts(model: BaseModel, prefix: str = "") -> list[str]:
    """Lists the dotted names of fact fields that hold nothing."""
    missing: list[str] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel) and not isinstance(value, Fact):
            missing.extend(unknown_facts(value, f"{path}."))
        elif value is None and "Fact[" in str(info.annotation):
            missing.append(path)
    return missing
