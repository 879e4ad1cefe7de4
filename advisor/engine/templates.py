"""Rule text templates: `{fact}` and `{fact.field}` placeholders, and their checks.

A template may name a fact the rule's `when` conditions match, or a single-valued fact
of the inputs (a host or config value) as context. A per-key fact (one value per
component or key at once) must be matched: otherwise its value would come from
whichever component happened to be read first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from advisor.engine.vocabulary import NODE_KINDS, SPECS

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
#: Fields a placeholder may name after the fact; `each` lists every matched fact.
ATTRIBUTES = ("key", "node", "source", "baseline", "ratio", "each")
#: Fields only some facts carry.
KEYED_ONLY = ("key", "each")
COMPARED_ONLY = ("baseline", "ratio")

Loc = tuple[str | int, ...]


def split(token: str) -> tuple[str, str]:
    """Returns (fact name, field) of a placeholder; the field is `value` if none."""
    if token in SPECS:
        return token, "value"
    name, _, field = token.rpartition(".")
    return name, field


def _braces(text: str) -> str | None:
    """Says what is wrong with the braces of a template, if anything."""
    rest = PLACEHOLDER.sub("", text)
    if "{" in rest:
        start = rest.index("{")
        snippet = rest[start : start + 30]
        if "}" not in rest[start:]:
            return f"unclosed brace at {snippet!r}"
        return f"placeholder {snippet.split('}')[0] + '}'!r} is not {{fact}} or {{fact.field}}"
    if "}" in rest:
        return "'}' without a matching '{'"
    return None


def token_problem(token: str, matched: set[str]) -> str | None:
    """Says why a placeholder cannot be filled, given the facts the rule matches."""
    from advisor.engine.loader import suggest_fact

    name, field = split(token)
    if name not in SPECS:
        return f"names unknown fact {token!r}; {suggest_fact(token)}"
    if field != "value" and field not in ATTRIBUTES:
        return (
            f"{token!r}: {name} has no field {field!r} "
            f"(fields: value, {', '.join(ATTRIBUTES)})"
        )
    spec = SPECS[name]
    per_node = field == "each" and spec.kind in NODE_KINDS
    if field in KEYED_ONLY and not spec.keyed and not per_node:
        return f"{token!r}: {name} is not keyed, so it has no {field}"
    if field in COMPARED_ONLY and spec.kind != "compare":
        return f"{token!r}: only comparison facts have a {field}"
    if spec.per_key and name not in matched:
        return (
            f"{token!r}: {name} has one value per key, and the rule does not match "
            f"it; add a `when` condition on {name}"
        )
    return None


def templates(rule: object) -> Iterator[tuple[Loc, str, set[str]]]:
    """Every template of a rule: its key path, its text and the facts it may match."""
    when = {c.fact for c in getattr(rule, "when", [])}
    yield ("cause",), getattr(rule, "cause", ""), when
    for index, text in enumerate(getattr(rule, "evidence", [])):
        yield ("evidence", index), text, when
    for index, alike in enumerate(getattr(rule, "look_alikes", [])):
        # The look-alike did not fire: its text reads the inputs, matching nothing.
        yield ("look_alikes", index, "why"), alike.why, set()


def problems(rule: object) -> list[tuple[Loc, str]]:
    """Every problem of a rule's templates, with the key path it sits at."""
    out: list[tuple[Loc, str]] = []
    for loc, text, matched in templates(rule):
        brace = _braces(text)
        if brace:
            out.append((loc, brace))
        for token in dict.fromkeys(PLACEHOLDER.findall(text)):
            problem = token_problem(token, matched)
            if problem:
                out.append((loc, problem))
    return out
