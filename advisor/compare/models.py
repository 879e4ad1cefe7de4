"""Results of comparing an environment with a baseline: what rules and reports read.

These models are the contract between the comparison layer (baselines, statistics of
comparison, load pattern, score) and everything downstream (rules, reports, the app).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

#: Components an environment is scored on, and that comparisons are grouped by.
Component = Literal["web", "api", "git", "gitaly", "sidekiq", "database"]

Pattern = Literal["load-induced", "constant", "intermittent", "none", "unknown"]


class KeyComparison(BaseModel):
    """One key (controller, route, Gitaly method, worker...) against its baseline."""

    kind: str
    """Log kind: production, api, gitaly, sidekiq, workhorse, shell, postgres."""
    key: str
    component: Component
    percentile: Literal["p50", "p90", "p95", "p99"] = "p95"
    count: int
    """Events of this key in the observed input."""
    observed_ms: float
    baseline_ms: float | None
    """None when the baseline has no value for this key."""
    baseline_count: int | None = None
    ratio: float | None = None
    """observed / baseline; above 1 means slower than the baseline."""
    ci_low: float | None = None
    ci_high: float | None = None
    """Confidence interval of the ratio (level in ``ci_level``)."""
    ci_level: float = 0.95
    significant: bool = False
    """The interval excludes 1 and the difference is larger than the stated margin."""
    enough_events: bool = True
    """False when either side has too few events to rank this key."""
    time_lost_s: float = 0.0
    """count x max(0, observed mean - baseline mean): the impact used for ranking."""
    source: str = ""
    """The baseline entry this key was matched to (name and key)."""
    metric: str = "duration"
    """What was measured: duration (Rails: plus the Workhorse queue), queue, db."""
    threshold: bool = False
    """True when ``baseline_ms`` is a target or published figure, not a recording."""
    observed_mean_ms: float | None = None
    baseline_mean_ms: float | None = None
    fail_pct: float = 0.0
    """Failed events / count x 100 in the observed input."""
    baseline_fail_pct: float | None = None
    """The same share in a recorded baseline (None for targets and published ones)."""


class LoadPattern(BaseModel):
    """Whether a component's latency rises with its throughput, minute by minute."""

    component: Component
    pattern: Pattern
    rho: float | None = None
    """Spearman rank correlation of per-minute throughput and latency."""
    p_value: float | None = None
    minutes: int = 0
    low_load_ms: float | None = None
    """Latency (per-minute P95, median over the quietest quarter of minutes)."""
    high_load_ms: float | None = None
    """Latency (per-minute P95, median over the busiest quarter of minutes)."""
    spikes: list[datetime] = Field(default_factory=list)
    """Minutes whose latency stands far above the rest, for intermittent spikes."""


class ComponentScore(BaseModel):
    """The score of one component, 0 to 100 (100: at least as good as the baseline)."""

    component: Component
    score: float | None
    """None when the component has too few events to be scored."""
    events: int
    keys_scored: int


class Score(BaseModel):
    """The environment's score against one baseline."""

    baseline: str
    overall: float | None
    components: list[ComponentScore]
