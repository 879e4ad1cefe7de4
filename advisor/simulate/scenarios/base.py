"""The knobs a scenario turns: hardware, process counts, per-operation costs, faults."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Storage:
    """The volume holding ``/var/opt/gitlab/git-data`` and how fast one IO is."""

    fs_type: str = "ext4"
    device: str = "/dev/nvme1n1"
    op_ms: float = 0.12
    iops: float = 20000.0
    queue_depth: int = 8


@dataclass(frozen=True, slots=True)
class CloneStorm:
    """CI pipelines whose parallel jobs all fetch one large repository."""

    project: str = "acme/monorepo"
    pipelines_per_hour: float = 20.0
    jobs_per_pipeline: int = 30
    cpu_ms: float = 25000.0
    spread_s: float = 20.0


@dataclass(frozen=True, slots=True)
class GitalyLimit:
    """A per-repository concurrency limit on the upload-pack RPCs (gitaly.toml)."""

    max_per_repo: int = 20
    max_queue_size: int = 10
    max_queue_wait_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """One documented model of a GitLab instance, healthy or with one fault."""

    name: str
    summary: str
    doc: str = ""
    cpus: int = 8
    mem_gb: float = 16.0
    swap_gb: float = 0.0
    swap_used_gb: float = 0.0
    puma_workers: int = 8
    puma_threads: int = 4
    sidekiq_processes: int = 1
    sidekiq_concurrency: int = 20
    rate: float = 20.0
    job_factor: float = 1.0
    storage: Storage = field(default_factory=Storage)
    db_query_ms: float = 0.45
    slow_query_share: float = 0.00002
    db_cpu_share: float = 0.5
    redis_call_ms: float = 0.22
    redis_spike_every_min: int = 0
    redis_spike_ms: float = 0.0
    stall_ms: float = 0.0
    clone_storm: CloneStorm | None = None
    gitaly_limit: GitalyLimit | None = None
    unhoused_project: str | None = None
    unhoused_ref_factor: float = 1.0
    internal_api_ms: float = 0.0
    background_cpu: float = 0.15
    gitlab_rb: tuple[str, ...] = ()
