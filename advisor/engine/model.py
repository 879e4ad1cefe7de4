"""The rule schema: what a rule file may say, validated with pydantic."""

from __future__ import annotations

import logging
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.engine.vocabulary import SPECS, Value

log = logging.getLogger(__name__)

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_ORDER: dict[str, int] = {
    "critical": 4,
    "high": 3,
    "medium": 2,
    "low": 1,
    "info": 0,
}
OPERATORS = ("above", "at_least", "below", "at_most", "is", "is_not", "matches")
#: `sidekiq['x'] = ...`: a line of gitlab.rb, not a shell command.
GITLAB_RB = re.compile(r"^[a-z_]+\[['\"][a-z_]+['\"]\]")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """One test on one fact: `fact` plus exactly one operator, optionally a key regex."""

    fact: str
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None
    is_: Value | None = Field(default=None, alias="is")
    is_not: Value | None = None
    matches: str | None = None
    key: str | None = None
    """A regular expression the fact's key must match."""

    @field_validator("fact")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in SPECS:
            raise ValueError(f"unknown fact {name!r}")
        return name

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = [op for op in OPERATORS if self.operand(op) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one operator of {', '.join(OPERATORS)} (found {len(given)})"
            )
        op = given[0]
        numeric = op in ("above", "at_least", "below", "at_most")
        kind = SPECS[self.fact].type
        if numeric and kind != "number":
            raise ValueError(f"{self.fact} is {kind}; {op} needs a number fact")
        if op == "matches" and kind != "text":
            raise ValueError(f"{self.fact} is {kind}; matches needs a text fact")
        return self

    def operand(self, op: str) -> Value | None:
        """Returns the value given for an operator, if any."""
        return self.is_ if op == "is" else getattr(self, op)

    @property
    def operator(self) -> str:
        """The one operator of the condition."""
        return next(op for op in OPERATORS if self.operand(op) is not None)

    def describe(self) -> str:
        """Says the condition in words, e.g. `gitaly.unary_p95_ms above 20`."""
        key = f" (key ~ {self.key})" if self.key else ""
        return f"{self.fact}{key} {self.operator.replace('_', ' ')} {self.operand(self.operator)!r}"


class Step(_Strict):
    """One remediation checklist item."""

    do: str
    setting: str | None = None
    """A line for /etc/gitlab/gitlab.rb (shown with the reconfigure that applies it)."""
    command: str | None = None
    """A shell command."""
    link: str | None = None

    def actions(self) -> list[str]:
        """What to type, in order: a gitlab.rb line and its reconfigure, or a command."""
        if self.setting:
            return [
                f"in /etc/gitlab/gitlab.rb: {self.setting}",
                "$ sudo gitlab-ctl reconfigure",
            ]
        return [f"$ {self.command}"] if self.command else []

    @field_validator("command")
    @classmethod
    def _shell(cls, value: str | None) -> str | None:
        if value and GITLAB_RB.match(value):
            raise ValueError(
                f"{value!r} is a gitlab.rb setting, not a shell command; "
                "give it as `setting:`"
            )
        return value


class LookAlike(_Strict):
    """A cause that looks similar, and the evidence that tells it apart."""

    rule: str
    why: str


class Rule(_Strict):
    """One heuristic: conditions over facts, and what to tell the user when they hold."""

    id: str
    title: str
    component: str
    severity: Severity
    confidence: float = Field(ge=0, le=1)
    when: list[Condition] = Field(min_length=1)
    unless: list[Condition] = Field(default_factory=list)
    same_key: bool = False
    """Keyed facts the `when` conditions match must share one key (one component)."""
    cause: str
    evidence: list[str] = Field(min_length=1)
    look_alikes: list[LookAlike] = Field(default_factory=list)
    explains: list[str] = Field(default_factory=list)
    """Rules whose findings are symptoms of this one when both fire."""
    remediation: list[Step] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(
                f"rule id {value!r} must be UPPER_SNAKE, e.g. GITALY_SLOW_READS"
            )
        return value

    def facts_used(self) -> list[str]:
        """Names of every fact the rule tests, in order."""
        return [c.fact for c in (*self.when, *self.unless)]


class RuleFile(_Strict):
    """A rule file: a list of rules under `rules:`."""

    rules: list[Rule] = Field(min_length=1)


class LoadedRule(BaseModel):
    """A validated rule with the file and line it came from."""

    rule: Rule
    file: str
    line: int
