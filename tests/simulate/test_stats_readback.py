"""Every generated log is read back by `advisor stats` with only expected skips."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from advisor.cli import main
from advisor.simulate import SCENARIOS
from tests.simulate.conftest import Archive

#: Lines the simulator writes on purpose that carry no event.
EXPECTED = {
    "truncated first line (archive tail)",
    "not an RPC completion line",  # Gitaly hook "Finished HTTP request" lines
    "not a job completion line (start or other message)",  # Sidekiq start lines
    "no duration (not a finished request)",  # gitlab-shell auth/command lines
    "not a slow-statement line",  # PostgreSQL checkpoints
}
#: Non-JSON child-process lines injected per log (layout.py noise tuples).
NOISE = {"gitaly": 2, "workhorse": 1, "sidekiq": 1}
KINDS = {
    "gitlab-rails/production_json.log": "production",
    "gitlab-rails/api_json.log": "api",
    "gitaly/current": "gitaly",
    "sidekiq/current": "sidekiq",
    "gitlab-workhorse/current": "workhorse",
    "gitlab-shell/gitlab-shell.log": "shell",
    "postgresql/current": "postgres",
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_stats_reads_every_log(
    name: str,
    archives: Callable[[str], Archive],
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = archives(name)
    assert main(["stats", str(archive.root), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = {i["file"].split("var/log/gitlab/")[1]: i for i in report["inputs"]}
    for path, kind in KINDS.items():
        entry = found[path]
        assert entry["kind"] == kind, path
        assert entry["events"] > 0, path
        skipped = dict(entry["skipped"])
        noise = skipped.pop("not JSON, or no known field", 0)
        # A cut first line that happens to look whole may be counted as noise instead.
        cut = skipped.get("truncated first line (archive tail)", 0)
        assert noise + cut <= NOISE.get(kind, 0) + 1, (path, noise)
        assert set(skipped) <= EXPECTED, (path, skipped)
