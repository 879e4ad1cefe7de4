"""Turns rule matches into findings: evidence filled in, symptoms grouped, ranked."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from advisor.engine.adapter import Match
from advisor.engine.model import SEVERITY_ORDER, Rule, Severity, Step
from advisor.engine.templates import PLACEHOLDER, split
from advisor.engine.vocabulary import NODE_KINDS, SPECS, Fact

log = logging.getLogger(__name__)


class Evidence(BaseModel):
    """One observation behind a finding, with where it was read."""

    text: str
    fact: str | None = None
    observed: float | bool | str | None = None
    baseline: float | None = None
    ratio: float | None = None
    interval: tuple[float, float] | None = None
    key: str | None = None
    node: str | None = None
    source: str | None = None
    line: int | None = None


class RuledOut(BaseModel):
    """A look-alike cause that did not hold, and the evidence that says so."""

    rule: str
    title: str
    why: str


class Symptom(BaseModel):
    """A finding explained by a root cause, kept under it."""

    id: str
    title: str
    severity: Severity
    evidence: list[Evidence]


class Finding(BaseModel):
    """One likely root cause with its evidence, look-alikes and remedy."""

    id: str
    title: str
    component: str
    severity: Severity
    confidence: float
    cause: str
    evidence: list[Evidence]
    time_lost_s: float = 0.0
    ruled_out: list[RuledOut] = Field(default_factory=list)
    remediation: list[Step] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    symptoms: list[Symptom] = Field(default_factory=list)
    file: str = ""
    """The rule file (and line) the finding's rule came from."""


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e12:
            return str(int(value))
        return (
            f"{value:.3g}"
            if abs(value) < 1
            else f"{value:,.1f}".rstrip("0").rstrip(".")
        )
    return str(value)


def _strength(facts: Sequence[Fact]) -> tuple[float, float, str]:
    """Orders matches: most time lost, then the largest first number, then by key."""
    impact = max((f.impact_s or 0.0 for f in facts), default=0.0)
    numbers = [
        float(f.value)
        for f in facts
        if isinstance(f.value, int | float) and not isinstance(f.value, bool)
    ]
    key = next((f.key or "" for f in facts if f.key), "")
    return (-impact, -(numbers[0] if numbers else 0.0), key)


class _Context:
    """The facts a rule's text can name: its strongest match first, then the stream.

    Every placeholder of one finding reads the same match, so a component's name and
    its numbers never come from two components; `{fact.each}` lists every match.
    """

    def __init__(
        self, matches: Sequence[Sequence[Fact]], stream: Sequence[Fact]
    ) -> None:
        ordered = sorted(matches, key=_strength)
        self.every: dict[str, list[Fact]] = {}
        for match in ordered:
            for fact in match:
                if fact not in self.every.setdefault(fact.name, []):
                    self.every[fact.name].append(fact)
        self.facts: dict[str, Fact] = {}
        self.stream = stream
        matched = ordered[0] if ordered else []
        # Context facts of a node come from the node the rule matched, if it did.
        node = next((f.node for f in matched if f.kind in NODE_KINDS and f.node), None)
        for fact in stream:
            known = self.facts.get(fact.name)
            if known is None or (node and fact.node == node and known.node != node):
                self.facts[fact.name] = fact
        for fact in matched:
            self.facts[fact.name] = fact

    def value(self, token: str) -> tuple[str, Fact | None]:
        name, field = split(token)
        fact = self.facts.get(name)
        if fact is None:
            return "unknown", None
        if field == "each":  # the matched facts, else every node's value
            every = self.every.get(name) or [f for f in self.stream if f.name == name]
            return _each(every), fact
        value = getattr(fact, field, None)
        if value is None:
            return "unknown", fact
        return (in_unit(value, name) if field == "value" else _format(value)), fact

    def fill(self, template: str) -> tuple[str, Fact | None]:
        used: list[Fact] = []
        parts: list[str] = []
        end = 0
        for found in PLACEHOLDER.finditer(template):
            text, fact = self.value(found.group(1))
            if fact is not None and fact not in used:
                used.append(fact)
            parts += [_agree(template[end : found.start()], parts), text]
            end = found.end()
        parts.append(_agree(template[end:], parts))
        return "".join(parts), (_cited(used) if used else None)


PLURAL = re.compile(r"^ ([a-z]+?)(ies|sses|shes|ches|xes|s)\b")


def _agree(text: str, before: Sequence[str]) -> str:
    """Makes the noun after a placeholder worth 1 singular: `1 keys` -> `1 key`."""
    if not before or before[-1] != "1":
        return text
    found = PLURAL.match(text)
    if not found:
        return text
    stem, ending = found.groups()
    word = stem + ending
    if len(word) < 4 or word.endswith(("ss", "us", "is")):  # units: ms, s; process
        return text
    single = {"ies": "y", "sses": "ss", "shes": "sh", "ches": "ch", "xes": "x"}
    return f" {stem}{single.get(ending, '')}" + text[found.end() :]


#: Units whose values read as whole numbers ("5,472 statements an hour").
WHOLE = ("count", "per hour", "workers", "processes", "threads", "vCPU", "IOPS")


def in_unit(value: object, name: str) -> str:
    """Formats a fact's value for its unit: shares as percentages, counts whole."""
    unit = SPECS[name].unit if name in SPECS else ""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and unit == "share":
        percent = float(value) * 100  # type: ignore[arg-type]
        return f"{percent:.1f}".rstrip("0").rstrip(".") + "%"
    if number and unit in WHOLE:
        return f"{round(float(value)):,}"  # type: ignore[arg-type]
    return _format(value)


def _each(facts: Sequence[Fact]) -> str:
    """`gitaly 24, api 4`: every matched fact's key and value, largest first."""

    def order(fact: Fact) -> tuple[float, str]:
        number = fact.value if isinstance(fact.value, int | float) else 0.0
        return (-float(number), fact.key or "")

    return ", ".join(
        f"{fact.key or fact.node or ''} {in_unit(fact.value, fact.name)}".strip()
        for fact in sorted(facts, key=order)
    )


def _cited(used: list[Fact]) -> Fact:
    """The first fact of a text, citing every file the text's values came from."""
    first = used[0]
    places = []
    for fact in used:
        if fact.source and (fact.node or None) == (first.node or None):
            place = f"{fact.source}:{fact.line}" if fact.line else fact.source
            if place not in places:
                places.append(place)
    if len(places) < 2:
        return first
    return first.model_copy(update={"source": ", ".join(places), "line": None})


def _evidence(text: str, fact: Fact | None) -> Evidence:
    if fact is None:
        return Evidence(text=text)
    interval = (
        (fact.ci_low, fact.ci_high)
        if fact.ci_low is not None and fact.ci_high is not None
        else None
    )
    return Evidence(
        text=text,
        fact=fact.name,
        observed=fact.value,
        baseline=fact.baseline,
        ratio=fact.ratio,
        interval=interval,
        key=fact.key,
        node=fact.node,
        source=fact.source or None,
        line=fact.line,
    )


def matched_facts(match: Match, facts: Sequence[Fact]) -> list[Fact]:
    """Returns the stream facts behind an engine match, in condition order."""
    out = []
    for alias in sorted(match, key=lambda a: int(a[1:]) if a[1:].isdigit() else 0):
        index = match[alias].get("id")
        if isinstance(index, int) and 0 <= index < len(facts):
            out.append(facts[index])
    return out


def build(
    rules: dict[str, tuple[Rule, str]],
    matches: Sequence[tuple[str, Match]],
    facts: Sequence[Fact],
) -> list[Finding]:
    """Builds ranked findings: one per root cause, its explained rules as symptoms."""
    by_rule: dict[str, list[list[Fact]]] = {}
    for rule_id, match in matches:
        found = matched_facts(match, facts)
        if found and found not in by_rule.setdefault(rule_id, []):
            by_rule[rule_id].append(found)
    raw = {
        rid: _finding(rules[rid][0], rules[rid][1], found, facts)
        for rid, found in by_rule.items()
        if rid in rules and found
    }
    ranked = sorted(raw.values(), key=rank_key)
    return _group(ranked, rules, facts)


def rank_key(finding: Finding) -> tuple[int, float, float, str]:
    """Sorts by severity, then confidence, then time lost, then id."""
    order = SEVERITY_ORDER[finding.severity]
    return (-order, -finding.confidence, -finding.time_lost_s, finding.id)


def _finding(
    rule: Rule, file: str, matches: list[list[Fact]], stream: Sequence[Fact]
) -> Finding:
    context = _Context(matches, stream)
    evidence = [_evidence(*context.fill(template)) for template in rule.evidence]
    impact = max((f.impact_s or 0.0 for m in matches for f in m), default=0.0)
    return Finding(
        id=rule.id,
        title=rule.title,
        component=rule.component,
        severity=rule.severity,
        confidence=rule.confidence,
        cause=" ".join(context.fill(rule.cause)[0].split()),
        evidence=evidence,
        time_lost_s=round(impact, 1),
        remediation=list(rule.remediation),
        references=list(rule.references),
        file=file,
    )


def _group(
    ranked: list[Finding], rules: dict[str, tuple[Rule, str]], facts: Sequence[Fact]
) -> list[Finding]:
    fired = {f.id for f in ranked}
    absorbed: set[str] = set()
    kept: list[Finding] = []
    by_id = {f.id: f for f in ranked}
    for finding in ranked:
        if finding.id in absorbed:
            continue
        rule = rules[finding.id][0]
        for child in rule.explains:
            if (
                child in fired
                and child not in absorbed
                and child != finding.id
                and child not in {k.id for k in kept}
            ):
                absorbed.add(child)
                sub = by_id[child]
                finding.symptoms.append(
                    Symptom(
                        id=sub.id,
                        title=sub.title,
                        severity=sub.severity,
                        evidence=sub.evidence,
                    )
                )
                finding.time_lost_s = max(finding.time_lost_s, sub.time_lost_s)
        finding.ruled_out = _ruled_out(rule, fired, rules, facts)
        kept.append(finding)
    return kept


def _ruled_out(
    rule: Rule,
    fired: set[str],
    rules: dict[str, tuple[Rule, str]],
    facts: Sequence[Fact],
) -> list[RuledOut]:
    context = _Context([], facts)
    out = []
    for alike in rule.look_alikes:
        if alike.rule in fired:
            continue
        other = rules[alike.rule][0]
        out.append(
            RuledOut(rule=other.id, title=other.title, why=context.fill(alike.why)[0])
        )
    return out


def unknown_names(rules: Sequence[Rule], facts: Sequence[Fact]) -> list[str]:
    """Fact names the rules test that the stream does not hold."""
    present = {f.name for f in facts}
    wanted = {name for rule in rules for name in rule.facts_used()}
    return sorted(name for name in wanted - present if name in SPECS)
