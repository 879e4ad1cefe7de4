"""Every scenario the simulator knows, one module each, keyed by name."""

from __future__ import annotations

import logging

from advisor.simulate.scenarios import (
    db_missing_statistics,
    gitaly_concurrency_limit,
    gitaly_cpu_clone_storm,
    healthy,
    memory_swap,
    missing_housekeeping,
    puma_saturation,
    redis_latency,
    sidekiq_backlog,
    slow_storage,
    undersized_for_load,
)
from advisor.simulate.scenarios.base import Scenario

log = logging.getLogger(__name__)

SCENARIOS: dict[str, Scenario] = {
    module.SCENARIO.name: module.SCENARIO
    for module in (
        healthy,
        slow_storage,
        gitaly_cpu_clone_storm,
        gitaly_concurrency_limit,
        puma_saturation,
        sidekiq_backlog,
        db_missing_statistics,
        redis_latency,
        memory_swap,
        undersized_for_load,
        missing_housekeeping,
    )
}

__all__ = ["SCENARIOS", "Scenario"]
