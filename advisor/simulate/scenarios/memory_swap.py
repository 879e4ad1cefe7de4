"""A 10 GB node swapping under 8 Puma workers, Sidekiq and Gitaly (mechanism 3).

Model: 8 vCPU / 10 GB, below the 16 GB single-node baseline (reference-data.md 3.5),
with the automatic 8 Puma workers sized for 16 GB. 2.5 GB of swap is in use and pages
move in and out (vmstat si/so). Requests stall on page faults: each gets extra time,
proportional to the load, outside every component (``duration_s`` well above the sum
of its parts, ``cpu_s`` well below ``duration_s``). Puma workers exceed the 1,500 MB
watchdog limit and log "rss memory limit exceeded" (reference-data.md 3.1).
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="memory-swap",
    summary="10 GB node swapping: unexplained request time, watchdog restarts, si/so",
    doc=__doc__ or "",
    mem_gb=10.0,
    swap_gb=4.0,
    swap_used_gb=2.5,
    stall_ms=350.0,
)
