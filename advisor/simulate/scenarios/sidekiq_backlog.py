"""Sidekiq drains jobs slower than CI enqueues them (mechanism 4).

Model: one Sidekiq process (the default, reference-data.md 3.2) with concurrency
lowered to 5 (the guidance of "about 5 for CPU-bound work" applied to a mixed
workload) and a CI-heavy day with 4x the usual background job rate. At peak the offered work
(jobs/s x mean job time) exceeds the 5 threads, so the FCFS queue grows and
``scheduling_latency_s`` climbs past the urgency targets (10 s high, 1 min low) while
each job's ``duration_s`` stays normal. Cores stay mostly idle.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="sidekiq-backlog",
    summary="one Sidekiq process with 5 threads under CI load: scheduling latency grows",
    doc=__doc__ or "",
    sidekiq_concurrency=5,
    job_factor=4.0,
    gitlab_rb=("sidekiq['concurrency'] = 5",),
)
