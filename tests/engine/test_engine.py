"""Vocabulary docs, rule loading errors, the engine adapter and the fixture cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import analyse
from advisor.engine.casefile import case_files, load_cases, run_cases, untested
from advisor.engine.errors import RuleFileError
from advisor.engine.lint import lint
from advisor.engine.loader import builtin_dir, load_file, load_pack
from advisor.engine.vocabulary import make, render_markdown

REPO = Path(__file__).resolve().parents[2]

BROKEN = """\
rules:
  - id: MY_RULE
    title: t
    component: gitaly
    severity: high
    confidence: 0.5
    when:
      - fact: gitaly.unary_p59_ms
        above: 20
    cause: c
    evidence: ["e"]
"""


def test_vocabulary_doc_is_current() -> None:
    doc = (REPO / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert doc == render_markdown(), (
        "run: python -m advisor.engine.vocabulary > docs/vocabulary.md"
    )
    assert "vocabulary.md" in (REPO / "docs" / "facts.md").read_text(encoding="utf-8")


def test_pack_loads_and_lints_clean() -> None:
    rules = load_pack()
    assert len(rules) >= 25
    assert lint(rules) == []


def test_every_rule_has_passing_cases() -> None:
    rules = load_pack()
    cases = [c for f in case_files([builtin_dir()]) for c in load_cases(f)]
    assert untested(rules, cases) == []
    failed = [o for o in run_cases(rules, cases) if not o.passed]
    assert failed == []


def test_broken_rule_names_file_line_rule_key_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BROKEN)
    with pytest.raises(RuleFileError) as caught:
        load_file(path)
    text = str(caught.value)
    assert f"{path}:8" in text
    assert "MY_RULE" in text and "rules.0.when.0.fact" in text
    assert "gitaly.unary_p95_ms" in text
    assert text.endswith("?") and "?." not in text


def test_misspelt_key_gets_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        BROKEN.replace("p59", "p95").replace("    cause: c", "    cuase: c")
    )
    with pytest.raises(RuleFileError) as caught:
        load_file(path)
    assert ":10:" in str(caught.value) and "'cause'" in str(caught.value)


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - id: [unclosed\n")
    with pytest.raises(RuleFileError, match=r"bad.yaml:\d+: not valid YAML"):
        load_file(path)


def test_unless_holds_whatever_the_fact_order() -> None:
    rules = load_pack()
    facts = [
        make("host.cpu_busy_pct", 95.0),
        make("gitaly.unary_p95_ms", 60.0),
        make("storage.git_data_network_fs", True),
    ]
    for order in (facts, facts[::-1]):
        ids = {f.id for f in analyse(rules, order)}
        assert "STORAGE_NETWORK_FS_SLOW_GITALY" not in ids


def test_runs_are_isolated_and_repeatable() -> None:
    rules = load_pack()
    facts = [
        make("gitaly.unary_p95_ms", 60.0),
        make("storage.git_data_network_fs", True),
    ]
    first = analyse(rules, facts)
    analyse(
        rules, [make("host.swap_in_kb_s", 500.0), make("rails.unexplained_share", 0.5)]
    )
    again = analyse(rules, facts)
    assert [f.model_dump() for f in first] == [f.model_dump() for f in again]
    assert first[0].id == "STORAGE_NETWORK_FS_SLOW_GITALY"
    assert "MEMORY_SWAPPING" not in {f.id for f in again}


def test_many_rules_split_across_rulesets() -> None:
    from advisor.engine import adapter
    from advisor.engine.model import Rule

    base = load_pack()[0].rule.model_dump(by_alias=True)
    rules = [
        Rule.model_validate(
            {**base, "id": f"BULK_RULE_{i}", "explains": [], "look_alikes": []}
        )
        for i in range(450)
    ]
    names = adapter.compile_rules(rules)
    assert len(names) == 3


@pytest.mark.parametrize(
    ("rho_key", "fires"), [("api:/projects", True), ("web:Projects#show", False)]
)
def test_explain_agrees_with_the_engine_on_same_key(rho_key: str, fires: bool) -> None:
    # LOAD_INDUCED_LATENCY wants the pattern and the rho of one key (same_key).
    from advisor.engine.explain import check, would_fire

    rules = load_pack()
    (rule,) = [r.rule for r in rules if r.rule.id == "LOAD_INDUCED_LATENCY"]
    facts = [
        make("load.pattern", "load-induced", key="api:/projects"),
        make("load.rho", 0.3, key="api:/projects"),
        make("load.rho", 0.8, key=rho_key),
    ]
    assert ("LOAD_INDUCED_LATENCY" in {f.id for f in analyse(rules, facts)}) is fires
    checks = check(rule, facts)
    assert would_fire(checks) is fires
    (rho,) = [c for c in checks if c.condition.startswith("load.rho")]
    assert rho.held is fires
    if not fires:
        assert rho.margin.startswith("holds only for a fact or key that fails")


def test_facts_of_a_node_come_from_one_node() -> None:
    rules = load_pack()
    logs = [make("gitaly.clone_p95_ms", 15000.0), make("gitaly.unary_p95_ms", 10.0)]
    # Idle CPU on one node and low IO wait on another make no idle Gitaly node.
    split = [
        make("host.cpu_busy_pct", 30.0, node="gitaly-1"),
        make("host.iowait_pct", 20.0, node="gitaly-1"),
        make("host.cpu_busy_pct", 90.0, node="rails-1"),
        make("host.iowait_pct", 2.0, node="rails-1"),
    ]
    assert "NETWORK_CLONE_THROTTLING" not in {
        f.id for f in analyse(rules, logs + split)
    }
    idle = [
        make("host.cpu_busy_pct", 30.0, node="gitaly-1"),
        make("host.iowait_pct", 2.0, node="gitaly-1"),
    ]
    assert "NETWORK_CLONE_THROTTLING" in {f.id for f in analyse(rules, logs + idle)}


def test_a_findings_context_facts_come_from_the_matched_node() -> None:
    facts = [
        make("host.memory_gb", 14.5, node="gitaly-1", source="meminfo", line=1),
        make("host.swap_used_mb", 0.0, node="gitaly-1", source="meminfo", line=10),
        make("host.memory_gb", 7.8, node="rails-1", source="meminfo", line=1),
        make("host.swap_used_mb", 2560.0, node="rails-1", source="meminfo", line=10),
        make("host.swap_in_kb_s", 460.0, node="rails-1", source="vmstat", line=4),
        make("rails.unexplained_share", 0.8),
    ]
    (swapping,) = [f for f in analyse(load_pack(), facts) if f.id == "MEMORY_SWAPPING"]
    assert "The node has 7.8 GiB and swaps (460 kB/s in, 2560 MiB used)" in (
        swapping.cause
    )
    assert "Swap used 2560 MiB of a 7.8 GiB node" in {e.text for e in swapping.evidence}


def test_a_line_with_values_from_two_files_cites_both() -> None:
    facts = [
        make("gitaly.unary_p95_ms", 60.0),
        make("storage.git_data_network_fs", True, node="g", source="mount", line=3),
        make("host.iowait_pct", 22.0, node="g", source="vmstat", line=4),
        make("host.pressure_io", 87.5, node="g", source="pressure_io.txt", line=1),
    ]
    (found,) = [
        f
        for f in analyse(load_pack(), facts)
        if f.id == "STORAGE_NETWORK_FS_SLOW_GITALY"
    ]
    (line,) = [e for e in found.evidence if e.text.startswith("CPU waits for IO")]
    assert (line.node, line.source, line.line) == (
        "g",
        "vmstat:4, pressure_io.txt:1",
        None,
    )


def test_empty_counted_logs_mean_zero_not_unknown(tmp_path: Path) -> None:
    from advisor.engine.log_facts import log_facts
    from advisor.ingest.load import load
    from advisor.ingest.sources import open_inputs

    logs = tmp_path / "var" / "log" / "gitlab"
    (logs / "gitaly").mkdir(parents=True)
    (logs / "gitaly" / "current").write_text(
        '{"time":"2024-05-01T12:00:00Z","grpc.method":"FindCommit",'
        '"grpc.code":"OK","grpc.time_ms":3}\n'
    )
    (logs / "gitlab-rails").mkdir()
    for name in ("exceptions_json.log", "application_json.log"):
        (logs / "gitlab-rails" / name).write_text("")
    with open_inputs([str(tmp_path)]) as inputs:
        facts = {f.name: f for f in log_facts(load(inputs))}
    for name in ("exceptions.db_timeouts", "exceptions.redis_timeouts"):
        assert facts[name].value == 0
        assert facts[name].source == "gitlab-rails/exceptions_json.log (empty)"
    assert facts["rails.watchdog_restarts"].value == 0
