"""A redacted inventory record names no project, even inside findings' text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from advisor.diagnosis import Options, diagnose
from advisor.redact import Redactor
from advisor.simulate import generate
from advisor.store import open_inventory, record


def test_project_named_by_a_finding_is_redacted(tmp_path: Path) -> None:
    (archive,) = generate("missing-housekeeping", tmp_path / "sim", hours=0.25, seed=2)
    diagnosis = diagnose([str(archive)], Options(baseline=None))
    projects = {
        fact.key for fact in diagnosis.facts if fact.key and "project" in fact.name
    }
    assert projects, "the scenario's slow repository is a fact"
    quoted = [p for p in projects if any(p in f.cause for f in diagnosis.findings)]
    assert quoted, "and a finding quotes it"
    url = f"sqlite:///{tmp_path / 'inventory.sqlite'}"
    record(url, diagnosis, redact=True)
    with open_inventory(url) as inventory:
        runs = [
            run.model_dump(mode="json")
            for summary in inventory.environments()
            for run in inventory.runs(summary.key)
        ]
    stored = json.dumps(runs)
    assert len(runs) == 1
    for project in projects:
        assert project not in stored
    assert re.search(r"project-\d+", stored)


def test_documentation_links_survive_redaction() -> None:
    redactor = Redactor()
    redactor.add("host", ["gitlab.example.com"])
    text = "See https://docs.gitlab.com/administration/gitaly/ on https://gitlab.example.com/x"
    assert redactor.text(text) == (
        "See https://docs.gitlab.com/administration/gitaly/ on https://host-1/x"
    )
