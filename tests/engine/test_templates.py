"""Rule text: placeholders read the matched fact of the right component, and are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import analyse
from advisor.engine.errors import RuleFileError
from advisor.engine.loader import load_file, load_pack
from advisor.engine.vocabulary import make

RULE = """\
rules:
  - id: MY_RULE
    title: t
    component: gitaly
    severity: high
    confidence: 0.5
    when:
      - fact: gitaly.unary_p95_ms
        above: 20
    cause: "CAUSE"
    evidence: ["EVIDENCE"]
"""


def _finding(facts: list, rule_id: str):  # type: ignore[no-untyped-def]
    found = {f.id: f for f in analyse(load_pack(), facts)}
    return found.get(rule_id)


def test_load_induced_reads_rho_of_the_same_component() -> None:
    facts = [
        make("load.pattern", "none", key="web"),
        make("load.rho", 0.292, key="web"),
        make("load.pattern", "load-induced", key="git"),
        make("load.rho", 0.61, key="git"),
    ]
    for order in (facts, facts[::-1]):
        finding = _finding(order, "LOAD_INDUCED_LATENCY")
        assert finding is not None
        assert "git gets slower" in finding.cause and "rho 0.61" in finding.cause


def test_load_induced_needs_the_components_own_rho() -> None:
    facts = [
        make("load.pattern", "load-induced", key="git"),
        make("load.rho", 0.3, key="git"),
        make("load.rho", 0.7, key="web"),
    ]
    assert _finding(facts, "LOAD_INDUCED_LATENCY") is None


def test_slow_keys_names_every_component_with_counts() -> None:
    facts = [
        make("compare.slow_keys", 4.0, key="api"),
        make("compare.slow_keys", 4.0, key="git"),
        make("compare.slow_keys", 24.0, key="gitaly"),
        make("compare.slow_keys", 4.0, key="web"),
    ]
    finding = _finding(facts, "BASELINE_SLOW_KEYS")
    assert finding is not None
    assert "gitaly 24, api 4, git 4, web 4" in finding.cause
    assert finding.evidence[0].text.startswith("gitaly has the most slow keys: 24 keys")


def test_values_read_in_their_unit_and_nouns_agree() -> None:
    facts = [
        make("compare.slow_keys", 1.0, key="web"),
        make("gitaly.clone_time_share", 0.946),
        make("config.pack_objects_cache", False),
    ]
    note = _finding(facts, "GITALY_PACK_OBJECTS_CACHE_OFF")
    assert note is not None and "94.6% of Gitaly time" in note.cause
    slow = _finding(facts, "BASELINE_SLOW_KEYS")
    assert slow is not None and "1 key significantly" in slow.evidence[0].text


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{gitaly.unary_p95_msx}", "gitaly.unary_p95_ms"),
        ("value {gitaly.unary_p95_ms", "unclosed brace"),
        ("{host.nosuch}", "unknown fact 'host.nosuch'"),
        ("{load.rho}", "does not match it"),
        ("{gitaly.unary_p95_ms.key}", "not keyed"),
        ("{gitaly.unary_p95_ms.ratio}", "only comparison facts"),
    ],
)
def test_bad_templates_refused_with_file_line_rule_and_key(
    tmp_path: Path, template: str, expected: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(RULE.replace('"CAUSE"', repr(template).replace("'", '"')))
    with pytest.raises(RuleFileError) as caught:
        load_file(path)
    text = str(caught.value)
    assert f"{path}:10: rule MY_RULE, key rules.0.cause" in text
    assert expected in text


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    broken = (
        RULE.replace('"CAUSE"', '"{host.nosuch}"')
        .replace('"EVIDENCE"', '"{gitaly.unary_p95_ms"')
        .replace("severity: high", "severity: hgih")
        .replace("above: 20", "abov: 20")
    )
    path.write_text(broken)
    with pytest.raises(RuleFileError) as caught:
        load_file(path)
    text = str(caught.value)
    assert "And 1 more" in text and "severity" in text and "abov" in text
    path.write_text(
        RULE.replace('"CAUSE"', '"{host.nosuch}"').replace(
            '"EVIDENCE"', '"{gitaly.unary_p95_ms"'
        )
    )
    with pytest.raises(RuleFileError) as caught:
        load_file(path)
    assert "And 1 more" in str(caught.value) and "unclosed" in str(caught.value)


def test_empty_rule_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="no rule files in"):
        load_pack([tmp_path])


def test_markdown_sections_and_settings_render_apart() -> None:
    from advisor.diagnosis import Diagnosis
    from advisor.engine.render import render

    facts = [
        make("gitaly.clone_time_share", 0.9),
        make("host.cpu_busy_pct", 95.0, node="gitlab", source="vmstat", line=4),
    ]
    findings = analyse(load_pack(), facts)
    diagnosis = Diagnosis(
        inputs=["x"],
        environment=None,
        stats=[],
        findings=findings,
        facts=facts,
        unknown=[],
        skipped=[],
    )
    md = render(diagnosis, "md")
    assert "\n\n**Ruled out**" in md and "\n\n**What to do**" in md
    assert "In `/etc/gitlab/gitlab.rb`: `gitaly['configuration']" in md
    text = render(diagnosis, "text")
    assert "in /etc/gitlab/gitlab.rb: gitaly[" in text
    assert "$ sudo gitlab-ctl reconfigure" in text and "$ gitaly[" not in text
    assert "[gitlab: vmstat:4]" in text


def test_gitlab_rb_setting_as_command_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        RULE + "    remediation:\n      - do: more\n"
        "        command: \"sidekiq['queue_groups'] = ['*'] * 4\"\n"
    )
    with pytest.raises(RuleFileError, match="give it as `setting:`"):
        load_file(path)
