"""Reads rule files (YAML) into validated rules, with errors that name file, line and key."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from advisor.engine import templates
from advisor.engine.errors import RuleFileError
from advisor.engine.model import OPERATORS, LoadedRule, RuleFile
from advisor.engine.vocabulary import SPECS

log = logging.getLogger(__name__)

Path_ = tuple[str | int, ...]


def builtin_dir() -> Path:
    """Returns the folder of the built-in rule pack."""
    from advisor.resources import pack_dir

    return pack_dir("rules")


def rule_files(folder: Path) -> list[Path]:
    """Returns the rule files of a folder (``*.yaml`` and ``*.yml``, not ``tests/``)."""
    if not folder.is_dir():
        raise RuleFileError(
            f"rule folder {str(folder)!r} does not exist or is not a folder.",
            fix="Give --rules a folder of *.yaml rule files.",
        )
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def read_yaml(path: Path) -> tuple[Any, dict[Path_, int]]:
    """Parses a YAML file; returns the data and the line of every key path."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{path}: cannot be read ({error}).") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RuleFileError(
            f"{path}{where}: not valid YAML ({problem}).",
            fix="Check the indentation and quoting on that line.",
        ) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            _walk(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def line_of(lines: dict[Path_, int], loc: Path_) -> int:
    """Returns the line of the deepest known prefix of a key path."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def load_file(path: Path) -> list[LoadedRule]:
    """Reads and validates one rule file; an error lists every problem of the file."""
    data, lines = read_yaml(path)
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as error:
        found = sorted(
            error.errors(), key=lambda e: line_of(lines, _clean(tuple(e["loc"])))
        )
        raise RuleFileError(
            _all([_describe(path, data, lines, e) for e in found])
        ) from None
    problems = [
        _at(path, lines, ("rules", index, *loc), rule.id, message)
        for index, rule in enumerate(parsed.rules)
        for loc, message in templates.problems(rule)
    ]
    if problems:
        raise RuleFileError(_all(problems))
    return [
        LoadedRule(rule=rule, file=str(path), line=line_of(lines, ("rules", index)))
        for index, rule in enumerate(parsed.rules)
    ]


def _all(problems: list[str]) -> str:
    """Joins a file's problems into one message, the first one leading."""
    if len(problems) == 1:
        return problems[0]
    rest = " ".join(problems[1:])
    return f"{problems[0]} And {len(problems) - 1} more: {rest}"


def _at(path: Path, lines: dict[Path_, int], loc: Path_, rule: str, text: str) -> str:
    dotted = ".".join(str(p) for p in loc)
    return _sentence(
        f"{path}:{line_of(lines, loc)}: rule {rule}, key {dotted}: template {text}"
    )


def _describe(path: Path, data: Any, lines: dict[Path_, int], error: Any) -> str:
    loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
    loc = _clean(loc)
    where = f"{path}:{line_of(lines, loc)}"
    rule = _rule_id(data, loc)
    dotted = ".".join(str(p) for p in loc) or "(top)"
    message = error["msg"].removeprefix("Value error, ")
    return _sentence(
        f"{where}: rule {rule}, key {dotted}: {message}{_hint(error, loc)}"
    )


def _sentence(text: str) -> str:
    """Ends a message with a full stop unless it ends in a question already."""
    return text if text.endswith(("?", ".")) else text + "."


def _clean(loc: Path_) -> Path_:
    """Drops pydantic's union branch names (`float`, `bool`...) from a location."""
    return tuple(
        p
        for p in loc
        if not (isinstance(p, str) and p in ("float", "bool", "str", "int"))
    )


def _rule_id(data: Any, loc: Path_) -> str:
    try:
        return str(data["rules"][loc[1]]["id"])
    except (KeyError, IndexError, TypeError):
        return "?"


def _hint(error: Any, loc: Path_) -> str:
    if error["type"] == "extra_forbidden" and loc:
        field = str(loc[-1])
        known = _allowed(loc)
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{hint} Allowed keys: {', '.join(known)}"
    if "unknown fact" in error["msg"]:
        return "; " + suggest_fact(str(error.get("input", "")))
    if error["type"] == "missing":
        return "; add it"
    return ""


def _allowed(loc: Path_) -> list[str]:
    from advisor.engine.model import Condition, LookAlike, Rule, Step

    parent = [p for p in loc[:-1] if isinstance(p, str)]
    models = {"when": Condition, "unless": Condition, "remediation": Step}
    model: Any = models.get(parent[-1], Rule) if len(parent) > 1 else Rule
    if parent and parent[-1] == "look_alikes":
        model = LookAlike
    fields: dict[str, Any] = dict(model.model_fields)
    names = [info.alias or name for name, info in fields.items()]
    return names if model is not Condition else ["fact", "key", *OPERATORS]


def suggest_fact(name: str) -> str:
    """Says which known fact names are closest to an unknown one."""
    close = difflib.get_close_matches(name, list(SPECS), n=2, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "see docs/vocabulary.md for the fact names"


def load_pack(
    folders: Sequence[Path] | None = None, builtin: bool = True
) -> list[LoadedRule]:
    """Loads the built-in pack and any extra folders; rule ids must be unique."""
    paths = [builtin_dir()] if builtin else []
    extra = [_own_files(folder) for folder in folders or []]
    files = [f for folder in paths for f in rule_files(folder)]
    rules = [
        r for f in files + [f for group in extra for f in group] for r in load_file(f)
    ]
    check_pack(rules)
    return rules


def _own_files(folder: Path) -> list[Path]:
    """The rule files of a user folder; a folder without any is an error."""
    files = rule_files(folder)
    if not files:
        raise RuleFileError(
            f"no rule files in {str(folder)!r} (looked for *.yaml and *.yml).",
            fix="Give --rules a folder that holds rule files.",
        )
    return files


def check_pack(rules: Iterable[LoadedRule]) -> None:
    """Checks ids are unique and that references name rules that exist."""
    seen: dict[str, LoadedRule] = {}
    for item in rules:
        other = seen.get(item.rule.id)
        if other is not None:
            raise RuleFileError(
                f"{item.file}:{item.line}: rule {item.rule.id} is defined twice "
                f"(first at {other.file}:{other.line}).",
                fix="Rename one of them; rule ids are unique across all rule folders.",
            )
        seen[item.rule.id] = item
    for item in seen.values():
        refs = [*item.rule.explains, *(x.rule for x in item.rule.look_alikes)]
        for ref in refs:
            if ref not in seen:
                close = difflib.get_close_matches(ref, list(seen), n=1)
                hint = f" Did you mean {close[0]}?" if close else ""
                raise RuleFileError(
                    f"{item.file}:{item.line}: rule {item.rule.id} refers to unknown "
                    f"rule {ref!r} (in explains or look_alikes).{hint}"
                )
