"""Scenario simulator: writes gitlabsos-shaped archives of healthy or faulty instances."""

from __future__ import annotations

import logging

from advisor.simulate.bulk import (
    write_gitaly_log,
    write_production_log,
    write_sidekiq_log,
)
from advisor.simulate.cache import default_archive
from advisor.simulate.generator import generate
from advisor.simulate.scenarios import SCENARIOS, Scenario

log = logging.getLogger(__name__)

__all__ = [
    "SCENARIOS",
    "Scenario",
    "default_archive",
    "generate",
    "write_gitaly_log",
    "write_production_log",
    "write_sidekiq_log",
]
