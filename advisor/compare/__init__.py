"""Baselines, comparison with them, load patterns and the environment score.

The API the rules and diagnosis layers call: ``compare(dataset, baseline)``,
``load_patterns(dataset)``, ``score(comparisons)``, and in ``advisor.compare.baseline``
``load_baseline(name)`` and ``available()``.
"""

from __future__ import annotations

from advisor.compare.compare import compare
from advisor.compare.load_pattern import load_patterns
from advisor.compare.score import score

__all__ = ["compare", "load_patterns", "score"]
