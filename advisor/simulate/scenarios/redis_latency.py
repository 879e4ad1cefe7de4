"""Redis stalls on forks and evictions; every Redis call waits (mechanism 11).

Model: Redis sits near ``maxmemory`` with RDB persistence on the primary. Each call
costs about 2.5 ms instead of 0.2 ms, and every 10 minutes a save fork stalls the
single thread for about 20 s during which calls take around 150 ms and some exceed the
client timeout (``Redis::TimeoutError``). ``redis_duration_s`` per call is high while
database and Gitaly time stay normal.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="redis-latency",
    summary="Redis fork/eviction stalls: high redis_duration_s per call, timeouts",
    doc=__doc__ or "",
    redis_call_ms=2.5,
    redis_spike_every_min=10,
    redis_spike_ms=150.0,
)
