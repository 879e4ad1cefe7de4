"""The fact vocabulary: every fact name rules may use, with its kind, component and unit.

A fact is one flat record the engine matches on. The vocabulary is the single list of
names; `docs/vocabulary.md` is generated from it (`render_markdown`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, cast

from pydantic import BaseModel

log = logging.getLogger(__name__)

Value = float | bool | str
ValueType = Literal["number", "bool", "text"]


#: Families with one value per node (the others describe logs or the environment).
NODE_KINDS = ("host", "config", "storage")


class Fact(BaseModel):
    """One observation handed to the rules engine."""

    name: str
    """A name from the vocabulary, e.g. `gitaly.unary_p95_ms`."""
    kind: str
    """The family: logs, host, storage, config, capacity, time, user, compare, load, score."""
    component: str
    value: Value
    key: str | None = None
    """The controller, route, method, worker, project or class the value is about."""
    metric: str | None = None
    """The statistic behind the value (`p95`, `share`, `count`...), when not obvious."""
    baseline: float | None = None
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    impact_s: float | None = None
    """Time this fact accounts for, in seconds; ranks findings by time lost."""
    node: str | None = None
    source: str = ""
    """The file (and line) or derivation the value came from."""
    line: int | None = None

    def engine_record(self, sid: str, index: int) -> dict[str, object]:
        """Returns the flat record asserted into the engine (no empty fields)."""
        record = {k: v for k, v in self.model_dump().items() if v is not None}
        record.update(sid=sid, id=index)
        if self.kind in NODE_KINDS:
            record.setdefault("node", "")  # rules compare the nodes of such facts
        return record


@dataclass(frozen=True)
class FactSpec:
    """The definition of one fact name."""

    name: str
    kind: str
    component: str
    type: ValueType
    unit: str
    description: str
    keyed: bool = False
    per_key: bool = False
    """Many facts of this name at once, one per key (component, kind...)."""


def _specs(
    kind: str, component: str, rows: list[tuple[str, str, str, str]]
) -> list[FactSpec]:
    out = []
    for name, type_, unit, text in rows:
        per_key = text.startswith("[per-key]")
        keyed = per_key or text.startswith("[keyed]")
        description = text.removeprefix("[keyed]").removeprefix("[per-key]").strip()
        value_type = cast(ValueType, type_)
        out.append(
            FactSpec(
                name, kind, component, value_type, unit, description, keyed, per_key
            )
        )
    return out


_LOGS = [
    *_specs(
        "logs",
        "rails",
        [
            (
                "rails.requests",
                "number",
                "count",
                "Rails web and API requests in the logs",
            ),
            ("rails.p95_ms", "number", "ms", "P95 duration of all Rails requests"),
            (
                "rails.db_share",
                "number",
                "share",
                "summed db_duration_s / summed duration_s",
            ),
            (
                "rails.gitaly_share",
                "number",
                "share",
                "summed gitaly_duration_s / summed duration_s",
            ),
            (
                "rails.redis_share",
                "number",
                "share",
                "summed redis_duration_s / summed duration_s",
            ),
            ("rails.cpu_share", "number", "share", "summed cpu_s / summed duration_s"),
            (
                "rails.unexplained_share",
                "number",
                "share",
                "share of request time outside db, gitaly, redis and cpu",
            ),
            (
                "rails.queue_p95_ms",
                "number",
                "ms",
                "P95 of queue_duration_s (Workhorse queue before Puma)",
            ),
            (
                "rails.error_pct",
                "number",
                "%",
                "requests answered with status 500 or above",
            ),
            (
                "rails.timeouts",
                "number",
                "count",
                "requests that ran 55 s or longer (near the 60 s Rack timeout)",
            ),
            (
                "rails.artifact_upload_p95_ms",
                "number",
                "ms",
                "P95 of job artifact uploads (POST /api/:version/jobs/:id/artifacts)",
            ),
            (
                "rails.artifact_upload_dependency_share",
                "number",
                "share",
                "db + gitaly share of artifact upload time",
            ),
            (
                "rails.watchdog_restarts",
                "number",
                "count",
                "Puma memory watchdog 'rss memory limit exceeded' lines (application_json.log)",
            ),
        ],
    ),
    *_specs(
        "logs",
        "gitaly",
        [
            ("gitaly.calls", "number", "count", "completed Gitaly RPCs"),
            ("gitaly.p95_ms", "number", "ms", "P95 of grpc.time_ms over all RPCs"),
            (
                "gitaly.cpu_share",
                "number",
                "share",
                "summed command.cpu_time_ms / summed grpc.time_ms (RPCs that ran git)",
            ),
            (
                "gitaly.unary_p95_ms",
                "number",
                "ms",
                "P95 of small unary reads (FindCommit, TreeEntry, GetBlob, ...)",
            ),
            (
                "gitaly.clone_p95_ms",
                "number",
                "ms",
                "P95 of clone and fetch RPCs (PostUploadPack*, SSHUploadPack*, PackObjectsHook)",
            ),
            (
                "gitaly.clone_time_share",
                "number",
                "share",
                "share of Gitaly time spent in clone and fetch RPCs",
            ),
            (
                "gitaly.clone_top_project_share",
                "number",
                "share",
                "[keyed] share of clone time of the busiest project (key)",
            ),
            (
                "gitaly.ref_p95_ms",
                "number",
                "ms",
                "P95 of ref RPCs (FindAllBranches, RefExists, ListRefs, ...)",
            ),
            (
                "gitaly.ref_top_project_ratio",
                "number",
                "ratio",
                "[keyed] ref-RPC P95 of the slowest project (key) / ref-RPC P95 of the others",
            ),
            (
                "gitaly.queue_p95_ms",
                "number",
                "ms",
                "P95 of limit.concurrency_queue_ms",
            ),
            (
                "gitaly.resource_exhausted",
                "number",
                "count",
                "RPCs ended with ResourceExhausted (concurrency limit drops)",
            ),
            (
                "gitaly.permission_denied_share",
                "number",
                "share",
                "share of RPCs ended with PermissionDenied",
            ),
            (
                "gitaly.deadline_exceeded",
                "number",
                "count",
                "RPCs ended with DeadlineExceeded",
            ),
            ("gitaly.cancel_pct", "number", "%", "RPCs the client cancelled"),
        ],
    ),
    *_specs(
        "logs",
        "sidekiq",
        [
            ("sidekiq.jobs", "number", "count", "completed Sidekiq jobs"),
            (
                "sidekiq.scheduling_p95_s",
                "number",
                "s",
                "P95 of scheduling_latency_s (enqueue to start)",
            ),
            ("sidekiq.duration_p95_s", "number", "s", "P95 of job duration_s"),
            (
                "sidekiq.db_share",
                "number",
                "share",
                "summed db_duration_s / summed duration_s of jobs",
            ),
            (
                "sidekiq.top_class_share",
                "number",
                "share",
                "[keyed] share of job time of the busiest worker class (key)",
            ),
            ("sidekiq.fail_pct", "number", "%", "jobs that ended in fail"),
        ],
    ),
    *_specs(
        "logs",
        "database",
        [
            (
                "postgres.slow_statements_per_hour",
                "number",
                "per hour",
                "PostgreSQL statements over log_min_duration_statement per hour of log span",
            ),
            (
                "postgres.slow_p95_ms",
                "number",
                "ms",
                "P95 duration of the logged slow statements",
            ),
            (
                "exceptions.db_timeouts",
                "number",
                "count",
                "statement timeouts (ActiveRecord::QueryCanceled) in exceptions_json.log",
            ),
        ],
    ),
    *_specs(
        "logs",
        "redis",
        [
            (
                "exceptions.redis_timeouts",
                "number",
                "count",
                "Redis::TimeoutError and Redis connection errors in exceptions_json.log",
            )
        ],
    ),
    *_specs(
        "logs",
        "logs",
        [
            (
                "logs.span_hours",
                "number",
                "h",
                "hours between the first and last event of all logs",
            ),
            (
                "logs.kind_present",
                "text",
                "",
                "[per-key] a log kind found among the inputs (value = kind)",
            ),
        ],
    ),
]

_ENV = [
    *_specs(
        "host",
        "host",
        [
            ("host.vcpus", "number", "vCPU", "vCPUs of the node (lscpu)"),
            ("host.memory_gb", "number", "GiB", "memory of the node (meminfo)"),
            ("host.swap_used_mb", "number", "MiB", "swap in use (free -m / meminfo)"),
            (
                "host.swap_in_kb_s",
                "number",
                "kB/s",
                "pages swapped in per second (vmstat si)",
            ),
            (
                "host.swap_out_kb_s",
                "number",
                "kB/s",
                "pages swapped out per second (vmstat so)",
            ),
            ("host.cpu_busy_pct", "number", "%", "CPU busy (100 - idle)"),
            ("host.iowait_pct", "number", "%", "CPU time waiting for IO"),
            ("host.steal_pct", "number", "%", "CPU time stolen by the hypervisor"),
            ("host.load_per_vcpu", "number", "ratio", "1-minute load average / vCPUs"),
            ("host.pressure_cpu", "number", "%", "PSI cpu some avg60"),
            ("host.pressure_io", "number", "%", "PSI io some avg60"),
            ("host.pressure_memory", "number", "%", "PSI memory some avg60"),
            (
                "host.disk_await_ms",
                "number",
                "ms",
                "[keyed] highest read await of any device (key: device; iostat)",
            ),
            (
                "host.tcp_retransmits_per_s",
                "number",
                "per s",
                "TCP retransmits per second (sar)",
            ),
            (
                "host.network_peak_mbps",
                "number",
                "Mbit/s",
                "[keyed] busiest interface rx or tx (key: interface; sar -n DEV)",
            ),
        ],
    ),
    *_specs(
        "storage",
        "storage",
        [
            (
                "storage.git_data_network_fs",
                "bool",
                "",
                "git data sits on a network filesystem",
            ),
            (
                "storage.git_data_fs_type",
                "text",
                "",
                "filesystem type under the git data path",
            ),
            (
                "storage.postgresql_network_fs",
                "bool",
                "",
                "PostgreSQL data sits on a network filesystem",
            ),
        ],
    ),
    *_specs(
        "config",
        "config",
        [
            (
                "config.puma_workers",
                "number",
                "workers",
                "Puma workers (gitlab.rb or automatic)",
            ),
            (
                "config.puma_expected_workers",
                "number",
                "workers",
                "Puma workers the node fits: min(vCPUs, RAM GiB - 1.5), at least 2",
            ),
            (
                "config.puma_workers_ratio",
                "number",
                "ratio",
                "configured / expected Puma workers (min(vCPUs, RAM GiB - 1.5), at least 2)",
            ),
            ("config.sidekiq_processes", "number", "processes", "Sidekiq processes"),
            (
                "config.sidekiq_concurrency",
                "number",
                "threads",
                "Sidekiq threads per process",
            ),
            (
                "config.pack_objects_cache",
                "bool",
                "",
                "Gitaly pack-objects cache enabled",
            ),
            (
                "config.gitaly_max_per_repo",
                "number",
                "",
                "tightest Gitaly max_per_repo concurrency limit",
            ),
            (
                "config.db_connection_ratio",
                "number",
                "ratio",
                "database connection demand / max_connections",
            ),
            (
                "config.pending_migrations",
                "number",
                "count",
                "database migrations not yet run",
            ),
            (
                "time.ntp_synchronized",
                "bool",
                "",
                "the clock is NTP-synchronised (timedatectl)",
            ),
        ],
    ),
    *_specs(
        "capacity",
        "capacity",
        [
            (
                "capacity.nodes",
                "number",
                "count",
                "nodes among the inputs (1: an all-in-one installation)",
            ),
            (
                "capacity.hardware_rank",
                "number",
                "rank",
                "reference architecture the hardware meets: 0 below 1k, 1 for 1k ... 7 for 50k",
            ),
            (
                "capacity.load_over_hardware",
                "number",
                "sizes",
                "sizes between the load the logs show and the hardware (load rank - hardware rank)",
            ),
            (
                "capacity.users_over_hardware",
                "number",
                "sizes",
                "sizes between the users of facts.yaml and the hardware",
            ),
            (
                "capacity.gitaly_colocated",
                "bool",
                "",
                "Gitaly shares its node with Rails or Sidekiq",
            ),
        ],
    ),
    *_specs(
        "user",
        "user",
        [
            (
                "user.fio_read_iops",
                "number",
                "IOPS",
                "lowest fio random-read IOPS given in facts.yaml",
            ),
            (
                "user.fio_write_iops",
                "number",
                "IOPS",
                "lowest fio random-write IOPS given in facts.yaml",
            ),
            (
                "user.network_rtt_ms",
                "number",
                "ms",
                "highest inter-node round trip given in facts.yaml",
            ),
        ],
    ),
]

_COMPARE = [
    *_specs(
        "compare",
        "any",
        [
            (
                "compare.key_ratio",
                "number",
                "ratio",
                "[per-key] observed / baseline percentile of a key (significant, enough events)",
            ),
            (
                "compare.slow_keys",
                "number",
                "count",
                "[per-key] keys of a component (the key) significantly slower than the baseline",
            ),
            (
                "load.pattern",
                "text",
                "",
                "[per-key] load pattern of a component (the key): load-induced, constant, "
                "intermittent, none, unknown",
            ),
            (
                "load.rho",
                "number",
                "rho",
                "[per-key] rank correlation of per-minute throughput and latency of a "
                "component (the key)",
            ),
            (
                "score.overall",
                "number",
                "0-100",
                "the environment's score against the baseline",
            ),
            (
                "score.component",
                "number",
                "0-100",
                "[per-key] a component's score against the baseline (key: component)",
            ),
        ],
    ),
]

#: Every fact name, in documentation order.
SPECS: dict[str, FactSpec] = {spec.name: spec for spec in (*_LOGS, *_ENV, *_COMPARE)}


def spec(name: str) -> FactSpec:
    """Returns the definition of a fact name (KeyError if unknown)."""
    return SPECS[name]


def make(name: str, value: Value, **fields: object) -> Fact:
    """Builds a fact of a known name, taking kind and component from the vocabulary."""
    definition = SPECS[name]
    fields.setdefault("component", definition.component)
    return Fact(name=name, kind=definition.kind, value=value, **fields)  # type: ignore[arg-type]


def render_markdown() -> str:
    """Returns the vocabulary as a Markdown section (generated into docs/vocabulary.md)."""
    lines = [
        "# Fact vocabulary",
        "",
        "<!-- Generated by `python -m advisor.engine.vocabulary`; do not edit. -->",
        "",
        "Rules name facts from this list. Every fact carries `name`, `kind`, `component`,",
        "`value`, and where they apply `key`, `baseline`, `ratio`, `ci_low`/`ci_high`,",
        "`impact_s` (time it accounts for), `node` and `source` (file and line).",
        "Keyed facts say what the key is; facts marked one per key come many at once (one",
        "per component or key), so a rule's text may name them only if the rule matches",
        "them. A fact the inputs cannot show is absent, never",
        "zero: a rule that needs it does not fire, and `advisor diagnose` lists it.",
        "",
    ]
    kinds: dict[str, list[FactSpec]] = {}
    for item in SPECS.values():
        kinds.setdefault(item.kind, []).append(item)
    for kind, items in kinds.items():
        lines += [
            f"## `{kind}`",
            "",
            "| name | type | unit | meaning |",
            "|---|---|---|---|",
        ]
        for item in items:
            keyed = (
                " (one per key)" if item.per_key else " (keyed)" if item.keyed else ""
            )
            lines.append(
                f"| `{item.name}` | {item.type}{keyed} | {item.unit} | {item.description} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
