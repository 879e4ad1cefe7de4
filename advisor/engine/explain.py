"""Evaluates a rule's conditions directly, to say which held and by how much."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from pydantic import BaseModel

from advisor.engine.adapter import fact_groups, shared_fields
from advisor.engine.model import Condition, Rule
from advisor.engine.vocabulary import SPECS, Fact

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
        if SPECS[fact.name].unit == "share":  # in percentage points, as findings say
            return f"{gap * 100:+.3g} points from {want * 100:.3g}%"
        return f"{gap:+.4g} from {want}"
    return f"wants {want!r}"


def check(rule: Rule, facts: Sequence[Fact]) -> list[Check]:
    """Checks every condition of a rule against the facts, as the engine matches them.

    Conditions on the same fact and key must hold for one fact together, facts of a
    node must come from one node, and with ``same_key`` the keyed conditions must
    hold for one key.
    """
    holding = _holding(rule, facts)
    out = []
    for part, conditions in (("when", rule.when), ("unless", rule.unless)):
        for index, condition in enumerate(conditions):
            found = [f for f in facts if f.name == condition.fact]
            alone = [f for f in found if _holds(condition, f)]
            held = holding[index] if part == "when" else alone
            candidates = held or alone or found
            best = candidates[0] if candidates else None
            margin = "" if best is None else _margin(condition, best)
            if alone and not held:
                margin = (
                    "holds only for a fact or key that fails another condition; "
                    + margin
                )
            out.append(
                Check(
                    condition=condition.describe(),
                    part=part,
                    held=bool(held),
                    observed="unknown (no such fact in the inputs)"
                    if best is None
                    else _shown(best) + (f" [{best.key}]" if best.key else ""),
                    margin=margin,
                )
            )
    return out


def _holding(rule: Rule, facts: Sequence[Fact]) -> list[list[Fact]]:
    """Per `when` condition, the facts that hold it together with its partners."""
    holding = [
        [f for f in facts if f.name == c.fact and _holds(c, f)] for c in rule.when
    ]
    for members in fact_groups(rule.when):
        common = [
            f for f in holding[members[0]] if all(f in holding[m] for m in members)
        ]
        for member in members:
            holding[member] = common
    for field in ("key", "node"):
        sharing = [
            i for i, c in enumerate(rule.when) if field in shared_fields(rule, c.fact)
        ]
        _share(holding, sharing, field)
    return holding


def _share(holding: list[list[Fact]], members: list[int], field: str) -> None:
    """Keeps, for the conditions ``members``, the facts of a common field value."""
    if len(members) < 2:
        return
    common = set.intersection(
        *({getattr(f, field) or "" for f in holding[i]} for i in members)
    )
    for index in members:
        holding[index] = [
            f for f in holding[index] if (getattr(f, field) or "") in common
        ]


def _shown(fact: Fact) -> str:
    """A fact's value as the findings say it (shares as percentages), text quoted."""
    from advisor.engine.findings import in_unit

    if isinstance(fact.value, str):
        return repr(fact.value)
    return in_unit(fact.value, fact.name)


def would_fire(checks: Sequence[Check]) -> bool:
    """True when every `when` holds and no `unless` does."""
    return all(c.held for c in checks if c.part == "when") and not any(
        c.held for c in checks if c.part == "unless"
    )
