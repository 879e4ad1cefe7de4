"""Too few Puma workers: requests queue in Workhorse before Puma (mechanism 12).

Model: ``puma['worker_processes'] = 2`` on the 8 vCPU node (the automatic count would
be 8, reference-data.md 3.1), so Puma has 2 x 4 = 8 request slots. Git-over-SSH
authorisation and post-receive calls are slow (about 2 s extra each) and hold slots.
At 1k peak load (20 API RPS, reference-data.md 1.1) the offered load approaches the 8
slots, and the FCFS queue in front of Puma makes ``queue_duration_s`` large while the
handled ``duration_s`` stays short; CPU is mostly idle.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="puma-saturation",
    summary="2 Puma workers on 8 cores: requests queue before Puma (queue_duration_s)",
    doc=__doc__ or "",
    puma_workers=2,
    internal_api_ms=2000.0,
    gitlab_rb=("puma['worker_processes'] = 2",),
)
