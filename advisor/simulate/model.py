"""Load curve, queueing and latency draws shared by every scenario.

The simulator never applies a constant slowdown multiplier: a fault changes a capacity
(cores, IOPS, Puma slots, Sidekiq threads, Gitaly limits) or a per-operation cost, and
latency follows from utilisation through the queueing formulas below.
"""

from __future__ import annotations

import heapq
import logging
import math
import random
from collections.abc import Iterable
from statistics import NormalDist

log = logging.getLogger(__name__)

#: Standard normal quantiles at (i + 0.5) / 8192: a table draw is several times faster
#: than ``random.gauss`` and reaches +-3.8 sigma; the Pareto mix supplies the far tail.
_NORMAL_TABLE = tuple(NormalDist().inv_cdf((i + 0.5) / 8192) for i in range(8192))

#: Hourly shape of a working day (UTC hours 0-23), 1.0 at the afternoon peak.
#: Off-hours stay near 30 % because CI and automation keep running; the sizing guide
#: flags more than 50 % off-hours load as heavy automation (reference-data.md, 1.1).
DAY_SHAPE = (
    0.28, 0.26, 0.25, 0.25, 0.26, 0.30, 0.38, 0.52, 0.70, 0.86, 0.94, 0.97,
    0.93, 0.96, 1.00, 0.98, 0.92, 0.80, 0.62, 0.48, 0.40, 0.36, 0.33, 0.30,
)  # fmt: skip

#: Weekend days carry this share of a weekday's load.
WEEKEND_FACTOR = 0.35


def day_load(epoch_s: float) -> float:
    """Returns the load factor (peak 1.0) at a UTC time, interpolated between hours."""
    hours = (epoch_s / 3600.0) % 24.0
    low = int(hours)
    frac = hours - low
    value = DAY_SHAPE[low] * (1 - frac) + DAY_SHAPE[(low + 1) % 24] * frac
    weekday = int(epoch_s // 86400 + 3) % 7  # 1970-01-01 was a Thursday (3)
    return value * (WEEKEND_FACTOR if weekday >= 5 else 1.0)


def minute_loads(start_s: float, minutes: int, rng: random.Random) -> list[float]:
    """Returns per-minute load factors: the day curve times AR(1) gamma-like noise."""
    loads = []
    noise = 0.0
    for minute in range(minutes):
        noise = 0.8 * noise + rng.gauss(0.0, 0.08)
        loads.append(day_load(start_s + 60 * minute + 30) * math.exp(noise))
    return loads


def poisson(rng: random.Random, mean: float) -> int:
    """Draws a Poisson count; normal approximation above 50 keeps it fast."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def arrivals(rng: random.Random, loads: list[float], rate_per_s: float) -> list[float]:
    """Returns sorted arrival times (seconds from start) of a load-modulated Poisson."""
    times: list[float] = []
    for minute, load in enumerate(loads):
        count = poisson(rng, rate_per_s * load * 60.0)
        times.extend(60.0 * minute + 60.0 * rng.random() for _ in range(count))
    times.sort()
    return times


def heavy(rng: random.Random, median: float, sigma: float, tail: float = 0.01) -> float:
    """Draws a lognormal around ``median`` with a Pareto tail on a ``tail`` share."""
    value = median * math.exp(sigma * _NORMAL_TABLE[int(rng.random() * 8192)])
    if tail and rng.random() < tail:
        value *= rng.paretovariate(1.6)
    return value


def wait_factor(rho: float, servers: int) -> float:
    """Returns response/service time of an M/M/c queue (Sakasegawa's approximation).

    ``1 + rho**(sqrt(2(c+1))) / (c (1 - rho))``: close to 1 at low utilisation and
    growing without bound as ``rho`` approaches 1; capped at rho 0.985 for overload.
    """
    rho = min(max(rho, 0.0), 0.985)
    servers = max(servers, 1)
    return 1.0 + rho ** math.sqrt(2 * (servers + 1)) / (servers * (1.0 - rho))


def fcfs_waits(
    arrivals_s: Iterable[float], services_s: Iterable[float], servers: int
) -> list[float]:
    """Simulates a first-come first-served queue with ``servers`` slots; returns waits.

    Arrivals must be sorted. Each job takes the slot that frees first, so bursts and
    sustained overload build real backlogs instead of a fixed delay.
    """
    free_at = [0.0] * max(servers, 1)
    heapq.heapify(free_at)
    waits = []
    for arrival, service in zip(arrivals_s, services_s, strict=True):
        earliest = heapq.heappop(free_at)
        start = max(arrival, earliest)
        waits.append(start - arrival)
        heapq.heappush(free_at, start + service)
    return waits


def busy_seconds(
    starts_s: Iterable[float], lengths_s: Iterable[float], minutes: int
) -> list[float]:
    """Spreads busy intervals over minute buckets; returns busy seconds per minute."""
    buckets = [0.0] * minutes
    for start, length in zip(starts_s, lengths_s, strict=True):
        end = start + length
        minute = int(start // 60)
        while minute < minutes and start < end:
            edge = min(end, 60.0 * (minute + 1))
            buckets[minute] += edge - start
            start, minute = edge, minute + 1
    return buckets
