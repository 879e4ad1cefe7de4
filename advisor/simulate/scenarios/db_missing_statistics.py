"""PostgreSQL without planner statistics after a restore or upgrade (mechanism 6).

Model: with no statistics the planner picks sequential scans on CI tables, so the
median query costs about 18x more (0.45 ms -> 8 ms) and 0.2 % of queries run past
the 1 s ``log_min_duration_statement`` (gitlab-logs.md 3.8) with a heavy (Pareto)
tail. ``db_count`` stays normal; ``db_duration_s`` becomes most of ``duration_s``
(above the 0.75 "bad" share of reference-data.md 5). Sequential scans burn database
CPU, which raises query latency further through the database host's CPU queue.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="db-missing-statistics",
    summary="no planner statistics: db-dominated requests and many slow statements",
    doc=__doc__ or "",
    db_query_ms=8.0,
    slow_query_share=0.002,
    db_cpu_share=0.3,
)
