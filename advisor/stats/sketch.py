"""A mergeable log-bucket histogram of positive values with a relative error bound.

Values fall into buckets whose bounds grow by a factor ``gamma = (1 + a) / (1 - a)``:
bucket ``i`` holds ``(gamma**(i-1), gamma**i]`` and stands for ``2 gamma**i / (gamma+1)``,
which is within a relative error ``a`` of every value in it. A quantile read from the
sketch is therefore within ``a`` (relative) of the exact order statistic at rank
``floor(q (n - 1))``. Two sketches of the same ``a`` merge by adding bucket counts, so
sketches of separate archives, nodes or days combine into the sketch of the whole.
Values at or below ``ZERO_MS`` (one microsecond) are counted as zero.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from advisor.errors import UsageError

log = logging.getLogger(__name__)

#: Relative accuracy of every sketch the advisor stores (1 %).
RELATIVE_ACCURACY = 0.01
ZERO_MS = 0.001


def gamma_of(accuracy: float) -> float:
    """Bucket growth factor for a relative accuracy."""
    return (1 + accuracy) / (1 - accuracy)


def sql_bucket(column: str, accuracy: float = RELATIVE_ACCURACY) -> str:
    """A DuckDB expression giving each value's bucket index (NULL for zeros)."""
    log_gamma = math.log(gamma_of(accuracy))
    return (
        f"CASE WHEN {column} > {ZERO_MS} "
        f"THEN CAST(ceil(ln({column}) / {log_gamma!r}) AS INTEGER) END"
    )


@dataclass
class Sketch:
    """Bucket counts of a distribution, in the layout described in the module doc."""

    accuracy: float = RELATIVE_ACCURACY
    zeros: int = 0
    bins: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 < self.accuracy < 1:
            raise UsageError(
                f"sketch accuracy {self.accuracy!r} is not between 0 and 1.",
                fix="Use a relative accuracy such as 0.01.",
            )
        self._log_gamma = math.log(gamma_of(self.accuracy))

    @property
    def count(self) -> int:
        """Number of values added."""
        return self.zeros + sum(self.bins.values())

    def index(self, value: float) -> int | None:
        """Bucket index of a value, or None for a value counted as zero."""
        if value <= ZERO_MS:
            return None
        return math.ceil(math.log(value) / self._log_gamma)

    def value(self, index: int) -> float:
        """The value a bucket stands for."""
        gamma = gamma_of(self.accuracy)
        return 2 * gamma**index / (gamma + 1)

    def add(self, value: float, count: int = 1) -> None:
        """Adds ``count`` copies of a value."""
        index = self.index(value)
        if index is None:
            self.zeros += count
        else:
            self.bins[index] = self.bins.get(index, 0) + count

    def extend(self, values: Iterable[float]) -> Sketch:
        """Adds every value; returns the sketch for chaining."""
        for value in values:
            self.add(value)
        return self

    def merge(self, other: Sketch) -> Sketch:
        """Returns a new sketch holding the values of both."""
        if not math.isclose(self.accuracy, other.accuracy):
            raise UsageError(
                f"cannot merge sketches of accuracy {self.accuracy} and "
                f"{other.accuracy}.",
                fix="Record both with the same relative accuracy.",
            )
        bins = dict(self.bins)
        for index, count in other.bins.items():
            bins[index] = bins.get(index, 0) + count
        return Sketch(self.accuracy, self.zeros + other.zeros, bins)

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0..1) within the relative accuracy; None when empty."""
        total = self.count
        if total == 0:
            return None
        rank = math.floor(q * (total - 1))
        seen = self.zeros
        if rank < seen:
            return 0.0
        for index in sorted(self.bins):
            seen += self.bins[index]
            if rank < seen:
                return self.value(index)
        return self.value(max(self.bins))

    def dense(self) -> tuple[int, list[int]]:
        """The first bucket index and the counts of every bucket from it on."""
        if not self.bins:
            return 0, []
        start, end = min(self.bins), max(self.bins)
        return start, [self.bins.get(i, 0) for i in range(start, end + 1)]

    @classmethod
    def from_dense(
        cls, accuracy: float, zeros: int, start: int, counts: list[int]
    ) -> Sketch:
        """Rebuilds a sketch from ``dense()`` output."""
        bins = {start + i: count for i, count in enumerate(counts) if count}
        return cls(accuracy, zeros, bins)
