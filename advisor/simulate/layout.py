"""Which log files each node's archive holds, filled from the simulated traffic."""

from __future__ import annotations

import logging
import random
from pathlib import Path

from advisor.simulate import clock, writers
from advisor.simulate.traffic import GitalyCall, Traffic
from advisor.simulate.writers import Lines, write_lines

log = logging.getLogger(__name__)

LOG_ROOT = "var/log/gitlab"

#: Non-JSON lines that real services print into their JSON logs now and then.
GITALY_NOISE = (
    'time="{t}" level=info msg="Starting Gitaly" version="16.11.1"',
    'time="{t}" level=warning msg="git path not configured. Using default path '
    'resolution" resolvedPath=/opt/gitlab/embedded/bin/git',
)
SIDEKIQ_NOISE = ("sh: 1: /usr/sbin/sendmail: not found",)
WORKHORSE_NOISE = ("configFile: open config.toml: no such file or directory",)


def write_node_logs(
    traffic: Traffic, host: int, root: Path, rng: random.Random
) -> None:
    """Writes every log the roles of one host produce under ``root/var/log/gitlab``."""
    roles = traffic.topology.hosts[host].roles
    base = root / LOG_ROOT
    if "rails" in roles:
        _write_rails(traffic, host, base, rng)
    if "gitaly" in roles:
        _write_gitaly(traffic, base, rng)
    if "sidekiq" in roles:
        _write_sidekiq(traffic, host, base, rng)
    if "postgresql" in roles:
        _write_postgres(traffic, base, rng)


def _rails_node(traffic: Traffic, host: int) -> int:
    topo = traffic.topology
    return [topo.host_of("rails", n) for n in range(topo.rails_nodes)].index(host)


def _write_rails(traffic: Traffic, host: int, base: Path, rng: random.Random) -> None:
    epoch0, node = traffic.start_s, _rails_node(traffic, host)
    mine = [r for r in traffic.requests if r.node == node]
    production: Lines = []
    api: Lines = []
    for request in mine:
        target = production if request.endpoint.kind == "web" else api
        target.append((request.end, writers.rails_line(request, epoch0, rng)))
    rails = base / "gitlab-rails"
    write_lines(rails / "production_json.log", production, rng)
    write_lines(rails / "api_json.log", api, rng)
    errors = [
        writers.exception_line(r, r.exception, epoch0) for r in mine if r.exception
    ]
    write_lines(rails / "exceptions_json.log", errors, rng)
    write_lines(rails / "application_json.log", _application(traffic, node, rng), rng)
    workhorse = [writers.workhorse_line(r, epoch0) for r in mine]
    write_lines(base / "gitlab-workhorse/current", workhorse, rng, WORKHORSE_NOISE)
    write_lines(
        base / "nginx/gitlab_access.log",
        [writers.nginx_line(r, epoch0) for r in mine],
        rng,
    )
    sessions = [s for s in traffic.sessions if s.allowed.node == node]
    shell = [line for s in sessions for line in writers.shell_lines(s, epoch0)]
    write_lines(base / "gitlab-shell/gitlab-shell.log", shell, rng)


def _application(traffic: Traffic, node: int, rng: random.Random) -> Lines:
    """Returns Puma memory-watchdog events when memory is short, else a few notices."""
    out: Lines = []
    epoch0 = traffic.start_s
    sc = traffic.scenario
    for minute, load in enumerate(traffic.loads):
        t = epoch0 + 60 * minute + rng.uniform(0, 59)
        if sc.stall_ms and rng.random() < min(1.0, 1.6 * load):
            worker = rng.randrange(sc.puma_workers)
            line = {
                "severity": "WARN",
                "time": clock.iso_ms(t),
                "message": "rss memory limit exceeded",
                "memwd_handler_class": "Gitlab::Memory::Watchdog::PumaHandler",
                "memwd_sleep_time_s": 5,
                "memwd_rss_bytes": int(1572864000 * rng.uniform(1.02, 1.3)),
                "memwd_max_rss_bytes": 1572864000,
                "memwd_max_strikes": 5,
                "memwd_cur_strikes": 6,
                "pid": 3100 + worker,
                "worker_id": f"puma_{worker}",
            }
            out.append((t, writers._compact(line)))
        elif minute % 15 == 7:
            line = {
                "severity": "INFO",
                "time": clock.iso_ms(t),
                "correlation_id": f"{rng.getrandbits(128):032x}",
                "message": "Cleaning up expired user statuses",
                "node": node,
            }
            out.append((t, writers._compact(line)))
    return out


def _all_calls(traffic: Traffic) -> list[GitalyCall]:
    calls = [c for r in traffic.requests for c in r.calls]
    calls += [r.transfer for r in traffic.requests if r.transfer is not None]
    calls += [c for j in traffic.jobs for c in j.calls]
    calls += [s.rpc for s in traffic.sessions]
    return calls


def _write_gitaly(traffic: Traffic, base: Path, rng: random.Random) -> None:
    epoch0 = traffic.start_s
    lines = [
        (epoch0 + c.start + c.time_ms / 1000, writers.gitaly_line(c, epoch0))
        for c in _all_calls(traffic)
    ]
    for session in traffic.sessions:
        lines += writers.hook_lines(session, epoch0)
    noise_t = clock.iso_s(epoch0 + rng.uniform(60, traffic.minutes * 60))
    noise = tuple(text.replace("{t}", noise_t) for text in GITALY_NOISE)
    write_lines(base / "gitaly/current", lines, rng, noise)


def _write_sidekiq(traffic: Traffic, host: int, base: Path, rng: random.Random) -> None:
    topo = traffic.topology
    nodes = [topo.host_of("sidekiq", n) for n in range(topo.sidekiq_nodes)]
    node = nodes.index(host)
    epoch0 = traffic.start_s
    mine = [j for j in traffic.jobs if j.node == node]
    lines = [line for job in mine for line in writers.sidekiq_lines(job, epoch0, rng)]
    write_lines(base / "sidekiq/current", lines, rng, SIDEKIQ_NOISE)
    if "rails" not in topo.hosts[host].roles:
        errors = [writers.exception_line(j, j.error, epoch0) for j in mine if j.error]
        write_lines(base / "gitlab-rails/exceptions_json.log", errors, rng)


def _write_postgres(traffic: Traffic, base: Path, rng: random.Random) -> None:
    epoch0 = traffic.start_s
    lines = [
        (
            epoch0 + s.end,
            writers.postgres_line(epoch0 + s.end, s.duration_ms, s.statement, s.pid),
        )
        for s in traffic.statements
    ]
    for minute in range(2, traffic.minutes, 5):
        t = epoch0 + 60 * minute + 0.4
        stamp = f"{clock.svlogd(t)} {clock.postgres(t)} [812]"
        lines.append((t, f"{stamp} LOG:  checkpoint starting: time"))
        done = t + 29.8
        lines.append(
            (
                done,
                f"{clock.svlogd(done)} {clock.postgres(done)} [812] LOG:  "
                "checkpoint complete: wrote 1843 buffers (1.4%); 0 WAL file(s) "
                "added, 0 removed, 1 recycled; write=29.721 s, sync=0.012 s, "
                "total=29.801 s",
            )
        )
    write_lines(base / "postgresql/current", lines, rng)
