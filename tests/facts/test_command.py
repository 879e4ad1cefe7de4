"""Tests for the `advisor facts` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import main

from .sources.helpers import CLUSTER, DATA


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(CLUSTER)]) == 0
    out = capsys.readouterr().out
    assert "Node rails-1" in out and "hardware_architecture" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(CLUSTER), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [n["name"] for n in data["nodes"]] == ["db-1", "gitaly-1", "rails-1"]


def test_archive_without_system_files_lists_unknowns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["facts", str(DATA / "logs_only"), "--format", "yaml"]) == 0
    out = capsys.readouterr().out
    assert "- hardware.vcpus" in out


def test_bad_facts_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("reference_architecture: 4k\n")
    assert main(["facts", str(CLUSTER), "--facts-file", str(facts)]) == 2
    err = capsys.readouterr().err
    assert "reference_architecture: bad value '4k'" in err
