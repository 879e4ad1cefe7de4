"""Baseline files: built-in packs, recorded ones, and the errors bad ones give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.compare.baseline import (
    ArchitecturesBaseline,
    BaselineError,
    PublishedBaseline,
    TargetsBaseline,
    available,
    check_name,
    load_baseline,
    read,
    save,
)
from advisor.errors import UsageError

from .conftest import recorded


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Recorded baselines go to a fresh folder per test."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "baselines"


def test_builtin_baselines_load_with_provenance() -> None:
    assert available()[:3] == ["gitlab-targets", "gpt-10k", "reference-architectures"]
    targets = load_baseline("gitlab-targets")
    assert isinstance(targets, TargetsBaseline)
    assert targets.request_urgency.default == 1000
    assert targets.sidekiq_urgency.high.queue_ms == 10000
    assert targets.gitaly_timeouts.default == 55000
    gpt = load_baseline("gpt-10k")
    assert isinstance(gpt, PublishedBaseline) and gpt.score_pct == 97.8
    assert {t.test for t in gpt.tests} >= {"api_v4_groups", "git_pull", "web_project"}
    sizes = load_baseline("reference-architectures")
    assert isinstance(sizes, ArchitecturesBaseline)
    assert [s.rps.api for s in sizes.sizes] == [20, 40, 60, 100, 200, 500, 1000]
    for name in available():
        assert load_baseline(name).provenance.sources


def test_every_gpt_mapping_line_is_commented() -> None:
    text = (Path(__file__).parents[2] / "baselines" / "gpt-10k.yaml").read_text()
    tests = [line for line in text.splitlines() if line.strip().startswith("- {test:")]
    assert tests and all("}  # " in line for line in tests)


def test_unknown_baseline_lists_the_available_ones() -> None:
    with pytest.raises(BaselineError) as caught:
        load_baseline("gitlab-target")
    message = str(caught.value)
    assert "Did you mean 'gitlab-targets'?" in message
    assert "gpt-10k" in message and "reference-architectures" in message


def test_bad_value_names_file_path_value_and_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    text = (Path(__file__).parents[2] / "baselines" / "gitlab-targets.yaml").read_text()
    path.write_text(text.replace("urgency: low}", "urgency: lo}", 1))
    with pytest.raises(BaselineError) as caught:
        read(path)
    message = str(caught.value)
    assert str(path) in message and "endpoints.0.urgency" in message
    assert "'lo'" in message and "allowed: high, medium, default, low" in message
    assert "did you mean 'low'?" in message


def test_unknown_field_suggests_the_close_one(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    text = (Path(__file__).parents[2] / "baselines" / "gitlab-targets.yaml").read_text()
    path.write_text(text.replace("request_urgency:", "request_urgncy:"))
    with pytest.raises(BaselineError, match="did you mean 'request_urgency'"):
        read(path)


def test_bad_type_and_broken_yaml(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("type: measured\nname: x\n")
    with pytest.raises(BaselineError, match="allowed types: recorded, targets"):
        read(path)
    path.write_text("type: [unclosed\n")
    with pytest.raises(BaselineError, match="not valid YAML"):
        read(path)


def test_recorded_baselines_round_trip(
    dataset: Callable[..., Any], data_dir: Path
) -> None:
    baseline = recorded(dataset("healthy"), "mine")
    path = save(baseline)
    assert path == data_dir / "mine.json"
    assert "mine" in available()
    again = load_baseline("mine")
    assert again == baseline
    assert path.stat().st_size < 200_000  # compact: dense sketch counts


def test_names_are_checked() -> None:
    with pytest.raises(UsageError, match="built-in"):
        check_name("gitlab-targets")
    with pytest.raises(UsageError, match="not a usable baseline name"):
        check_name("../evil")
