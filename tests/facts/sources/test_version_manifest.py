"""Tests for the version manifest parsers."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import version_manifest

from .helpers import CLUSTER, run_doctests, sample


def test_doctests() -> None:
    run_doctests(version_manifest)


def test_json_manifest_of_the_sample_archive() -> None:
    info = version_manifest.parse(sample("opt/gitlab/version-manifest.json"))
    assert (info.gitlab_version.value, info.gitlab_version.source.line) == (
        "17.8.1",
        60,
    )
    assert info.edition is not None and info.edition.value == "ee"
    assert info.components["postgresql_new"].value == "16.6"


def test_text_manifest_of_a_cluster_node() -> None:
    root = CLUSTER / "gitlabsos.rails-1.20250306160712_nginx-puma-sidekiq"
    info = version_manifest.parse_text(sample("opt/gitlab/version-manifest.txt", root))
    assert info.gitlab_version.value == "16.11.2"
    assert info.components["postgresql"].value == "14.11"


def test_truncated_json_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not JSON"):
        version_manifest.parse('{"software": {')
