"""Facts from the environment: hardware, strain, storage, settings and capacity."""

from __future__ import annotations

import logging
from typing import Any

from advisor.engine.vocabulary import Fact, make
from advisor.facts.models import Environment, Node, Source
from advisor.facts.models import Fact as EnvFact

log = logging.getLogger(__name__)

RANKS = ("below 1k", "1k", "2k", "3k", "5k", "10k", "25k", "50k")


def _cite(item: EnvFact[Any]) -> tuple[str, int | None]:
    source = item.source
    if source.file == "derived" and item.basis:
        return "derived from " + ", ".join(str(s) for s in item.basis[:3]), None
    return source.file, source.line


def _add(
    out: list[Fact],
    name: str,
    item: EnvFact[Any] | None,
    node: str | None,
    value: Any = None,
) -> None:
    """Adds a fact read from an environment fact, keeping its source."""
    if item is None:
        return
    value = item.value if value is None else value
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = round(float(value), 4)
    file, line = _cite(item)
    out.append(make(name, value, node=node, source=file, line=line))


def environment_facts(environment: Environment) -> list[Fact]:
    """Builds the facts of every node and of the environment as a whole."""
    out: list[Fact] = []
    for node in environment.nodes:
        _hardware(out, node)
        _strain(out, node)
        _storage(out, node)
        _config(out, node)
    _capacity(out, environment)
    _user(out, environment)
    return out


def _hardware(out: list[Fact], node: Node) -> None:
    hw = node.hardware
    _add(out, "host.vcpus", hw.vcpus, node.name)
    if hw.memory_mb is not None:
        _add(out, "host.memory_gb", hw.memory_mb, node.name, hw.memory_mb.value / 1024)
    _add(out, "host.swap_used_mb", hw.swap_used_mb, node.name)


def _strain(out: list[Fact], node: Node) -> None:
    strain = node.strain
    name = node.name
    _add(out, "host.swap_in_kb_s", strain.swap_in_kb_per_s, name)
    _add(out, "host.swap_out_kb_s", strain.swap_out_kb_per_s, name)
    _add(out, "host.cpu_busy_pct", strain.cpu_busy_pct, name)
    _add(out, "host.iowait_pct", strain.iowait_pct, name)
    _add(out, "host.steal_pct", strain.steal_pct, name)
    _add(out, "host.tcp_retransmits_per_s", strain.tcp_retransmits_per_s, name)
    _add(out, "host.load_per_vcpu", node.derived.load_per_vcpu, name)
    for fact_name, pressure in (
        ("host.pressure_cpu", strain.pressure_cpu),
        ("host.pressure_io", strain.pressure_io),
        ("host.pressure_memory", strain.pressure_memory),
    ):
        if pressure is not None:
            _add(out, fact_name, pressure, name, pressure.value.some_avg60)
    awaits = [d for d in strain.devices if d.r_await_ms is not None]
    if awaits:
        worst = max(awaits, key=lambda d: d.r_await_ms or 0.0)
        out.append(
            _sourced(
                "host.disk_await_ms", worst.r_await_ms, name, worst.source, worst.device
            )
        )
    if strain.interfaces:
        busiest = max(
            strain.interfaces, key=lambda i: max(i.rx_kb_per_s, i.tx_kb_per_s)
        )
        mbps = max(busiest.rx_kb_per_s, busiest.tx_kb_per_s) * 8 / 1000
        out.append(
            _sourced(
                "host.network_peak_mbps", mbps, name, busiest.source, busiest.interface
            )
        )


def _sourced(name: str, value: Any, node: str, source: Source, key: str) -> Fact:
    return make(
        name,
        round(float(value), 4),
        node=node,
        key=key,
        source=source.file,
        line=source.line,
    )


def _storage(out: list[Fact], node: Node) -> None:
    git = node.storage.git_data
    if git is not None:
        _add(out, "storage.git_data_network_fs", git, node.name, git.value.network)
        _add(
            out,
            "storage.git_data_fs_type",
            git,
            node.name,
            git.value.fs_type or "unknown",
        )
    pg = node.storage.postgresql_data
    if pg is not None:
        _add(out, "storage.postgresql_network_fs", pg, node.name, pg.value.network)


def _config(out: list[Fact], node: Node) -> None:
    config = node.config
    name = node.name
    _add(out, "config.puma_workers", config.puma_workers, name)
    expected = node.derived.expected_puma_workers
    _add(out, "config.puma_expected_workers", expected, name)
    if config.puma_workers is not None and expected is not None and expected.value:
        ratio = config.puma_workers.value / expected.value
        _add(out, "config.puma_workers_ratio", config.puma_workers, name, ratio)
    _add(out, "config.sidekiq_processes", config.sidekiq_processes, name)
    _add(out, "config.sidekiq_concurrency", config.sidekiq_concurrency, name)
    _add(out, "config.pack_objects_cache", config.gitaly_pack_objects_cache, name)
    limits = config.gitaly_concurrency
    if limits is not None:
        values = [x.get("max_per_repo") for x in limits.value if isinstance(x, dict)]
        numbers = [v for v in values if isinstance(v, int | float)]
        if numbers:
            _add(out, "config.gitaly_max_per_repo", limits, name, min(numbers))
    pending = node.software.pending_migrations
    if pending is not None:
        _add(out, "config.pending_migrations", pending, name, len(pending.value))
    _add(out, "time.ntp_synchronized", node.time.ntp_synchronized, name)


def _capacity(out: list[Fact], environment: Environment) -> None:
    derived = environment.derived
    if environment.nodes:
        names = ", ".join(node.name for node in environment.nodes)
        out.append(
            make(
                "capacity.nodes",
                float(len(environment.nodes)),
                source=f"inputs ({names})",
            )
        )
    hardware = _rank(derived.hardware_architecture)
    if hardware is not None:
        _add(
            out, "capacity.hardware_rank", derived.hardware_architecture, None, hardware
        )
        load = _rank(derived.load_architecture)
        if load is not None:
            _add(
                out,
                "capacity.load_over_hardware",
                derived.load_architecture,
                None,
                load - hardware,
            )
        users = _rank(derived.users_architecture)
        if users is not None:
            _add(
                out,
                "capacity.users_over_hardware",
                derived.users_architecture,
                None,
                users - hardware,
            )
    gitaly = derived.colocation.get("gitaly")
    if gitaly is not None:
        shared = any(role in ("rails", "sidekiq") for role in gitaly.value)
        _add(out, "capacity.gitaly_colocated", gitaly, None, shared)
    demand, maximum = derived.db_connection_demand, derived.max_connections
    if demand is not None and maximum is not None and maximum.value:
        _add(
            out,
            "config.db_connection_ratio",
            demand,
            None,
            demand.value / maximum.value,
        )


def _rank(item: EnvFact[str] | None) -> int | None:
    if item is None or item.value not in RANKS:
        return None
    return RANKS.index(item.value)


def _user(out: list[Fact], environment: Environment) -> None:
    user = environment.user or {}
    source = environment.user_source or "facts.yaml"
    fio = [x for x in user.get("fio") or [] if isinstance(x, dict)]
    if fio:
        reads = min(float(x.get("read_iops", 0)) for x in fio)
        writes = min(float(x.get("write_iops", 0)) for x in fio)
        out.append(make("user.fio_read_iops", reads, source=source))
        out.append(make("user.fio_write_iops", writes, source=source))
    rtts = [x for x in user.get("network_latency_ms") or [] if isinstance(x, dict)]
    if rtts:
        worst = max(float(x.get("rtt_ms", 0)) for x in rtts)
        out.append(make("user.network_rtt_ms", worst, source=source))
