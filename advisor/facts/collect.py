"""Walks unpacked gitlabsos archive roots and builds one Environment from them."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from advisor.facts import derive
from advisor.facts.errors import FactsError, ParseError
from advisor.facts.models import (
    Environment,
    Fact,
    Mount,
    Node,
    Placement,
    Skipped,
    Source,
    applies,
    fact,
    stamp,
)
from advisor.facts.settings import config_from, data_path
from advisor.facts.sources import (
    cpuinfo,
    df,
    free_m,
    gitlab_migrations,
    gitlab_rb,
    gitlab_status,
    hostname,
    iostat,
    lscpu,
    meminfo,
    mount,
    mpstat,
    pressure,
    sar,
    timedatectl,
    ulimit,
    uptime,
    version_manifest,
    vmstat,
)
from advisor.facts.user_file import UserFacts

log = logging.getLogger(__name__)

R = TypeVar("R")

#: Files whose presence marks a folder as the root of a gitlabsos archive.
ROOT_MARKERS = (
    "hostname",
    "gitlab_status",
    "lscpu",
    "cpuinfo",
    "uptime",
    "free_m",
    "df_hT",
    "var/log/gitlab",
    "opt/gitlab",
)

#: Where the sanitized gitlab.rb may sit (its path is not documented).
GITLAB_RB_PATHS = (
    "etc/gitlab/gitlab.rb",
    "gitlab.rb",
    "gitlab_rb",
    "sanitized_gitlab.rb",
)

#: `gitlabsos.<hostname>.<stamp>_<services>` (2025) or `gitlabsos.<hostname>_<stamp>` (2019).
ARCHIVE_NAME = re.compile(
    r"^gitlabsos\.(?P<host>.+?)[._](?P<stamp>\d{14})(?:_(?P<services>[\w-]+))?"
)

#: Short service names used in archive names.
NAME_ALIASES = {"psql": "postgresql"}

#: Folders never searched for archive roots.
SKIP_DIRS = frozenset({".git", "__pycache__", "var", "opt", "etc"})


def is_root(path: Path) -> bool:
    """Tells whether a folder looks like the root of an unpacked gitlabsos archive."""
    return any((path / marker).exists() for marker in ROOT_MARKERS)


def find_roots(path: Path, depth: int = 2) -> list[Path]:
    """Finds archive roots at `path` or in its sub-folders, up to `depth` levels down."""
    if is_root(path):
        return [path]
    if depth == 0 or not path.is_dir():
        return []
    roots: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.is_dir() and child.name not in SKIP_DIRS:
            roots.extend(find_roots(child, depth - 1))
    return roots


def collect(
    roots: Sequence[Path | tuple[Path, str | None]],
    user: UserFacts | None = None,
    peak_rps: Mapping[str, float] | None = None,
) -> Environment:
    """Builds the Environment from archive roots, optionally named `(path, node)`.

    Args:
        roots: unpacked archive roots, one per node.
        user: the validated facts.yaml, if any.
        peak_rps: peak requests per second by class (`api`, `web`, `git_pull`,
            `git_push`), measured from the logs by the statistics layer.
    """
    nodes = []
    for item in roots:
        root, name = item if isinstance(item, tuple) else (item, None)
        nodes.append(collect_node(Path(root), name))
    environment = Environment(nodes=nodes)
    if user is not None:
        environment.user = user.model_dump(exclude_none=True)
        environment.user_source = user.source
        _apply_user_roles(environment, user)
    derive.derive(environment, user, peak_rps)
    return environment


def collect_node(root: Path, name: str | None = None) -> Node:
    """Reads every known system file under one archive root."""
    reader = _Reader(root)
    node_name, name_source = _node_name(reader, name)
    node = Node(name=node_name, name_source=name_source, root=str(root))
    _hardware(reader, node)
    _storage(reader, node)
    _strain(reader, node)
    _software(reader, node)
    _roles(reader, node)
    rb = reader.first(GITLAB_RB_PATHS, gitlab_rb.parse)
    if rb is not None:
        node.config = config_from(rb, reader.last_file)
        node.skipped.extend(
            Skipped(file=f"{reader.last_file}:{line}", reason=reason)
            for line, reason in rb.skipped
        )
    _drop_foreign_defaults(node)
    _placements(node)
    node.skipped.extend(reader.skipped)
    stamp(node, node.name)
    log.debug("collected node %s from %s", node.name, root)
    return node


class _Reader:
    """Reads files of one archive root, recording garbled ones as skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.skipped: list[Skipped] = []
        self.last_file = ""

    def first(self, names: Sequence[str], parser: Callable[[str, str], R]) -> R | None:
        """Parses the first of `names` present; None if none is present or readable."""
        for name in names:
            path = self.root / name
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
                result = parser(text, name)
            except (ParseError, OSError) as error:
                log.debug("skipped %s: %s", path, error)
                self.skipped.append(Skipped(file=name, reason=str(error)))
                continue
            self.last_file = name
            return result
        return None


def _node_name(reader: _Reader, given: str | None) -> tuple[str, Source]:
    """Names the node: hostname file, else the archive's name, else the folder name."""
    host = reader.first(["hostname"], hostname.parse)
    if host is not None:
        return host.value, host.source
    folder = reader.root.name
    match = ARCHIVE_NAME.match(given or "") or ARCHIVE_NAME.match(folder)
    if match:
        return match["host"], Source(file=f"archive name {match.group(0)}")
    return given or folder, Source(file="folder name")


def _hardware(reader: _Reader, node: Node) -> None:
    """Fills CPU, memory and swap, preferring the most precise file."""
    hw = node.hardware
    cpu = reader.first(["lscpu"], lscpu.parse)
    proc = reader.first(["cpuinfo"], cpuinfo.parse)
    if cpu is not None:
        hw.vcpus, hw.cpu_model, hw.hypervisor = cpu.vcpus, cpu.model, cpu.hypervisor
    if proc is not None:
        hw.vcpus = hw.vcpus or proc.vcpus
        hw.cpu_model = hw.cpu_model or proc.model
    mem = reader.first(["meminfo"], meminfo.parse) or reader.first(
        ["free_m"], free_m.parse
    )
    if mem is not None:
        hw.memory_mb, hw.memory_available_mb = mem.memory_mb, mem.memory_available_mb
        hw.swap_mb, hw.swap_used_mb = mem.swap_mb, mem.swap_used_mb


def _storage(reader: _Reader, node: Node) -> None:
    """Reads mounts from df (sizes) and fills missing types from /proc/mounts."""
    sized = reader.first(["df_hT", "df_h"], df.parse) or []
    typed = reader.first(["mount"], mount.parse) or []
    kinds = {m.mount_point: m for m in typed}
    for item in sized:
        if item.fs_type is None and item.mount_point in kinds:
            item.fs_type = kinds[item.mount_point].fs_type
            item.network = kinds[item.mount_point].network
    node.storage.mounts = sized or typed


def _placements(node: Node) -> None:
    """Finds the mount holding git data, PostgreSQL data and uploads."""
    for name in ("git_data", "postgresql_data", "uploads"):
        if not applies(node, f"storage.{name}"):
            continue
        path = data_path(node.config, name)
        holder = _mount_of(path, node.storage.mounts)
        if holder is not None:
            placement = Placement(
                path=path,
                mount_point=holder.mount_point,
                fs_type=holder.fs_type,
                network=holder.network,
            )
            setattr(
                node.storage,
                name,
                Fact[Placement](value=placement, source=holder.source),
            )


def _drop_foreign_defaults(node: Node) -> None:
    """Removes defaults filled in for roles the node does not run."""
    for name in type(node.config).model_fields:
        value = getattr(node.config, name)
        is_default = isinstance(value, Fact) and value.source.file == "default"
        if is_default and not applies(node, f"config.{name}"):
            setattr(node.config, name, None)


def _mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """Returns the mount with the longest mount point that contains `path`."""
    holders = [
        m
        for m in mounts
        if path == m.mount_point or path.startswith(m.mount_point.rstrip("/") + "/")
    ]
    return max(holders, key=lambda m: len(m.mount_point), default=None)


def _strain(reader: _Reader, node: Node) -> None:
    """Fills load, CPU split, swap activity, pressure and device figures."""
    strain = node.strain
    load = reader.first(["uptime"], uptime.parse)
    if load is not None:
        strain.load_1m, strain.load_5m, strain.load_15m = (
            load.load_1m,
            load.load_5m,
            load.load_15m,
        )
    _cpu_split(reader, node)
    for resource, file in pressure.FILES.items():
        setattr(strain, f"pressure_{resource}", reader.first([file], pressure.parse))
    disks = reader.first(["iostat"], iostat.parse)
    if disks is not None:
        strain.devices = disks.devices
        strain.iowait_pct = strain.iowait_pct or disks.iowait_pct
        strain.steal_pct = strain.steal_pct or disks.steal_pct
    for file in ("sar_dev", "sar_tcp", "sar_cpu"):
        report = reader.first([file], sar.parse)
        if report is not None:
            strain.interfaces.extend(report.interfaces)
            strain.tcp_retransmits_per_s = (
                strain.tcp_retransmits_per_s or report.tcp_retransmits_per_s
            )
            strain.iowait_pct = strain.iowait_pct or report.iowait_pct
            strain.steal_pct = strain.steal_pct or report.steal_pct


def _cpu_split(reader: _Reader, node: Node) -> None:
    """Takes busy, iowait and steal from vmstat, falling back to mpstat."""
    strain = node.strain
    vm = reader.first(["vmstat"], vmstat.parse)
    mp = reader.first(["mpstat"], mpstat.parse)
    if vm is not None:
        strain.cpu_busy_pct, strain.run_queue = vm.cpu_busy_pct, vm.run_queue
        strain.iowait_pct, strain.steal_pct = vm.iowait_pct, vm.steal_pct
        strain.swap_in_kb_per_s = vm.swap_in_kb_per_s
        strain.swap_out_kb_per_s = vm.swap_out_kb_per_s
    if mp is not None:
        strain.cpu_busy_pct = strain.cpu_busy_pct or mp.cpu_busy_pct
        strain.iowait_pct = strain.iowait_pct or mp.iowait_pct
        strain.steal_pct = strain.steal_pct or mp.steal_pct
        node.hardware.vcpus = node.hardware.vcpus or mp.vcpus


def _software(reader: _Reader, node: Node) -> None:
    """Fills version, edition, components, migrations, limits and clock facts."""
    manifest = reader.first(
        ["opt/gitlab/version-manifest.json"], version_manifest.parse
    ) or reader.first(["opt/gitlab/version-manifest.txt"], version_manifest.parse_text)
    if manifest is not None:
        node.software.gitlab_version = manifest.gitlab_version
        node.software.edition = manifest.edition
        node.software.components = manifest.components
    node.software.pending_migrations = reader.first(
        ["gitlab_migrations"], gitlab_migrations.parse
    )
    limits = reader.first(["ulimit"], ulimit.parse)
    if limits is not None:
        node.limits.open_files = limits.open_files
        node.limits.max_user_processes = limits.max_user_processes
    clock = reader.first(["timedatectl"], timedatectl.parse)
    if clock is not None:
        node.time.ntp_synchronized = clock.ntp_synchronized
        node.time.ntp_service = clock.ntp_service
        node.time.local_time = clock.universal_time


def _roles(reader: _Reader, node: Node) -> None:
    """Reads services from `gitlab_status`, else from the archive name's service list."""
    services = reader.first(["gitlab_status"], gitlab_status.parse)
    if services:
        node.roles.services = services
        roles = gitlab_status.roles_of(services)
        node.roles.roles = fact(roles, "gitlab_status", services[0].line)
        return
    match = ARCHIVE_NAME.match(reader.root.name)
    if match and match["services"]:
        names = [NAME_ALIASES.get(n, n) for n in match["services"].split("-")]
        implied = {
            gitlab_status.ROLE_OF[n] for n in names if n in gitlab_status.ROLE_OF
        }
        node.roles.roles = fact(sorted(implied), f"archive name {match.group(0)}")


def _apply_user_roles(environment: Environment, user: UserFacts) -> None:
    """Lets facts.yaml set a node's roles when no archive showed them."""
    for name, entry in (user.nodes or {}).items():
        node = environment.node(name)
        if node is None:
            known = [n.name for n in environment.nodes]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"Did you mean {close[0]!r}? " if close else ""
            line = user.line_of(f"nodes.{name}")
            raise FactsError(
                f"{user.source}:{line or '?'}: nodes.{name}: no node of that name "
                "among the inputs.",
                fix=f"{hint}The inputs' nodes are: {', '.join(known) or 'none'}.",
            )
        if not entry.roles:
            continue
        if node.roles.roles is None:
            source = Source(file=user.source, line=None)
            node.roles.roles = Fact[list[str]](
                value=sorted(entry.roles), source=source, note=f"nodes.{name}.roles"
            )
