"""Maps the settings read from `gitlab.rb` onto the node's configuration facts."""

from __future__ import annotations

import logging
from typing import Any

from advisor.facts.models import Config, Fact, default, fact
from advisor.facts.sources.gitlab_rb import GitlabRb

log = logging.getLogger(__name__)

#: Where the Linux package keeps each data directory unless `gitlab.rb` moves it.
DEFAULT_PATHS = {
    "git_data": "/var/opt/gitlab/git-data",
    "postgresql_data": "/var/opt/gitlab/postgresql/data",
    "uploads": "/var/opt/gitlab/gitlab-rails/uploads",
}

#: Linux package defaults, used when `gitlab.rb` leaves a setting out.
PUMA_THREADS = 4
SIDEKIQ_PROCESSES = 1
SIDEKIQ_CONCURRENCY = 20

LOCAL_DB_HOSTS = ("", "localhost", "127.0.0.1", "::1")


class _Settings:
    """Looks settings up in one parsed gitlab.rb and cites them."""

    def __init__(self, rb: GitlabRb, file: str) -> None:
        self.rb = rb
        self.file = file

    def first(self, *paths: str) -> Fact[Any] | None:
        """Returns the first of `paths` that is set, as a fact."""
        for path in paths:
            found = self.rb.get(path)
            if found is not None and found[0] is not None:
                return fact(found[0], self.file, found[1], note=path)
        return None


def config_from(rb: GitlabRb, file: str) -> Config:
    """Builds the configuration facts; unset settings get their documented default."""
    settings = _Settings(rb, file)
    config = Config(
        puma_workers=_int(settings.first("puma.worker_processes")),
        puma_threads=_int(settings.first("puma.max_threads"))
        or default(PUMA_THREADS, "Linux package default puma['max_threads']"),
        sidekiq_concurrency=_int(
            settings.first("sidekiq.concurrency", "sidekiq.max_concurrency")
        )
        or default(SIDEKIQ_CONCURRENCY, "Linux package default since 2022-12"),
        gitaly_concurrency=settings.first(
            "gitaly.configuration.concurrency", "gitaly.concurrency"
        )
        or default([], "no per-RPC limits; they are off by default on self-managed"),
        gitaly_pack_objects_cache=settings.first(
            "gitaly.configuration.pack_objects_cache.enabled",
            "gitaly.pack_objects_cache_enabled",
        )
        or default(False, "pack-objects cache is off unless enabled"),
        git_data_path=_git_data_path(settings)
        or default(DEFAULT_PATHS["git_data"], "Linux package default"),
        postgresql=_postgresql(rb, file),
        db_load_balancing_hosts=settings.first("gitlab_rails.db_load_balancing.hosts")
        or default([], "database load balancing is not configured"),
        external_url=_external_url(settings),
        external=_external(settings),
    )
    _sidekiq_processes(settings, config)
    return config


def data_path(config: Config, name: str) -> str:
    """Returns where a data directory lives on this node."""
    if name == "git_data" and config.git_data_path is not None:
        return str(config.git_data_path.value)
    if name == "postgresql_data" and "data_dir" in config.postgresql:
        return str(config.postgresql["data_dir"].value)
    return DEFAULT_PATHS[name]


def _int(found: Fact[Any] | None) -> Fact[int] | None:
    """Keeps a fact only if its value is a whole number."""
    if (
        found is None
        or isinstance(found.value, bool)
        or not isinstance(found.value, int)
    ):
        return None
    return Fact[int](value=found.value, source=found.source, note=found.note)


def _sidekiq_processes(settings: _Settings, config: Config) -> None:
    """One Sidekiq process per queue group; one when no groups are set."""
    groups = settings.first("sidekiq.queue_groups", "sidekiq_cluster.queue_groups")
    if groups is not None and isinstance(groups.value, list) and groups.value:
        names = [str(group) for group in groups.value]
        config.sidekiq_queue_groups = Fact[list[str]](
            value=names, source=groups.source, note=groups.note
        )
        config.sidekiq_processes = Fact[int](
            value=len(names), source=groups.source, note="one process per queue group"
        )
    else:
        config.sidekiq_queue_groups = default(["*"], "Linux package default")
        config.sidekiq_processes = default(SIDEKIQ_PROCESSES, "no queue groups set")


def _git_data_path(settings: _Settings) -> Fact[str] | None:
    """Reads the first storage path from `git_data_dirs` or Gitaly's `storage` list."""
    found = settings.first("git_data_dirs", "gitaly.configuration.storage")
    if found is None:
        return None
    value = found.value
    first = next(iter(value.values()), None) if isinstance(value, dict) else None
    if isinstance(value, list) and value:
        first = value[0]
    if not isinstance(first, dict) or not isinstance(first.get("path"), str):
        return None
    return fact(first["path"], found.source.file, found.source.line, found.note)


def _postgresql(rb: GitlabRb, file: str) -> dict[str, Fact[Any]]:
    """Collects every scalar `postgresql['...']` setting."""
    found = {}
    for key, setting in rb.settings.items():
        name = key.partition(".")[2]
        if key.startswith("postgresql.") and not isinstance(setting.value, dict | list):
            found[name] = fact(setting.value, file, setting.line, note=key)
    return found


def _external_url(settings: _Settings) -> Fact[str] | None:
    """The URL users reach GitLab at, as gitlab.rb sets it."""
    found = settings.first("external_url")
    return _text(found) if found else None


def _external(settings: _Settings) -> dict[str, Fact[str]]:
    """Finds services this node reaches on other hosts."""
    found: dict[str, Fact[str]] = {}
    db_host = settings.first("gitlab_rails.db_host")
    if db_host and str(db_host.value) not in LOCAL_DB_HOSTS:
        if not str(db_host.value).startswith("/"):
            found["postgresql"] = _text(db_host)
    redis = settings.first("gitlab_rails.redis_host", "gitlab_rails.redis_sentinels")
    if redis and str(redis.value) not in LOCAL_DB_HOSTS:
        found["redis"] = _text(redis)
    gitaly = _gitaly_address(settings)
    if gitaly:
        found["gitaly"] = gitaly
    store = settings.first("gitlab_rails.object_store.enabled")
    if store and store.value is True:
        provider = settings.first("gitlab_rails.object_store.connection.provider")
        label = str(provider.value) if provider else "enabled"
        found["object_storage"] = fact(label, store.source.file, store.source.line)
    return found


def _gitaly_address(settings: _Settings) -> Fact[str] | None:
    """Returns the first remote `gitaly_address` of the storages."""
    found = settings.first("gitlab_rails.repositories_storages", "git_data_dirs")
    if found is None or not isinstance(found.value, dict):
        return None
    for storage in found.value.values():
        address = storage.get("gitaly_address") if isinstance(storage, dict) else None
        if isinstance(address, str) and address.startswith(("tcp://", "tls://")):
            return fact(address, found.source.file, found.source.line, found.note)
    return None


def _text(found: Fact[Any]) -> Fact[str]:
    """Turns a fact's value into text (lists are joined)."""
    value = found.value
    if isinstance(value, list):
        hosts = [
            item.get("host", item) if isinstance(item, dict) else item for item in value
        ]
        text = ", ".join(map(str, hosts))
    else:
        text = str(value)
    return Fact[str](value=text, source=found.source, note=found.note)
