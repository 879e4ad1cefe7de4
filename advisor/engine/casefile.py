"""Rule fixture cases (`rules/tests/<area>.yaml`): facts that must fire a rule, or not."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from advisor.engine.errors import RuleFileError
from advisor.engine.loader import line_of, read_yaml, suggest_fact
from advisor.engine.model import LoadedRule
from advisor.engine.vocabulary import SPECS, Fact, make

log = logging.getLogger(__name__)


class Case(BaseModel):
    """One fixture: a rule, whether it must fire, and the facts."""

    rule: str
    fires: bool
    facts: list[Fact]
    file: str
    line: int


class Outcome(BaseModel):
    """The result of one case."""

    case: Case
    passed: bool
    fired: list[str]


def _fact(name: str, raw: Any, where: str) -> Fact:
    if name not in SPECS:
        raise RuleFileError(f"{where}: unknown fact {name!r}; {suggest_fact(name)}")
    fields = raw if isinstance(raw, dict) else {"value": raw}
    value = fields.get("value")
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    extra = {k: v for k, v in fields.items() if k != "value"}
    if value is None:
        raise RuleFileError(f"{where}: fact {name!r} has no value.")
    return make(name, value, source="fixture", **extra)


def load_cases(path: Path) -> list[Case]:
    """Reads one fixture file: `RULE_ID: {fires: [facts...], quiet: [facts...]}`."""
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(
            f"{path}:1: a fixture file maps rule ids to fires/quiet lists."
        )
    cases = []
    for rule_id, body in data.items():
        for field, fires in (("fires", True), ("quiet", False)):
            for index, facts in enumerate((body or {}).get(field) or []):
                loc = (str(rule_id), field, index)
                where = f"{path}:{line_of(lines, loc)}: {rule_id}.{field}[{index}]"
                if not isinstance(facts, dict):
                    raise RuleFileError(
                        f"{where}: a case is a mapping of fact name to value."
                    )
                built = [_fact(str(n), v, where) for n, v in facts.items()]
                cases.append(
                    Case(
                        rule=str(rule_id),
                        fires=fires,
                        facts=built,
                        file=str(path),
                        line=line_of(lines, loc),
                    )
                )
    return cases


def case_files(folders: Sequence[Path]) -> list[Path]:
    """Returns the fixture files under each rule folder's `tests/`."""
    return sorted(p for folder in folders for p in (folder / "tests").glob("*.yaml"))


def run_cases(rules: Sequence[LoadedRule], cases: Sequence[Case]) -> list[Outcome]:
    """Runs every case through the engine (raw matches, before grouping)."""
    from advisor.engine import adapter

    names = adapter.compile_rules([r.rule for r in rules])
    known = {r.rule.id for r in rules}
    out = []
    for case in cases:
        if case.rule not in known:
            raise RuleFileError(
                f"{case.file}:{case.line}: fixture for unknown rule {case.rule}."
            )
        fired = sorted({rule_id for rule_id, _ in adapter.run(names, case.facts)})
        out.append(
            Outcome(case=case, passed=(case.rule in fired) == case.fires, fired=fired)
        )
    return out


def untested(rules: Sequence[LoadedRule], cases: Sequence[Case]) -> list[str]:
    """Rule ids lacking a must-fire or a must-not-fire case."""
    fires = {c.rule for c in cases if c.fires}
    quiet = {c.rule for c in cases if not c.fires}
    return [
        r.rule.id for r in rules if r.rule.id not in fires or r.rule.id not in quiet
    ]
