"""GitLab version, edition and component versions - files
``opt/gitlab/version-manifest.json`` and ``opt/gitlab/version-manifest.txt``.

Sample input (JSON, shortened)::

    {
      "manifest_format": 2,
      "software": {
        "gitaly": {
          "locked_version": "3c8f3a7d",
          "display_version": "17.8.1"
        },
        "gitlab-rails": {
          "locked_version": "6fe95e6e",
          "locked_source": {"git": "https://gitlab.com/gitlab-org/gitlab.git"},
          "described_version": "v17.8.1-ee",
          "display_version": "17.8.1-ee"
        },
        "postgresql_new": {
          "display_version": "16.6"
        }
      },
      "build_version": "17.8.1+ee.0",
      "build_git_revision": "0b7e4c1e"
    }

The text manifest starts with ``gitlab-ee 17.8.1`` and lists ``name version`` rows.

Examples:
    >>> info = parse(SAMPLE)
    >>> info.gitlab_version.value, info.edition.value, info.gitlab_version.source.line
    ('17.8.1', 'ee', 18)
    >>> info.components["gitaly"].value, info.components["postgresql_new"].source.line
    ('17.8.1', 14)
    >>> text = parse_text("gitlab-ce 16.11.2\\n\\ngitaly  v16.11.2\\n")
    >>> text.gitlab_version.value, text.edition.value
    ('16.11.2', 'ce')
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from pydantic import BaseModel, Field

from advisor.facts.errors import ParseError
from advisor.facts.models import Fact, fact
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
{
  "manifest_format": 2,
  "software": {
    "gitaly": {
      "locked_version": "3c8f3a7d",
      "display_version": "17.8.1"
    },
    "gitlab-rails": {
      "locked_version": "6fe95e6e",
      "locked_source": {"git": "https://gitlab.com/gitlab-org/gitlab.git"},
      "described_version": "v17.8.1-ee",
      "display_version": "17.8.1-ee"
    },
    "postgresql_new": {
      "display_version": "16.6"
    }
  },
  "build_version": "17.8.1+ee.0",
  "build_git_revision": "0b7e4c1e"
}
"""

VERSION = re.compile(r"(\d+\.\d+\.\d+)")
EDITION = re.compile(r"[-+.](ee|ce)\b")

#: Components worth showing, by manifest name.
COMPONENTS = (
    "gitaly",
    "gitlab-rails",
    "gitlab-workhorse",
    "gitlab-shell",
    "postgresql",
    "postgresql_new",
    "postgresql_old",
    "redis",
    "nginx",
    "praefect",
    "pgbouncer",
)


class Manifest(BaseModel):
    """What the package says about itself."""

    gitlab_version: Fact[str]
    edition: Fact[str] | None = None
    components: dict[str, Fact[str]] = Field(default_factory=dict)


def parse(text: str, file: str = "opt/gitlab/version-manifest.json") -> Manifest:
    """Reads `build_version` (else `gitlab-rails`) and each component's version."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("software"), dict):
        raise ParseError("no 'software' object")
    lines = _key_lines(text)
    software: dict[str, Any] = data["software"]
    rails = software.get("gitlab-rails") or {}
    build = str(data.get("build_version") or "")
    found = VERSION.search(build) or VERSION.search(str(rails.get("display_version")))
    if not found:
        raise ParseError("no 'build_version' or 'gitlab-rails' version")
    line = (
        lines.get("build_version")
        if VERSION.search(build)
        else lines.get("gitlab-rails")
    )
    edition = _edition(build, rails)
    return Manifest(
        gitlab_version=fact(found.group(1), file, line),
        edition=fact(edition, file, line) if edition else None,
        components=_components(software, lines, file),
    )


def parse_text(text: str, file: str = "opt/gitlab/version-manifest.txt") -> Manifest:
    """Reads the `gitlab-ee 17.8.1` first line and the `name version` rows."""
    rows = [(n, line.split()) for n, line in numbered(text) if line.strip()]
    found = VERSION.search(rows[0][1][1]) if rows and len(rows[0][1]) >= 2 else None
    if found is None:
        raise ParseError("first line is not '<package> <version>'")
    line_no, (package, version, *_) = rows[0]
    edition = package.rpartition("-")[2] if package.endswith(("-ee", "-ce")) else None
    components = {
        words[0]: fact(words[1].lstrip("v"), file, n)
        for n, words in rows[1:]
        if len(words) >= 2 and words[0] in COMPONENTS
    }
    return Manifest(
        gitlab_version=fact(found.group(1), file, line_no),
        edition=fact(edition, file, line_no) if edition else None,
        components=components,
    )


def _edition(build: str, rails: dict[str, Any]) -> str | None:
    """Finds `ee` or `ce` in the build version, the Rails version or its source."""
    for text in (
        build,
        str(rails.get("display_version")),
        str(rails.get("described_version")),
    ):
        match = EDITION.search(text)
        if match:
            return match.group(1)
    source = json.dumps(rails.get("locked_source") or {})
    if "gitlab-foss" in source:
        return "ce"
    return "ee" if "gitlab-ee" in source else None


def _components(
    software: dict[str, Any], lines: dict[str, int], file: str
) -> dict[str, Fact[str]]:
    """Reads `display_version` of the components the advisor shows."""
    found = {}
    for name in COMPONENTS:
        entry = software.get(name)
        if isinstance(entry, dict) and entry.get("display_version"):
            found[name] = fact(str(entry["display_version"]), file, lines.get(name))
    return found


def _key_lines(text: str) -> dict[str, int]:
    """Maps each JSON key to the first line it appears on."""
    lines: dict[str, int] = {}
    for line_no, line in numbered(text):
        for key in re.findall(r'"([^"]+)"\s*:', line):
            lines.setdefault(key, line_no)
    return lines
