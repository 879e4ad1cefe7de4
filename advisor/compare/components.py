"""Which component each log key belongs to, and which latencies each kind is compared on.

Components: ``web`` (Rails controllers), ``api`` (Grape routes), ``git`` (Git over HTTP
and SSH: the Git HTTP controllers, the internal API that authorises Git commands, and
gitlab-shell), ``gitaly`` (every Gitaly RPC), ``sidekiq`` (every worker) and
``database`` (time in PostgreSQL: the ``db`` metric of Rails requests and jobs, and the
slow-statement log). Workhorse lines repeat the Rails requests seen from the front, so
they are not compared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from advisor.compare.models import Component

log = logging.getLogger(__name__)

Metric = Literal["duration", "queue", "db"]

COMPONENTS: tuple[Component, ...] = (
    "web",
    "api",
    "git",
    "gitaly",
    "sidekiq",
    "database",
)

#: Controllers that serve Git over HTTP (clone, fetch, push, LFS).
GIT_CONTROLLERS = (
    "Repositories::GitHttpController",
    "Repositories::LfsApiController",
    "Repositories::LfsStorageController",
    "Repositories::LfsLocksApiController",
)


@dataclass(frozen=True)
class Series:
    """One latency compared per key: a kind, a metric name and its SQL expression."""

    kind: str
    metric: Metric
    sql: str
    label: str


#: Rails latency is the request's duration plus its wait in Workhorse before Puma:
#: both are time the client waits, and a saturated Puma shows only in the second.
RAILS_LATENCY = "duration_ms + coalesce(queue_ms, 0)"

SERIES: tuple[Series, ...] = (
    Series("production", "duration", RAILS_LATENCY, "duration + Workhorse queue"),
    Series("production", "db", "db_ms", "database time"),
    Series("api", "duration", RAILS_LATENCY, "duration + Workhorse queue"),
    Series("api", "db", "db_ms", "database time"),
    Series("gitaly", "duration", "duration_ms", "RPC time"),
    Series("sidekiq", "duration", "duration_ms", "execution time"),
    Series("sidekiq", "queue", "queue_ms", "scheduling latency"),
    Series("sidekiq", "db", "db_ms", "database time"),
    Series("shell", "duration", "duration_ms", "command time"),
    Series("postgres", "duration", "duration_ms", "slow statement time"),
)


def is_git_controller(key: str) -> bool:
    """True for a Rails controller action that serves Git over HTTP."""
    return key.split("#", 1)[0] in GIT_CONTROLLERS


def component_of(kind: str, key: str, metric: str = "duration") -> Component | None:
    """The component a key's metric belongs to; None for kinds not compared."""
    if metric == "db" or kind == "postgres":
        return "database"
    if kind == "production":
        return "git" if is_git_controller(key) else "web"
    if kind == "api":
        return "git" if "/internal/" in key else "api"
    if kind == "shell":
        return "git"
    if kind == "gitaly":
        return "gitaly"
    if kind == "sidekiq":
        return "sidekiq"
    return None


def sql_component(kind: str) -> str:
    """A DuckDB expression giving the component of each event's duration."""
    git = ", ".join(f"'{name}'" for name in GIT_CONTROLLERS)
    if kind == "production":
        return f"CASE WHEN split_part(key, '#', 1) IN ({git}) THEN 'git' ELSE 'web' END"
    if kind == "api":
        return "CASE WHEN contains(key, '/internal/') THEN 'git' ELSE 'api' END"
    fixed = {"shell": "git", "gitaly": "gitaly", "sidekiq": "sidekiq"}
    return f"'{fixed.get(kind, 'database')}'"
