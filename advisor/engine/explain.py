"""Evaluates a rule's conditions directly, to say which held and by how much."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from pydantic import BaseModel

from advisor.engine.model import Condition, Rule
from advisor.engine.vocabulary import Fact

log = logging.getLogger(__name__)


class Check(BaseModel):
    """One condition against the facts: held or not, and the margin."""

    condition: str
    part: str
    """`when` or `unless`."""
    held: bool
    observed: str
    margin: str


def _holds(condition: Condition, fact: Fact) -> bool:
    if condition.key and not (fact.key and re.fullmatch(condition.key, fact.key)):
        return False
    op, want, value = (
        condition.operator,
        condition.operand(condition.operator),
        fact.value,
    )
    if op == "is":
        return bool(value == want)
    if op == "is_not":
        return bool(value != want)
    if op == "matches":
        return isinstance(value, str) and re.fullmatch(str(want), value) is not None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    limit = float(want)  # type: ignore[arg-type]
    return {
        "above": value > limit,
        "at_least": value >= limit,
        "below": value < limit,
        "at_most": value <= limit,
    }[op]


def _margin(condition: Condition, fact: Fact) -> str:
    want = condition.operand(condition.operator)
    if (
        isinstance(fact.value, int | float)
        and not isinstance(fact.value, bool)
        and isinstance(want, int | float)
    ):
        gap = fact.value - float(want)
        return f"{gap:+.4g} from {want}"
    return f"wants {want!r}"


def check(rule: Rule, facts: Sequence[Fact]) -> list[Check]:
    """Checks every condition of a rule against the facts."""
    out = []
    for part, conditions in (("when", rule.when), ("unless", rule.unless)):
        for condition in conditions:
            found = [f for f in facts if f.name == condition.fact]
            holding = [f for f in found if _holds(condition, f)]
            best = holding[0] if holding else (found[0] if found else None)
            out.append(
                Check(
                    condition=condition.describe(),
                    part=part,
                    held=bool(holding),
                    observed="unknown (no such fact in the inputs)"
                    if best is None
                    else f"{best.value!r}" + (f" [{best.key}]" if best.key else ""),
                    margin="" if best is None else _margin(condition, best),
                )
            )
    return out


def would_fire(checks: Sequence[Check]) -> bool:
    """True when every `when` holds and no `unless` does."""
    return all(c.held for c in checks if c.part == "when") and not any(
        c.held for c in checks if c.part == "unless"
    )
