"""Author checks beyond the schema: contradictions, duplicates, needless same_key.

Templates are checked when a file is loaded (advisor.engine.templates).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from advisor.engine.model import Condition, LoadedRule
from advisor.engine.vocabulary import SPECS

log = logging.getLogger(__name__)


def _bounds(conditions: Sequence[Condition], fact: str) -> tuple[float, float]:
    low, high = float("-inf"), float("inf")
    for c in conditions:
        if c.fact != fact or c.key:
            continue
        for op, value in (
            (op, c.operand(op)) for op in ("above", "at_least", "below", "at_most")
        ):
            if isinstance(value, int | float):
                if op in ("above", "at_least"):
                    low = max(low, float(value))
                else:
                    high = min(high, float(value))
    return low, high


def lint_rule(item: LoadedRule) -> list[str]:
    """Problems of one rule, each as `file:line: RULE: message`."""
    rule = item.rule
    where = f"{item.file}:{item.line}: {rule.id}"
    problems = []
    described = [c.describe() for c in (*rule.when, *rule.unless)]
    for text in {d for d in described if described.count(d) > 1}:
        problems.append(f"{where}: duplicate condition {text}")
    for fact in {c.fact for c in rule.when}:
        low, high = _bounds(rule.when, fact)
        if low >= high:
            problems.append(
                f"{where}: unreachable: {fact} must be above {low} and below {high}"
            )
    for cond in rule.unless:
        if any(cond.describe() == w.describe() for w in rule.when):
            problems.append(
                f"{where}: unreachable: {cond.describe()} is both required and excluded"
            )
    keyed = {c.fact for c in rule.when if SPECS[c.fact].keyed}
    if rule.same_key and len(keyed) < 2:
        problems.append(f"{where}: same_key needs two keyed facts in `when`")
    for cond in (*rule.when, *rule.unless):
        if cond.key:
            try:
                re.compile(cond.key)
            except re.error as error:
                problems.append(f"{where}: bad key pattern {cond.key!r}: {error}")
    return problems


def lint(rules: Sequence[LoadedRule]) -> list[str]:
    """Problems of every rule, plus rules whose conditions duplicate another's."""
    problems = [p for item in rules for p in lint_rule(item)]
    seen: dict[tuple[str, ...], str] = {}
    for item in rules:
        key = (
            tuple(sorted(c.describe() for c in item.rule.when))
            + ("|",)
            + tuple(sorted(c.describe() for c in item.rule.unless))
        )
        if key in seen:
            problems.append(
                f"{item.file}:{item.line}: {item.rule.id}: same conditions as {seen[key]}"
            )
        seen[key] = item.rule.id
    return problems
