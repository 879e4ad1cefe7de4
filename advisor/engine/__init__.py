"""The rules layer: fact vocabulary, YAML rule packs, the engine adapter and findings."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from advisor.engine.findings import Finding, build
from advisor.engine.model import LoadedRule
from advisor.engine.vocabulary import Fact

log = logging.getLogger(__name__)


def analyse(rules: Sequence[LoadedRule], facts: Sequence[Fact]) -> list[Finding]:
    """Runs the rules over the facts in an isolated engine session; returns findings."""
    from advisor.engine import adapter

    names = adapter.compile_rules([item.rule for item in rules])
    matches = adapter.run(names, facts)
    table = {item.rule.id: (item.rule, f"{item.file}:{item.line}") for item in rules}
    return build(table, matches, facts)


__all__ = ["Fact", "Finding", "LoadedRule", "analyse"]
