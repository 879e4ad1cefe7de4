"""A stable identity for an environment, so runs at different dates line up."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

GITLAB_RB = Path("etc/gitlab/gitlab.rb")


def identity(
    env_name: str | None,
    instance: str | None,
    hostnames: Iterable[str],
    inputs: Iterable[str] = (),
) -> tuple[str, str]:
    """Returns (key, display name): a given name, else the instance, else the hosts.

    Log files given on their own name no host; they are kept apart by the files they
    came from (``files:<digest>``, named after the first file), so runs of unrelated
    instances never share one environment.
    """
    if env_name and env_name.strip():
        return f"name:{env_name.strip()}", env_name.strip()
    if instance:
        return f"instance:{instance.lower()}", instance.lower()
    hosts = sorted({host.lower() for host in hostnames if host})
    if hosts:
        return f"hosts:{','.join(hosts)}", ",".join(hosts)
    files = sorted(str(Path(item).resolve()) for item in inputs if item)
    if not files:
        return "hosts:unknown", "unknown"
    digest = hashlib.sha256("\n".join(files).encode()).hexdigest()[:10]
    return f"files:{digest}", f"{Path(files[0]).name}-{digest[:6]}"


def external_host(url: str | None) -> str | None:
    """The host part of GitLab's external_url, if it has one."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return host.lower() if host else None


def instance_from_roots(roots: Iterable[str | Path]) -> str | None:
    """The external_url host found in the gitlab.rb of any archive root, if any."""
    from advisor.facts.sources import gitlab_rb

    for root in roots:
        path = Path(root) / GITLAB_RB
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        try:
            found = gitlab_rb.parse(text).get("external_url")
        except gitlab_rb.ParseError:
            continue
        if found is not None and isinstance(found[0], str):
            host = external_host(found[0])
            if host:
                return host
    return None
