"""Errors of the rules layer."""

from __future__ import annotations

from advisor.errors import AdvisorError


class RuleFileError(AdvisorError):
    """A rule or rule-test file cannot be read or does not follow the rule schema."""

    title = "rule file error"
