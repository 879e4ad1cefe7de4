"""A tight Gitaly per-repo limit drops bursts of CI fetches (ResourceExhausted).

Model: concurrency limiting on ``PostUploadPackWithSidechannel`` and
``SSHUploadPackWithSidechannel`` set tighter than the documented example
(``max_per_repo: 20``, ``max_queue_wait: 1s``, ``max_queue_size: 10``;
reference-data.md 2.3) at ``max_per_repo: 4``, ``max_queue_size: 6``. Bursts of 30
parallel CI fetches of ``acme/monorepo`` queue behind the limit; callers beyond the
queue size or waiting past 1 s get ``ResourceExhausted`` with
``limit.concurrency_dropped`` (``max_size`` or ``max_time``). CPU stays moderate: the
limit protects the node but users are disconnected (gitlab-logs.md 3.3).
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import CloneStorm, GitalyLimit, Scenario

SCENARIO = Scenario(
    name="gitaly-concurrency-limit",
    summary="tight Gitaly per-repo limit: CI fetch bursts end in ResourceExhausted",
    doc=__doc__ or "",
    clone_storm=CloneStorm(pipelines_per_hour=10.0, jobs_per_pipeline=30, cpu_ms=4000),
    gitaly_limit=GitalyLimit(max_per_repo=4, max_queue_size=6, max_queue_wait_s=1.0),
    gitlab_rb=(
        "gitaly['configuration'] = {",
        "  concurrency: [",
        "    { rpc: '/gitaly.SmartHTTPService/PostUploadPackWithSidechannel',",
        "      max_per_repo: 4, max_queue_wait: '1s', max_queue_size: 6 },",
        "    { rpc: '/gitaly.SSHService/SSHUploadPackWithSidechannel',",
        "      max_per_repo: 4, max_queue_wait: '1s', max_queue_size: 6 },",
        "  ],",
        "}",
    ),
)
