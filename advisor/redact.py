"""Stable pseudonyms for people, machines and projects, so reports can be shared.

The same original always maps to the same pseudonym within one ``Redactor``: users
become ``user-1``, projects ``project-1``, hosts ``host-1``, addresses ``ip-1`` and
emails ``email-1@example.invalid``. Known names are registered from structured data
(node names, the user and project columns of the logs); emails, IP addresses and the
hosts of URLs are also found by pattern in any text.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

CATEGORIES = ("user", "project", "host", "ip", "email")

EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL_HOST = re.compile(r"(?<=://)(?:[^/\s@]*@)?(?P<host>[A-Za-z0-9.-]+)")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
# Candidates only: each match is checked by the ipaddress module before replacing.
IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
# A word or a slash-separated path of words: what names and project paths look like.
TOKEN = re.compile(r"[\w.-]+(?:/[\w.-]+)*")
GIT_SUFFIXES = (".wiki.git", ".git", ".wiki")
#: Public sites that remediation steps and references link to; never a customer's.
PUBLIC_HOSTS = frozenset(
    (
        "docs.gitlab.com",
        "gitlab.com",
        "about.gitlab.com",
        "handbook.gitlab.com",
        "www.postgresql.org",
        "redis.io",
    )
)


class Redactor:
    """Replaces names with pseudonyms, numbering each category in order of first sight."""

    def __init__(self) -> None:
        self._maps: dict[str, dict[str, str]] = {c: {} for c in CATEGORIES}
        self._pseudonyms: set[str] = set()

    def add(self, category: str, values: Iterable[str | None]) -> None:
        """Registers original names of a category so they are replaced in any text."""
        for value in values:
            if value and str(value).strip():
                self.pseudonym(category, str(value).strip())

    def pseudonym(self, category: str, value: str) -> str:
        """The pseudonym of ``value``, made on first sight."""
        mapping = self._maps[category]
        if value in self._pseudonyms:
            return value
        if value not in mapping:
            number = len(mapping) + 1
            fake = (
                f"email-{number}@example.invalid"
                if category == "email"
                else f"{category}-{number}"
            )
            mapping[value] = fake
            self._pseudonyms.add(fake)
        return mapping[value]

    def originals(self, category: str) -> list[str]:
        """The original values seen in a category."""
        return list(self._maps[category])

    def text(self, text: str) -> str:
        """Replaces every email, address, URL host and registered name in ``text``."""
        text = EMAIL.sub(lambda m: self.pseudonym("email", m.group(0)), text)
        text = URL_HOST.sub(self._url_host, text)
        text = IPV4.sub(self._address, text)
        text = IPV6.sub(self._address, text)
        return TOKEN.sub(self._token, text)

    def value(self, value: Any) -> Any:
        """Redacts every string inside nested dicts, lists and tuples (keys included)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(item) for item in value)
        return value

    def _url_host(self, match: re.Match[str]) -> str:
        host = match.group("host")
        if _is_address(host) or host in self._pseudonyms or host in PUBLIC_HOSTS:
            return match.group(0)
        start = match.start("host") - match.start(0)
        return match.group(0)[:start] + self.pseudonym("host", host)

    def _address(self, match: re.Match[str]) -> str:
        text = match.group(0)
        return self.pseudonym("ip", text) if _is_address(text) else text

    def _token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if token in self._pseudonyms:
            return token
        parts = token.split("/")
        found = self._project_span(parts)
        if found is not None:
            start, end, fake = found
            return "/".join(parts[:start] + [fake] + parts[end:])
        return "/".join(self._word(part) for part in parts)

    def _project_span(self, parts: list[str]) -> tuple[int, int, str] | None:
        """The longest run of path segments that is a registered project."""
        projects = self._maps["project"]
        if not projects:
            return None
        for length in range(len(parts), 1, -1):
            for start in range(len(parts) - length + 1):
                candidate = "/".join(parts[start : start + length])
                for suffix in ("", *GIT_SUFFIXES):
                    if suffix and not candidate.endswith(suffix):
                        continue
                    bare = candidate[: len(candidate) - len(suffix)]
                    if bare in projects:
                        return start, start + length, projects[bare] + suffix
        return None

    def _word(self, word: str) -> str:
        for category in ("host", "user", "project", "ip"):
            fake = self._maps[category].get(word)
            if fake is not None:
                return fake
        return word


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
