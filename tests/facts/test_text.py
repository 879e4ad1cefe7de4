"""Tests for rendering the environment."""

from __future__ import annotations

import json

import yaml

from advisor.facts.collect import collect, find_roots
from advisor.facts.text import render

from .sources.helpers import CLUSTER, DATA, SINGLE


def test_text_groups_by_node_and_cites_sources() -> None:
    text = render(collect(find_roots(CLUSTER)))
    assert (
        text.index("Node db-1")
        < text.index("Node gitaly-1")
        < text.index("Node rails-1")
    )
    assert "vcpus" in text and "lscpu:3" in text
    assert "db-1:etc/gitlab/gitlab.rb:3" in text  # environment facts name the node


def test_text_says_which_facts_are_unknown() -> None:
    text = render(collect(find_roots(DATA / "logs_only")))
    assert "unknown: hardware.vcpus" in text
    assert "strain.load_1m" in text


def test_json_and_yaml_carry_sources_and_unknowns() -> None:
    environment = collect([SINGLE])
    data = json.loads(render(environment, "json"))
    vcpus = data["nodes"][0]["hardware"]["vcpus"]
    assert vcpus["value"] == 8
    assert vcpus["source"] == {
        "file": "lscpu",
        "line": 5,
        "node": "gitlab-single.example.com",
    }
    assert "derived.load_architecture" in data["unknown"]
    assert yaml.safe_load(render(environment, "yaml")) == data
