"""The log-bucket sketch: relative error bound, merging, storage form."""

from __future__ import annotations

import math
import random

import pytest

from advisor.errors import UsageError
from advisor.stats.sketch import Sketch

QUANTILES = (0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0)


def _exact(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[math.floor(q * (len(ordered) - 1))]


@pytest.mark.parametrize("accuracy", [0.01, 0.05])
@pytest.mark.parametrize("shape", ["lognormal", "pareto", "uniform"])
def test_quantiles_stay_within_the_relative_error(accuracy: float, shape: str) -> None:
    rng = random.Random(7)
    draw = {
        "lognormal": lambda: rng.lognormvariate(3, 1.5),
        "pareto": lambda: 5 * rng.paretovariate(1.2),
        "uniform": lambda: rng.uniform(0.01, 60000),
    }[shape]
    values = [draw() for _ in range(20000)]
    sketch = Sketch(accuracy).extend(values)
    for q in QUANTILES:
        exact = _exact(values, q)
        estimate = sketch.quantile(q)
        assert estimate is not None
        assert abs(estimate - exact) <= accuracy * exact * (1 + 1e-9)


def test_merging_equals_the_sketch_of_all_values() -> None:
    rng = random.Random(3)
    a = [rng.expovariate(0.01) for _ in range(5000)]
    b = [rng.expovariate(0.001) for _ in range(3000)]
    merged = Sketch().extend(a).merge(Sketch().extend(b))
    whole = Sketch().extend(a + b)
    assert merged.bins == whole.bins
    assert merged.count == 8000
    for q in QUANTILES:
        assert merged.quantile(q) == whole.quantile(q)


def test_merging_keeps_the_error_bound() -> None:
    rng = random.Random(5)
    parts = [[rng.lognormvariate(i, 1) for _ in range(2000)] for i in range(4)]
    merged = Sketch()
    for part in parts:
        merged = merged.merge(Sketch().extend(part))
    values = [v for part in parts for v in part]
    for q in QUANTILES:
        exact = _exact(values, q)
        estimate = merged.quantile(q)
        assert estimate is not None
        assert abs(estimate - exact) <= 0.01 * exact * (1 + 1e-9)


def test_zeros_empty_and_dense_form() -> None:
    sketch = Sketch().extend([0.0, 0.0, 10.0, 20.0])
    assert sketch.zeros == 2
    assert sketch.quantile(0.0) == 0.0
    assert Sketch().quantile(0.5) is None
    start, counts = sketch.dense()
    again = Sketch.from_dense(sketch.accuracy, sketch.zeros, start, counts)
    assert again.bins == sketch.bins and again.zeros == 2


def test_mismatched_accuracies_do_not_merge() -> None:
    with pytest.raises(UsageError, match="same relative accuracy"):
        Sketch(0.01).merge(Sketch(0.02))
    with pytest.raises(UsageError):
        Sketch(1.5)
