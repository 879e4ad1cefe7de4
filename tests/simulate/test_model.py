"""Queueing and load-curve helpers."""

from __future__ import annotations

import random

from advisor.simulate.model import day_load, fcfs_waits, heavy, wait_factor


def test_wait_factor_rises_with_utilisation() -> None:
    values = [wait_factor(rho, 8) for rho in (0.1, 0.5, 0.8, 0.95)]
    assert values == sorted(values)
    assert values[0] < 1.001 and values[-1] > 2


def test_fcfs_queue_builds_backlog_only_when_full() -> None:
    assert fcfs_waits([0.0, 0.0, 0.0], [1.0, 1.0, 1.0], 3) == [0.0, 0.0, 0.0]
    assert fcfs_waits([0.0, 0.0, 0.0], [1.0, 1.0, 1.0], 1) == [0.0, 1.0, 2.0]


def test_day_curve_peaks_in_the_afternoon_and_drops_at_weekends() -> None:
    tuesday = 1715040000  # 2024-05-07 00:00 UTC
    assert day_load(tuesday + 14 * 3600) > 3 * day_load(tuesday + 3 * 3600)
    assert day_load(tuesday + 4 * 86400 + 14 * 3600) < 0.5


def test_heavy_has_the_median_asked_for() -> None:
    rng = random.Random(1)
    draws = sorted(heavy(rng, 10.0, 0.8) for _ in range(20001))
    assert 9.0 < draws[10000] < 11.0
    assert draws[-1] > 100
