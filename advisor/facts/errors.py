"""Errors raised while gathering environment facts."""

from __future__ import annotations

from advisor.errors import AdvisorError


class FactsError(AdvisorError):
    """A facts file or an input for `advisor facts` cannot be used."""

    title = "facts error"


class ParseError(ValueError):
    """A system file is garbled; collection records it as skipped and goes on."""
