"""A 4 vCPU / 8 GB node carrying 1.2k users' traffic (reference-data.md 1.1-1.2, 3.1).

Model: the host has half the 8 vCPU / 16 GB of the 1k single node, runs the automatic
4 Puma workers for 4 CPU / 8 GB (reference-data.md 3.1), and receives 24 API RPS at
peak (1.2x the 1k target of 20). Puma, Sidekiq, Gitaly and PostgreSQL compete for 4
cores; at peak the CPU run queue (M/M/4) inflates every CPU-bound step, Puma's 16
slots start to queue and the load average approaches or passes the core count.
Nothing is broken; the host is smaller than the load needs.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="undersized-for-load",
    summary="4 vCPU / 8 GB node under 1.2x the 1k load: CPU saturated at peak",
    doc=__doc__ or "",
    cpus=4,
    mem_gb=8.0,
    puma_workers=4,
    rate=24.0,
)
