"""Tests for the gitlab.rb reader."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import gitlab_rb

from .helpers import CLUSTER, run_doctests, sample


def test_doctests() -> None:
    run_doctests(gitlab_rb)


def test_sample_archive_settings_and_skips() -> None:
    rb = gitlab_rb.parse(sample("etc/gitlab/gitlab.rb"))
    assert rb.get("puma.worker_processes") == (4, 8)
    assert rb.get("sidekiq.queue_groups") == (["*", "*"], 13)
    assert rb.get("postgresql.shared_buffers") == ("4GB", 18)
    assert rb.get("postgresql.max_worker_processes") is None  # commented out
    limit = rb.get("gitaly.configuration.concurrency")
    assert limit is not None and limit[0][0]["max_per_repo"] == 20
    assert rb.get("gitlab_rails.object_store.enabled") == (False, 38)
    assert rb.skipped == [(23, "'ENV' is not a literal value")]


def test_hash_rockets_method_calls_and_word_arrays() -> None:
    root = CLUSTER / "gitlabsos.rails-1.20250306160712_nginx-puma-sidekiq"
    rb = gitlab_rb.parse(sample("etc/gitlab/gitlab.rb", root))
    assert rb.get("roles") == (["application_role"], 2)
    assert rb.get("git_data_dirs.default.gitaly_address") == (
        "tcp://10.0.0.20:8075",
        11,
    )
    assert rb.get("gitlab_rails.object_store.connection.provider") == ("AWS", 18)
    words = gitlab_rb.parse("postgresql['trust'] = %w(10.0.0.0/24 127.0.0.1/32)\n")
    assert words.get("postgresql.trust") == (["10.0.0.0/24", "127.0.0.1/32"], 1)


def test_code_is_never_run_and_later_statements_survive() -> None:
    text = "x = `rm -rf /`\nsystem('id')\npuma['worker_processes'] = 3\n"
    rb = gitlab_rb.parse(text)
    assert rb.get("puma.worker_processes") == (3, 3)
    assert [line for line, _ in rb.skipped] == [1, 2]
    assert list(rb.settings) == ["puma.worker_processes"]


def test_quotes_escapes_and_symbols() -> None:
    rb = gitlab_rb.parse(
        'nginx[\'custom\'] = "a \\"quoted\\" # not a comment"\n'
        "gitaly['configuration'][:storage] = [{ 'name' => :default }]\n"
    )
    assert rb.get("nginx.custom") == ('a "quoted" # not a comment', 1)
    assert rb.get("gitaly.configuration.storage") == ([{"name": "default"}], 2)


def test_nothing_readable_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no readable statement"):
        gitlab_rb.parse("<html>404 Not Found</html>\n")
