"""System files at the archive root, with numbers taken from the simulated load.

gitlabsos runs its commands at the end of the window, so CPU, IO and memory figures
come from the last minutes of the simulation: load average from runnable plus
IO-blocked tasks, iowait from the time Gitaly spent waiting on storage, swap traffic
and memory pressure from the scenario's memory shortfall.
"""

from __future__ import annotations

import json
import logging
import math
import random
from dataclasses import dataclass
from pathlib import Path

from advisor.simulate import clock
from advisor.simulate.topology import Host
from advisor.simulate.traffic import Traffic

log = logging.getLogger(__name__)

GITLAB_VERSION = "16.11.1"
UPTIME_S = 23 * 86400 + 4 * 3600 + 12 * 60


@dataclass(frozen=True, slots=True)
class HostState:
    """What a host looked like at collection time."""

    host: Host
    util: tuple[float, float, float]
    io_busy: tuple[float, float, float]
    mem_used_gb: float
    swap_used_gb: float
    swapping: bool
    end_s: float


def _window(values: list[float], minutes: int) -> float:
    tail = values[-minutes:]
    return sum(tail) / len(tail)


def host_state(traffic: Traffic, index: int) -> HostState:
    """Summarises one host's last 1, 5 and 15 minutes of the simulation."""
    host = traffic.topology.hosts[index]
    sc = traffic.scenario
    util = traffic.cpu_util[index]
    # Little's law: tasks blocked on IO = IO rate x time per IO.
    busy = [
        util * sc.storage.iops * op_ms / 1000
        for util, op_ms in zip(
            traffic.io_util[index], traffic.io_op_ms[index], strict=True
        )
    ]
    roles = host.roles
    need = 1.2 + ("rails" in roles) * (sc.puma_workers * 0.8 + 0.5)
    need += ("sidekiq" in roles) * 1.1 * sc.sidekiq_processes + (
        "gitaly" in roles
    ) * 0.9
    need += ("postgresql" in roles) * (0.1 * host.mem_gb + 0.3)
    swap_used = sc.swap_used_gb if "rails" in roles else 0.0
    return HostState(
        host,
        tuple(_window(util, m) for m in (1, 5, 15)),  # type: ignore[arg-type]
        tuple(_window(busy, m) for m in (1, 5, 15)),  # type: ignore[arg-type]
        min(need, host.mem_gb * 0.93),
        swap_used,
        sc.stall_ms > 0 and swap_used > 0,
        traffic.start_s + traffic.minutes * 60,
    )


def write_system_files(
    traffic: Traffic, index: int, root: Path, rng: random.Random
) -> None:
    """Writes every system file gitlabsos collects for one host."""
    state = host_state(traffic, index)
    files = {
        "cpuinfo": cpuinfo(state),
        "lscpu": lscpu(state),
        "meminfo": meminfo(state),
        "free_m": free_m(state),
        "df_hT": df_ht(traffic, state),
        "mount": mounts(traffic),
        "uptime": uptime(state),
        "vmstat": vmstat(state, rng),
        "iostat": iostat(traffic, state, rng),
        "mpstat": mpstat(state, rng),
        "pressure_cpu.txt": pressure_cpu(state),
        "pressure_io.txt": pressure_io(state),
        "pressure_mem.txt": pressure_mem(state),
        "ulimit": ULIMIT,
        "gitlab_status": gitlab_status(state, rng),
        "timedatectl": timedatectl(state),
        "hostname": state.host.name + "\n",
        "opt/gitlab/version-manifest.json": version_manifest(),
        "etc/gitlab/gitlab.rb": gitlab_rb(traffic, state),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def cpuinfo(state: HostState) -> str:
    """Returns /proc/cpuinfo for a KVM guest on Cascade Lake."""
    blocks = []
    for cpu in range(state.host.cpus):
        blocks.append(
            f"processor\t: {cpu}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
            "model\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\n"
            "stepping\t: 7\ncpu MHz\t\t: 2499.998\ncache size\t: 36608 KB\n"
            f"physical id\t: 0\nsiblings\t: {state.host.cpus}\ncore id\t\t: {cpu // 2}\n"
            f"cpu cores\t: {max(1, state.host.cpus // 2)}\napicid\t\t: {cpu}\n"
            "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov "
            "pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm "
            "constant_tsc rep_good nopl xtopology nonstop_tsc cpuid aperfmperf "
            "hypervisor avx avx2 avx512f\nbogomips\t: 4999.99\n"
        )
    return "\n".join(blocks)


def lscpu(state: HostState) -> str:
    """Returns ``lscpu`` output."""
    cpus = state.host.cpus
    return (
        "Architecture:                    x86_64\n"
        "CPU op-mode(s):                  32-bit, 64-bit\n"
        "Byte Order:                      Little Endian\n"
        f"CPU(s):                          {cpus}\n"
        f"On-line CPU(s) list:             0-{cpus - 1}\n"
        "Thread(s) per core:              2\n"
        f"Core(s) per socket:              {max(1, cpus // 2)}\n"
        "Socket(s):                       1\n"
        "NUMA node(s):                    1\n"
        "Vendor ID:                       GenuineIntel\n"
        "Model name:                      Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\n"
        "Hypervisor vendor:               KVM\n"
        "Virtualization type:             full\n"
        f"NUMA node0 CPU(s):               0-{cpus - 1}\n"
    )


def _mem_kb(state: HostState) -> dict[str, int]:
    total = int(state.host.mem_gb * 1024 * 1024 * 0.97)
    used = int(state.mem_used_gb * 1024 * 1024)
    cache = max(int(total * 0.04), int((total - used) * 0.7))
    free = max(int(total * 0.015), total - used - cache)
    swap_total = int(state.host.mem_gb and _swap_total_gb(state) * 1024 * 1024)
    swap_used = int(state.swap_used_gb * 1024 * 1024)
    return {
        "total": total,
        "used": used,
        "cache": cache,
        "free": free,
        "available": free + int(cache * 0.8),
        "swap_total": swap_total,
        "swap_free": swap_total - swap_used,
    }


def _swap_total_gb(state: HostState) -> float:
    return 4.0 if state.swap_used_gb else 0.0


def meminfo(state: HostState) -> str:
    """Returns /proc/meminfo."""
    kb = _mem_kb(state)
    rows = [
        ("MemTotal", kb["total"]),
        ("MemFree", kb["free"]),
        ("MemAvailable", kb["available"]),
        ("Buffers", kb["cache"] // 20),
        ("Cached", kb["cache"]),
        ("SwapCached", kb["swap_total"] and 81234),
        ("Active", kb["used"] * 7 // 10),
        ("Inactive", kb["used"] * 3 // 10),
        ("SwapTotal", kb["swap_total"]),
        ("SwapFree", kb["swap_free"]),
        ("Dirty", 1224),
        ("Writeback", 0),
        ("AnonPages", kb["used"] * 9 // 10),
        ("Mapped", kb["used"] // 12),
        ("Shmem", kb["total"] // 40),
        ("Slab", kb["total"] // 50),
        ("PageTables", kb["used"] // 60),
        ("CommitLimit", kb["total"] // 2 + kb["swap_total"]),
        ("Committed_AS", kb["used"] * 3 // 2),
        ("HugePages_Total", 0),
    ]
    return "".join(
        f"{name + ':':<16}{value:>8}{'' if name.startswith('Huge') else ' kB'}\n"
        for name, value in rows
    )


def free_m(state: HostState) -> str:
    """Returns ``free -m`` output."""
    kb = _mem_kb(state)
    mb = {key: value // 1024 for key, value in kb.items()}
    shared = mb["total"] // 40
    return (
        "               total        used        free      shared  buff/cache   available\n"
        f"Mem:    {mb['total']:>12}{mb['used']:>12}{mb['free']:>12}{shared:>12}"
        f"{mb['cache'] + mb['cache'] // 20:>12}{mb['available']:>12}\n"
        f"Swap:   {mb['swap_total']:>12}{mb['swap_total'] - mb['swap_free']:>12}"
        f"{mb['swap_free']:>12}\n"
    )


def _git_mount(traffic: Traffic) -> tuple[str, str, str]:
    storage = traffic.scenario.storage
    options = (
        "rw,relatime,vers=4.1,rsize=1048576,wsize=1048576,hard,proto=tcp,timeo=600"
        if storage.fs_type == "nfs4"
        else "rw,noatime"
    )
    return storage.device, storage.fs_type, options


def df_ht(traffic: Traffic, state: HostState) -> str:
    """Returns ``df -hT``; git data sits on its own volume (NFS in slow-storage)."""
    rows = [
        ("/dev/root", "ext4", "97G", "31G", "67G", "32%", "/"),
        (
            "tmpfs",
            "tmpfs",
            f"{state.host.mem_gb / 2:.1f}G",
            "0",
            f"{state.host.mem_gb / 2:.1f}G",
            "0%",
            "/dev/shm",
        ),
        ("/dev/nvme0n1p15", "vfat", "105M", "6.1M", "99M", "6%", "/boot/efi"),
    ]
    if "gitaly" in state.host.roles:
        device, fs_type, _ = _git_mount(traffic)
        rows.append(
            (device, fs_type, "500G", "212G", "289G", "43%", "/var/opt/gitlab/git-data")
        )
    header = ("Filesystem", "Type", "Size", "Used", "Avail", "Use%", "Mounted on")
    width = max(len(r[0]) for r in rows) + 2
    lines = [
        f"{header[0]:<{width}}{header[1]:<7}{header[2]:>5}{header[3]:>6}"
        f"{header[4]:>6}{header[5]:>5} {header[6]}"
    ]
    for row in rows:
        lines.append(
            f"{row[0]:<{width}}{row[1]:<7}{row[2]:>5}{row[3]:>6}{row[4]:>6}"
            f"{row[5]:>5} {row[6]}"
        )
    return "\n".join(lines) + "\n"


def mounts(traffic: Traffic) -> str:
    """Returns /proc/mounts."""
    device, fs_type, options = _git_mount(traffic)
    return (
        "/dev/root / ext4 rw,relatime,discard,errors=remount-ro 0 0\n"
        "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
        "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
        "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n"
        "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n"
        "/dev/nvme0n1p15 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0\n"
        f"{device} /var/opt/gitlab/git-data {fs_type} {options} 0 0\n"
    )


def _load(state: HostState, window: int) -> float:
    return state.util[window] * state.host.cpus + state.io_busy[window]


def uptime(state: HostState) -> str:
    """Returns ``uptime``; load averages count runnable and IO-blocked tasks."""
    now = clock.iso_s(state.end_s)[11:19]
    loads = ", ".join(f"{_load(state, w):.2f}" for w in range(3))
    return f" {now} up 23 days,  4:12,  1 user,  load average: {loads}\n"


def _cpu_split(state: HostState, rng: random.Random) -> tuple[int, int, int, int]:
    """Returns (user, system, idle, iowait) percentages for one sample."""
    busy = min(99.0, state.util[0] * 100 * rng.uniform(0.9, 1.1))
    wait = min(
        100 - busy, state.io_busy[0] / state.host.cpus * 100 * rng.uniform(0.8, 1.2)
    )
    user = round(busy * 0.8)
    system = round(busy) - user
    iowait = round(wait)
    return user, system, max(0, 100 - user - system - iowait), iowait


def vmstat(state: HostState, rng: random.Random) -> str:
    """Returns ``vmstat 1 10``."""
    kb = _mem_kb(state)
    lines = [
        "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----",
        " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st",
    ]
    for _ in range(10):
        user, system, idle, iowait = _cpu_split(state, rng)
        runnable = max(
            0, round(state.util[0] * state.host.cpus * rng.uniform(0.7, 1.3))
        )
        blocked = max(0, round(state.io_busy[0] * rng.uniform(0.6, 1.4)))
        si = round(rng.uniform(150, 900)) if state.swapping else 0
        so = round(rng.uniform(200, 1200)) if state.swapping else 0
        bi = round(rng.uniform(50, 400) + state.io_busy[0] * 900 + si)
        bo = round(rng.uniform(200, 900) + so)
        swpd = kb["swap_total"] - kb["swap_free"]
        lines.append(
            f"{runnable:>2} {blocked:>2} {swpd:>6} {kb['free']:>6} {kb['cache'] // 20:>6} "
            f"{kb['cache']:>6} {si:>4} {so:>4} {bi:>5} {bo:>5} {rng.randint(2000, 9000):>4} "
            f"{rng.randint(3000, 15000):>4} {user:>2} {system:>2} {idle:>2} {iowait:>2}  0"
        )
    return "\n".join(lines) + "\n"


def iostat(traffic: Traffic, state: HostState, rng: random.Random) -> str:
    """Returns ``iostat -xz 1 10`` (block devices only; NFS does not appear)."""
    devices = [("nvme0n1", 0.4, 0.3)]
    storage = traffic.scenario.storage
    if "gitaly" in state.host.roles and storage.device.startswith("/dev/"):
        util = min(0.99, sum(traffic.io_util[traffic.topology.host_of("gitaly")][-1:]))
        devices.append((storage.device.rsplit("/", 1)[-1], util, storage.op_ms))
    header = (
        "Device            r/s     rkB/s   r_await  w/s     wkB/s   w_await  "
        "aqu-sz  %util"
    )
    blocks = []
    for _ in range(10):
        user, system, idle, iowait = _cpu_split(state, rng)
        rows = [
            f"avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n"
            f"          {user:6.2f}    0.00  {system:6.2f}  {iowait:6.2f}    0.00  "
            f"{idle:6.2f}\n",
            header,
        ]
        for name, util, op_ms in devices:
            reads = util * storage.iops * 0.75 if util > 0.3 else rng.uniform(2, 30)
            writes = reads / 3
            await_ms = op_ms * (1 + util / max(0.01, 1 - util))
            rows.append(
                f"{name:<14}{reads:8.2f}{reads * 16:10.2f}{await_ms:9.2f}"
                f"{writes:8.2f}{writes * 24:10.2f}{await_ms * 1.3:9.2f}"
                f"{(reads + writes) * await_ms / 1000:8.2f}{util * 100:7.2f}"
            )
        blocks.append("\n".join(rows) + "\n")
    banner = f"Linux 5.15.0-1057-aws ({state.host.name}) \t05/07/2024 \t_x86_64_\t"
    return f"{banner}({state.host.cpus} CPU)\n\n" + "\n".join(blocks)


def mpstat(state: HostState, rng: random.Random) -> str:
    """Returns ``mpstat -P ALL`` averages."""
    lines = [
        "Average:     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  "
        "%guest  %gnice   %idle"
    ]
    for cpu in ["all", *range(state.host.cpus)]:
        user, system, idle, iowait = _cpu_split(state, rng)
        lines.append(
            f"Average:     {cpu:>3}  {user:6.2f}    0.00  {system:6.2f}  "
            f"{iowait:6.2f}    0.00    0.31    0.00    0.00    0.00  {idle:6.2f}"
        )
    return "\n".join(lines) + "\n"


def _psi(
    some: tuple[float, float, float], full: tuple[float, float, float] | None
) -> str:
    def row(kind: str, values: tuple[float, float, float]) -> str:
        total = int(values[2] * UPTIME_S * 1e4)
        return (
            f"{kind} avg10={values[0]:.2f} avg60={values[1]:.2f} "
            f"avg300={values[2]:.2f} total={total}\n"
        )

    zero = (0.0, 0.0, 0.0)
    return row("some", some) + row("full", full if full is not None else zero)


def _cpu_waiting(util: float, cpus: int) -> float:
    """Share of time some task waits for a CPU: about rho**sqrt(2(c+1)) in M/M/c."""
    return 100 * min(1.0, util) ** math.sqrt(2 * (cpus + 1))


def pressure_cpu(state: HostState) -> str:
    """Returns /proc/pressure/cpu."""
    values = tuple(_cpu_waiting(u, state.host.cpus) for u in state.util)
    return _psi(values, None)  # type: ignore[arg-type]


def pressure_io(state: HostState) -> str:
    """Returns /proc/pressure/io; some = chance at least one task waits on IO."""
    some = tuple(100 * (1 - math.exp(-b)) for b in state.io_busy)
    full = tuple(s * 0.6 for s in some)
    return _psi(some, full)  # type: ignore[arg-type]


def pressure_mem(state: HostState) -> str:
    """Returns /proc/pressure/memory; non-zero only while the host swaps."""
    if not state.swapping:
        return _psi((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    some = tuple(min(60.0, 35 * u) for u in state.util)
    return _psi(some, tuple(s * 0.4 for s in some))  # type: ignore[arg-type]


ULIMIT = """core file size          (blocks, -c) 0
data seg size           (kbytes, -d) unlimited
scheduling priority             (-e) 0
file size               (blocks, -f) unlimited
pending signals                 (-i) 63457
max locked memory       (kbytes, -l) 65536
max memory size         (kbytes, -m) unlimited
open files                      (-n) 1024
pipe size            (512 bytes, -p) 8
POSIX message queues     (bytes, -q) 819200
real-time priority              (-r) 0
stack size              (kbytes, -s) 8192
cpu time               (seconds, -t) unlimited
max user processes              (-u) 63457
virtual memory          (kbytes, -v) unlimited
file locks                      (-x) unlimited
"""


def gitlab_status(state: HostState, rng: random.Random) -> str:
    """Returns ``gitlab-ctl status`` for the services this node runs."""
    services = list(state.host.services) + ["logrotate", "node-exporter"]
    lines = []
    for name in sorted(services):
        pid = rng.randint(300, 30000)
        up = UPTIME_S - rng.randint(60, 3600)
        lines.append(
            f"run: {name}: (pid {pid}) {up}s; run: log: (pid {pid - 17}) {up + 4}s"
        )
    return "\n".join(lines) + "\n"


def timedatectl(state: HostState) -> str:
    """Returns ``timedatectl`` with the clock synchronised."""
    local = clock.iso_s(state.end_s).replace("T", " ").rstrip("Z")
    return (
        f"               Local time: Tue {local} UTC\n"
        f"           Universal time: Tue {local} UTC\n"
        f"                 RTC time: Tue {local}\n"
        "                Time zone: Etc/UTC (UTC, +0000)\n"
        "System clock synchronized: yes\n"
        "              NTP service: active\n"
        "          RTC in local TZ: no\n"
    )


def version_manifest() -> str:
    """Returns a trimmed /opt/gitlab/version-manifest.json of a 16.11 package."""
    software = {
        "gitlab-rails": GITLAB_VERSION + "-ee",
        "gitaly": GITLAB_VERSION,
        "gitlab-workhorse": GITLAB_VERSION,
        "gitlab-shell": "14.35.0",
        "postgresql": "14.11",
        "redis": "7.0.15",
        "nginx": "1.24.0",
        "git": "2.44.1",
    }
    manifest = {
        "manifest_format": 2,
        "software": {
            name: {
                "display_version": version,
                "locked_version": version,
                "source_type": "git",
            }
            for name, version in software.items()
        },
        "build_version": f"{GITLAB_VERSION}-ee.0",
        "build_git_revision": "5b0b5d5c2b1e",
        "license": "MIT",
    }
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def gitlab_rb(traffic: Traffic, state: HostState) -> str:
    """Returns a sanitized gitlab.rb: role switches plus the scenario's settings."""
    roles = state.host.roles
    lines = [
        "external_url 'https://gitlab.example.com'",
        "gitlab_rails['db_password'] = '[REDACTED]'",
        "gitlab_rails['initial_root_password'] = '[REDACTED]'",
    ]
    if len(traffic.topology.hosts) > 1:
        for role, switch in (
            ("rails", "puma['enable']"),
            ("sidekiq", "sidekiq['enable']"),
            ("gitaly", "gitaly['enable']"),
            ("postgresql", "postgresql['enable']"),
        ):
            lines.append(f"{switch} = {'true' if role in roles else 'false'}")
    lines += list(traffic.scenario.gitlab_rb)
    if "postgresql" in roles:
        lines.append("postgresql['log_min_duration_statement'] = 1000")
    return "\n".join(lines) + "\n"
