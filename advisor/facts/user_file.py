"""The user's `facts.yaml`: what no archive shows, validated with helpful errors."""

from __future__ import annotations

import difflib
import logging
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from advisor.facts.errors import FactsError

log = logging.getLogger(__name__)

#: Reference architecture sizes, named by users (reference-data.md section 1).
Architecture = Literal["1k", "2k", "3k", "5k", "10k", "25k", "50k"]

#: Roles a node can be given; the same names `gitlab_status` services map to.
Role = Literal[
    "rails",
    "sidekiq",
    "gitaly",
    "praefect",
    "postgresql",
    "pgbouncer",
    "redis",
    "redis_sentinel",
    "consul",
    "nginx",
    "monitoring",
    "geo",
    "registry",
]


class _Strict(BaseModel):
    """Base of facts.yaml sections: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class NodeEntry(_Strict):
    """What the user says about one node."""

    roles: list[Role] = Field(default_factory=list)


class FioResult(_Strict):
    """A measured `fio` random 4k run (reference-data.md section 2.2)."""

    node: str
    path: str = "/var/opt/gitlab/git-data"
    read_iops: float = Field(ge=0)
    write_iops: float = Field(ge=0)


class Latency(_Strict):
    """A measured round-trip time between two nodes."""

    from_node: str = Field(alias="from")
    to_node: str = Field(alias="to")
    rtt_ms: float = Field(ge=0)


class UserFacts(_Strict):
    """The whole facts.yaml."""

    users: int | None = Field(default=None, gt=0)
    reference_architecture: Architecture | None = None
    nodes: dict[str, NodeEntry] | None = None
    fio: list[FioResult] | None = None
    network_latency_ms: list[Latency] | None = None
    source: str = "facts.yaml"
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def line_of(self, path: str) -> int | None:
        """Returns the line of a dotted key path (`nodes.rails-1.roles`), if known."""
        return self._lines.get(path)


def load(path: Path) -> UserFacts:
    """Reads and validates a facts.yaml; raises FactsError naming every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FactsError(
            f"Cannot read facts file {str(path)!r}: {error.strerror}."
        ) from None
    return parse(text, str(path))


def parse(text: str, source: str = "facts.yaml") -> UserFacts:
    """Validates facts.yaml text; `source` names the file in messages and citations."""
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise FactsError(f"{source} is not valid YAML{where}: {problem}.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FactsError(
            f"{source} must be a mapping of keys, found {type(data).__name__}."
        )
    try:
        facts = UserFacts.model_validate({**data, "source": source})
    except ValidationError as error:
        problems = "; ".join(
            _describe(item) for item in error.errors(include_url=False)
        )
        raise FactsError(f"{source}: {problems}.") from None
    facts._lines = _key_lines(tree) if tree is not None else {}
    if tree is not None:
        _refuse_duplicates(tree, source)
    return facts


def _refuse_duplicates(node: yaml.Node, source: str, prefix: str = "") -> None:
    """Raises FactsError for a key given twice in one mapping (YAML keeps the last)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            line = key.start_mark.line + 1
            if key.value in seen:
                raise FactsError(
                    f"{source}:{line}: {path!r} is given twice (first on line "
                    f"{seen[key.value]}); only the last would count.",
                    fix="Keep one of them.",
                )
            seen[key.value] = line
            _refuse_duplicates(value, source, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _refuse_duplicates(item, source, f"{prefix}[{index}]")


def _describe(error: Any) -> str:
    """Renders one validation error with its key path, bad value and allowed values."""
    loc = tuple(error["loc"])
    path = _dotted(loc)
    if error["type"] == "extra_forbidden":
        known = _fields_at(UserFacts, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown key {path!r}{hint} (allowed: {', '.join(known)})"
    bad = f" {error['input']!r}" if not isinstance(error["input"], dict) else ""
    if error["type"] == "literal_error":
        allowed = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        close = difflib.get_close_matches(str(error["input"]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{path}: bad value{bad}{hint} (allowed: {', '.join(allowed)})"
    if error["type"] == "missing":
        return f"{path}: required key is missing"
    return f"{path}: bad value{bad} ({error['msg'].lower()})"


def _dotted(loc: tuple[Any, ...]) -> str:
    """Writes a location as `fio[0].read_iops`."""
    text = ""
    for part in loc:
        text += (
            f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
        )
    return text


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Lists the keys allowed at a location, following lists, dicts and models."""
    annotation: Any = model
    for part in loc:
        annotation = _step(annotation, part)
    found = _model_in(annotation)
    if found is None:
        return []
    return [
        info.alias or name
        for name, info in found.model_fields.items()
        if name != "source"
    ]


def _step(annotation: Any, part: str | int) -> Any:
    """Moves one location part into an annotation."""
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if origin is list and isinstance(part, int):
            return get_args(option)[0]
        if origin is dict:
            return get_args(option)[1]
        if isinstance(option, type) and issubclass(option, BaseModel):
            for name, info in option.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
    return None


def _options(annotation: Any) -> tuple[Any, ...]:
    """Splits `X | None` into its members."""
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        return get_args(annotation)
    return (annotation,)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Returns the model class of `X` or `X | None`."""
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def _key_lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    """Maps dotted key paths to 1-based line numbers from the YAML node tree."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            lines[path] = key.start_mark.line + 1
            lines.update(_key_lines(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            lines[path] = item.start_mark.line + 1
            lines.update(_key_lines(item, path))
    return lines
