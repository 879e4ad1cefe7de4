"""Pseudonyms: stable per name, and no original name survives in a redacted report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from advisor.commands.report import make_report
from advisor.redact import Redactor
from advisor.render.report import Report, render
from advisor.simulate import generate
from advisor.store.identity import instance_from_roots

IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")


def test_the_same_name_gets_the_same_pseudonym() -> None:
    redactor = Redactor()
    redactor.add("user", ["alice", "bob"])
    assert redactor.text("alice bob alice") == "user-1 user-2 user-1"
    assert redactor.text("10.1.2.3 then 10.1.2.4 then 10.1.2.3") == (
        "ip-1 then ip-2 then ip-1"
    )


def test_names_are_found_inside_paths_urls_and_emails() -> None:
    redactor = Redactor()
    redactor.add("host", ["git-01"])
    redactor.add("project", ["acme/web"])
    text = redactor.text(
        "git-01 served https://gitlab.corp.example/acme/web.git/info/refs "
        "for jane@corp.example from 2001:db8::7 (git-01-old, 16.11.1)"
    )
    assert text == (
        "host-1 served https://host-2/project-1.git/info/refs "
        "for email-1@example.invalid from ip-1 (git-01-old, 16.11.1)"
    )


def test_words_that_only_contain_a_name_are_kept() -> None:
    redactor = Redactor()
    redactor.add("host", ["gitlab"])
    assert redactor.text("GitLab gitlab-rails gitlab") == "GitLab gitlab-rails host-1"


def test_times_and_ruby_constants_are_not_addresses() -> None:
    redactor = Redactor()
    text = "12:00:01 Gitlab::Ab::Cd ::1"
    assert redactor.text(text) == "12:00:01 Gitlab::Ab::Cd ip-1"


def _originals(archives: list[Path]) -> dict[str, set[str]]:
    """Every user, email, IP, host and project path the simulated archives hold."""
    found: dict[str, set[str]] = {k: set() for k in ("user", "project", "ip", "host")}
    for root in archives:
        found["host"].add((root / "hostname").read_text().strip())
        for log in (root / "var/log/gitlab").rglob("*"):
            if not log.is_file():
                continue
            text = log.read_text(errors="replace")
            found["ip"].update(IPV4.findall(text))
            for line in text.splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(event, dict):
                    continue
                for field in ("username", "meta.user", "user"):
                    if isinstance(event.get(field), str):
                        found["user"].add(event[field])
                for field in ("meta.project", "project"):
                    if isinstance(event.get(field), str):
                        found["project"].add(event[field])
    found["host"].add(str(instance_from_roots(archives)))
    return found


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A two-node simulated environment with an email as one user's name."""
    out = tmp_path_factory.mktemp("sim")
    paths = generate("slow-storage", out, hours=0.25, seed=4, nodes=2)
    rails = next(p for p in paths if (p / "var/log/gitlab/gitlab-rails").is_dir())
    log = rails / "var/log/gitlab/gitlab-rails/production_json.log"
    first = json.loads(log.read_text().splitlines()[1])
    first.update({"meta.user": "jane.doe@corp.example", "username": "jane.doe"})
    with log.open("a") as handle:
        handle.write(json.dumps(first) + "\n")
    return paths


@pytest.fixture(scope="module")
def reports(archives: list[Path]) -> tuple[Report, Report]:
    """The plain and the redacted report of the archives."""
    paths = [str(path) for path in archives]
    return make_report(paths), make_report(paths, redact=True)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_original_name_survives_in_a_redacted_report(
    archives: list[Path], reports: tuple[Report, Report], fmt: str
) -> None:
    originals = _originals(archives)
    assert all(originals.values()), originals
    assert "jane.doe@corp.example" in originals["user"]
    plain, redacted = (render(report, fmt) for report in reports)
    shown = {
        name for names in originals.values() for name in names if _appears(name, plain)
    }
    assert len(shown) > 5  # the plain report does name users, projects and hosts
    leaks = sorted(
        n for names in originals.values() for n in names if _appears(n, redacted)
    )
    assert leaks == []
    assert "user-1" in redacted and "host-1" in redacted and "project-1" in redacted


def _appears(name: str, text: str) -> bool:
    """Whether ``name`` occurs as a whole word (not inside a longer name)."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text) is not None
