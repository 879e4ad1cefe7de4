"""Tests for turning command-line paths into an environment."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from advisor.facts.errors import FactsError
from advisor.facts.inputs import environment_from

from .sources.helpers import CLUSTER, SINGLE


def _pack(folder: Path, target: Path) -> Path:
    with tarfile.open(target, "w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    return target


def test_unpacked_folders_and_a_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("users: 2000\n")
    environment = environment_from([CLUSTER, SINGLE], facts)
    assert len(environment.nodes) == 4
    assert environment.user == {"users": 2000, "source": str(facts)}


def test_archive_file_is_read(tmp_path: Path) -> None:
    pytest.importorskip("advisor.ingest.sources")
    archive = _pack(SINGLE, tmp_path / f"{SINGLE.name}.tar.gz")
    environment = environment_from([archive])
    (node,) = environment.nodes
    assert node.name == "gitlab-single.example.com"
    assert node.hardware.vcpus is not None and node.hardware.vcpus.value == 8


def test_folder_of_archives_gives_one_node_each(tmp_path: Path) -> None:
    pytest.importorskip("advisor.ingest.sources")
    for root in sorted(CLUSTER.iterdir()):
        _pack(root, tmp_path / f"{root.name}.tar.gz")
    environment = environment_from([tmp_path])
    assert sorted(n.name for n in environment.nodes) == ["db-1", "gitaly-1", "rails-1"]


def test_bad_facts_file_stops_the_run(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("user: 10\n")
    with pytest.raises(FactsError, match="did you mean 'users'"):
        environment_from([SINGLE], facts)
