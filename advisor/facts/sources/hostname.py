"""The node's name - command ``hostname`` (file ``hostname``).

Sample input::

    gitlab-rails-1.example.com

Examples:
    >>> parse("gitlab-rails-1.example.com\\n").value
    'gitlab-rails-1.example.com'
"""

from __future__ import annotations

import logging

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)


def parse(text: str, file: str = "hostname") -> Fact[str]:
    """Returns the first non-empty line, which must be a single word."""
    for line_no, line in numbered(text):
        if line.strip():
            if len(line.split()) != 1:
                raise ParseError(f"line {line_no}: {line.strip()!r} is not a host name")
            return fact(line.strip(), file, line_no)
    raise ParseError("empty file")
