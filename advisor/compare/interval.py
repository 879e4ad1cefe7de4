"""Bootstrap confidence intervals for a ratio of percentiles, drawn from sketches.

Each side's events are resampled with replacement from its sketch (equivalent to
resampling the events, up to the sketch's 1 % bucket width). The percentile of every
draw gives a bootstrap distribution; the interval of the ratio is the central
``level`` share of the ratios of paired draws (percentile method). The random
generator is seeded from the key, so the same inputs always give the same interval,
whatever order keys are compared in.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING

from advisor.stats.sketch import Sketch

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

DRAWS = 2000
SEED = 20240507


def rng_for(label: str) -> np.random.Generator:
    """A generator seeded from a stable hash of ``label``."""
    import numpy as np

    return np.random.default_rng([SEED, zlib.crc32(label.encode())])


def percentile_draws(
    sketch: Sketch, q: float, rng: np.random.Generator, draws: int = DRAWS
) -> np.ndarray:
    """Bootstrap draws of a sketch's q-quantile.

    The order statistic at rank r of a resample of n events lies at or below bucket j
    exactly when at least r + 1 resampled events do, a binomial event with the share
    of events up to j; that gives its distribution over buckets in closed form, which
    is then sampled by inverse transform (the same law as resampling, far cheaper).
    """
    import numpy as np
    from scipy.stats import binom

    start, counts = sketch.dense()
    values = np.array([0.0] + [sketch.value(start + i) for i in range(len(counts))])
    weights = np.array([sketch.zeros, *counts], dtype=float)
    total = int(weights.sum())
    rank = int(q * (total - 1))
    shares = np.minimum(weights.cumsum() / total, 1.0)
    cdf = binom.sf(rank, total, shares)
    cdf[-1] = 1.0
    picks = np.searchsorted(cdf, rng.random(draws), side="right")
    return values[np.minimum(picks, len(values) - 1)]


def ratio_interval(
    observed: Sketch,
    baseline: Sketch | float,
    q: float,
    label: str,
    level: float = 0.95,
) -> tuple[float, float]:
    """Interval of observed/baseline at quantile q; a float baseline is a threshold."""
    import numpy as np

    rng = rng_for(label)
    top = percentile_draws(observed, q, rng)
    if isinstance(baseline, Sketch):
        bottom = percentile_draws(baseline, q, rng)
    else:
        bottom = np.full(top.shape, float(baseline))
    ratios = top / np.maximum(bottom, 1e-9)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    return float(low), float(high)
