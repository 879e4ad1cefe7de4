"""CI pipelines clone one large repository in parallel and saturate CPU (mechanism 2).

Model: ``acme/monorepo`` is fetched by 30 CI jobs per pipeline (started over 150 s), 36
pipelines an hour at peak, with ``git pack-objects`` costing about 12 CPU-seconds per
fetch
(no pack-objects cache, reference-data.md 2.3). Clones and fetches reach more than
90 % of Gitaly CPU (documented, gitlab-logs.md 3.3). On the shared 8 vCPU node the
run queue grows (M/M/8 on CPU), so unrelated RPCs and Rails requests slow down,
``command.spawn_token_wait_ms`` rises, and the load average exceeds the core count.
pack-objects is multi-threaded, so ``command.cpu_time_ms`` stays close to
``command.real_time_ms``.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import CloneStorm, Scenario

SCENARIO = Scenario(
    name="gitaly-cpu-clone-storm",
    summary="parallel CI fetches of one big repo; pack-objects saturates Gitaly CPU",
    doc=__doc__ or "",
    clone_storm=CloneStorm(
        pipelines_per_hour=36.0, jobs_per_pipeline=30, cpu_ms=12000.0, spread_s=150.0
    ),
)
