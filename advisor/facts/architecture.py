"""Reference architecture tables (reference-data.md sections 1.1 and 1.2)."""

from __future__ import annotations

import logging
from typing import NamedTuple

log = logging.getLogger(__name__)

#: Sizes from smallest to largest, with the user count each is named after.
SIZES = ("1k", "2k", "3k", "5k", "10k", "25k", "50k")
USERS = {"1k": 1000, "2k": 2000, "3k": 3000, "5k": 5000, "10k": 10000, "25k": 25000}
USERS["50k"] = 50000

#: Peak RPS targets per class (section 1.1).
RPS_TARGETS: dict[str, dict[str, float]] = {
    "1k": {"api": 20, "web": 2, "git_pull": 2, "git_push": 1},
    "2k": {"api": 40, "web": 4, "git_pull": 4, "git_push": 1},
    "3k": {"api": 60, "web": 6, "git_pull": 6, "git_push": 1},
    "5k": {"api": 100, "web": 10, "git_pull": 10, "git_push": 2},
    "10k": {"api": 200, "web": 20, "git_pull": 20, "git_push": 4},
    "25k": {"api": 500, "web": 50, "git_pull": 50, "git_push": 10},
    "50k": {"api": 1000, "web": 100, "git_pull": 100, "git_push": 20},
}

#: RPS per 1,000 users by class (section 1.1, "Rule for each 1,000 users").
RPS_PER_1000_USERS = {"api": 20.0, "web": 2.0, "git_pull": 2.0, "git_push": 0.4}

#: A peak may exceed an RA's target by this share and still fit it (sizing guide).
HEADROOM = 0.15

#: Share of the nominal memory a node must show; MemTotal reads below the label.
MEMORY_TOLERANCE = 0.9


class Spec(NamedTuple):
    """Nodes × (vCPU / GB RAM) for one role in one size."""

    nodes: int
    vcpus: int
    memory_gb: float


#: The single node of the 1k architecture.
SINGLE_NODE = Spec(1, 8, 16.0)

#: Per-role sizing of the multi-node architectures (section 1.2, current docs).
ROLE_SPECS: dict[str, dict[str, Spec]] = {
    "rails": {
        "2k": Spec(2, 8, 7.2),
        "3k": Spec(3, 8, 7.2),
        "5k": Spec(3, 16, 14.4),
        "10k": Spec(3, 32, 28.8),
        "25k": Spec(5, 32, 28.8),
        "50k": Spec(12, 32, 28.8),
    },
    "sidekiq": {
        "2k": Spec(1, 4, 15),
        "3k": Spec(2, 4, 15),
        "5k": Spec(2, 4, 15),
        "10k": Spec(4, 4, 15),
        "25k": Spec(4, 4, 15),
        "50k": Spec(4, 4, 15),
    },
    "gitaly": {
        "2k": Spec(1, 4, 15),
        "3k": Spec(3, 4, 15),
        "5k": Spec(3, 8, 30),
        "10k": Spec(3, 16, 60),
        "25k": Spec(3, 32, 120),
        "50k": Spec(3, 64, 240),
    },
    "postgresql": {
        "2k": Spec(1, 2, 7.5),
        "3k": Spec(3, 2, 7.5),
        "5k": Spec(3, 4, 15),
        "10k": Spec(3, 8, 30),
        "25k": Spec(3, 16, 60),
        "50k": Spec(3, 32, 120),
    },
}

#: Roles whose capacity adds up across nodes; the others are replicas of one node.
SCALE_OUT_ROLES = ("rails", "sidekiq")


def size_for_users(users: int) -> str:
    """Returns the smallest size named for at least `users` users."""
    return next((size for size in SIZES if USERS[size] >= users), "above 50k")


def size_for_load(peaks: dict[str, float]) -> str:
    """Returns the smallest size whose targets, plus 15 % headroom, cover every peak.

    ``peaks`` are the 95th percentiles of one-minute rates (requests per second).
    Even a steady load at exactly a target has minutes above it (arrivals are
    random), so a peak fits when it is no more than that load's own 95th percentile.
    """
    for size in SIZES:
        targets = RPS_TARGETS[size]
        if all(
            peak <= steady_p95(targets[kind] * (1 + HEADROOM))
            for kind, peak in peaks.items()
        ):
            return size
    return "above 50k"


def steady_p95(rate: float) -> float:
    """The 95th percentile of one-minute rates of random arrivals at ``rate`` per s.

    Arrivals in a minute follow a Poisson law of mean 60 x rate; at 1 request a
    second its 95th percentile is 73 a minute, 1.22 per second.
    """
    from scipy.stats import poisson

    return float(poisson.ppf(0.95, 60 * rate)) / 60


def smaller(first: str, second: str) -> str:
    """Returns the smaller of two size names (`below 1k` sorts first)."""
    order = ("below 1k", *SIZES)
    return min(first, second, key=order.index)
