"""The only module that knows durable_rules: compiles rules and runs one analysis.

Every analysis runs isolated: its facts carry a fresh `sid`, and that state is deleted
afterwards. One host lives per process (each host starts timer threads that never
stop), and a lock serialises calls into it. Rulesets cannot be unloaded, so a pack is
compiled once per content and reused.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from advisor.engine.errors import RuleFileError
from advisor.engine.model import Condition, Rule
from advisor.engine.vocabulary import NODE_KINDS, SPECS, Fact

log = logging.getLogger(__name__)

#: durable_rules hangs on rulesets of more than 512 rules; stay well below.
RULES_PER_RULESET = 200
#: Distinct facts per sid before its 32-bit hashes start to collide.
MAX_FACTS = 40_000
READY = "_ready"
SEEN = "_seen"

Match = dict[str, dict[str, Any]]
"""Alias (c0, c1, ...) -> the engine record of the fact matched by that condition."""

_LOCK = threading.RLock()
_HOST: Any = None
_COMPILED: dict[str, list[str]] = {}


def _operator(condition: Condition) -> dict[str, Any]:
    op = condition.operator
    value = condition.operand(op)
    if op == "is":
        return {"value": value}
    names = {"above": "$gt", "at_least": "$gte", "below": "$lt", "at_most": "$lte"}
    if op in names:
        return {names[op]: {"value": value}}
    if op == "is_not":
        return {"$neq": {"value": value}}
    return {"$mt": {"value": value}}


def compile_condition(conditions: Sequence[Condition]) -> dict[str, Any]:
    """Turns conditions on one fact name (and key) into one engine expression."""
    first = conditions[0]
    parts: list[dict[str, Any]] = [{"name": first.fact}]
    parts += [_operator(condition) for condition in conditions]
    if first.key:
        parts.append({"$mt": {"key": first.key}})
    return {"$and": parts}


def fact_groups(conditions: Sequence[Condition]) -> list[list[int]]:
    """Indices of `when` conditions one fact must meet together (same fact and key).

    One fact cannot fill two aliases, so such conditions are one engine expression.
    """
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, condition in enumerate(conditions):
        groups.setdefault((condition.fact, condition.key), []).append(index)
    return list(groups.values())


def shared_fields(rule: Rule, fact: str) -> list[str]:
    """Fields a fact of ``rule`` must share with its other facts of the same sort.

    Keyed facts share their key when the rule says `same_key`; facts of a node
    (host, config, storage) always share their node.
    """
    spec = SPECS[fact]
    fields = ["key"] if rule.same_key and spec.keyed else []
    if spec.kind in NODE_KINDS:
        fields.append("node")
    return fields


def compile_rule(rule: Rule) -> dict[str, Any]:
    """Turns one rule into an engine rule definition whose action is its id.

    Facts of a node (host, config, storage) in one rule come from one node: a
    swapping node's numbers never mix with another node's.
    """
    terms: list[dict[str, Any]] = [{"ready": {"name": READY}}]
    anchors: dict[str, str] = {}
    for i, members in enumerate(fact_groups(rule.when)):
        group = [rule.when[m] for m in members]
        expression = compile_condition(group)
        for field in shared_fields(rule, group[0].fact):
            if field not in anchors:
                anchors[field] = f"c{i}"
            else:
                # An engine reference: this fact's field equals the anchor fact's.
                expression["$and"].append({field: {anchors[field]: field}})
        terms.append({f"c{i}": expression})
    terms += [{f"u{i}$not": compile_condition([c])} for i, c in enumerate(rule.unless)]
    return {"all": terms, "run": rule.id}


def _definitions(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    chunks = [
        rules[i : i + RULES_PER_RULESET]
        for i in range(0, len(rules), RULES_PER_RULESET)
    ]
    out = []
    for chunk in chunks:
        definition = {rule.id: compile_rule(rule) for rule in chunk}
        definition[SEEN] = {"all": [{"m": {"$ex": {"name": 1}}}], "run": SEEN}
        out.append(definition)
    return out


def _host() -> Any:
    """Returns the process's one engine host, creating it on first use."""
    global _HOST
    if _HOST is None:
        from durable import engine

        class _Host(engine.Host):
            def __init__(self) -> None:
                super().__init__()
                self.results: dict[str, list[tuple[str, Match]]] = {}

            def get_action(self, action_name: str) -> Callable[[Any], None]:
                return _recorder(self, action_name)

        _HOST = _Host()
    return _HOST


def _recorder(host: Any, rule_id: str) -> Callable[[Any], None]:
    def record(closure: Any) -> None:
        if rule_id == SEEN:
            return
        matched = {k: dict(v) for k, v in (closure._m or {}).items() if k != "ready"}
        host.results.setdefault(closure.s.sid, []).append((rule_id, matched))

    return record


def compile_rules(rules: Sequence[Rule]) -> list[str]:
    """Registers the rules with the engine (once per content); returns ruleset names."""
    definitions = _definitions(rules)
    digest = hashlib.sha256(
        json.dumps(definitions, sort_keys=True).encode()
    ).hexdigest()
    with _LOCK:
        if digest in _COMPILED:
            return _COMPILED[digest]
        names = [
            f"advisor_{len(_COMPILED)}_{i}_{digest[:12]}"
            for i in range(len(definitions))
        ]
        host = _host()
        for name, definition in zip(names, definitions, strict=True):
            try:
                host.set_rulesets({name: copy.deepcopy(definition)})
            except Exception as error:  # the engine raises bare Exceptions
                ids = ", ".join(k for k in definition if k != SEEN)
                raise RuleFileError(
                    f"the rules engine refused a ruleset ({error}); rules: {ids}.",
                    fix="Run `advisor rules lint` on the rule folders.",
                ) from None
        _COMPILED[digest] = names
        return names


def run(rulesets: Sequence[str], facts: Sequence[Fact]) -> list[tuple[str, Match]]:
    """Asserts the facts into each ruleset under a fresh sid; returns (rule id, match)."""
    from durable.engine import MessageNotHandledException, MessageObservedException

    if len(facts) > MAX_FACTS:
        log.warning(
            "%d facts; only the first %d reach the engine", len(facts), MAX_FACTS
        )
        facts = facts[:MAX_FACTS]
    sid = uuid.uuid4().hex
    records: list[dict[str, Any]] = [
        f.engine_record(sid, i) for i, f in enumerate(facts)
    ]
    ready = {"sid": sid, "id": len(records), "name": READY}
    with _LOCK:
        host = _host()
        try:
            for name in rulesets:
                for batch in (records, [ready]):
                    try:
                        if batch:
                            host.assert_facts(name, copy.deepcopy(batch))
                    except (MessageNotHandledException, MessageObservedException):
                        log.debug("engine ignored part of a batch in %s", name)
                state = host.get_state(name, sid)
                if "exception" in state:
                    raise RuntimeError(f"rule action failed: {state['exception']}")
        finally:
            for name in rulesets:
                _forget(host, name, sid)
            found = host.results.pop(sid, [])
    return sorted(
        found, key=lambda item: (item[0], json.dumps(item[1], sort_keys=True))
    )


def _forget(host: Any, name: str, sid: str) -> None:
    try:
        host.delete_state(name, sid)
    except Exception as error:  # the engine raises bare Exceptions
        log.debug("could not delete state %s of %s: %s", sid, name, error)
