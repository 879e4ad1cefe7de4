"""The rules and diagnose commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

Run = Callable[..., tuple[int, str, str]]

USER_RULE = """\
rules:
  - id: MY_SLOW_API
    title: API slow
    component: rails
    severity: low
    confidence: 0.5
    when:
      - fact: rails.p95_ms
        above: 1
    cause: API P95 {rails.p95_ms} ms.
    evidence: ["P95 {rails.p95_ms} ms"]
"""


def test_list_and_lint(cli: Run) -> None:
    code, out, _ = cli("rules", "list")
    assert code == 0 and "STORAGE_NETWORK_FS_SLOW_GITALY" in out
    code, out, _ = cli("rules", "lint")
    assert code == 0 and "0 problems" in out


def test_lint_broken_file_exits_2_with_location(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(USER_RULE.replace("rails.p95_ms\n", "rails.p95\n"))
    code, _, err = cli("rules", "lint", str(tmp_path))
    assert code == 2
    assert "x.yaml:8" in err and "MY_SLOW_API" in err and "rails.p95_ms" in err


def test_rules_test_passes(cli: Run) -> None:
    code, out, _ = cli("rules", "test")
    assert code == 0, out
    assert " 0 failed" in out


def test_explain_and_user_rules(cli: Run, real: Path, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_RULE)
    logs = str(real / "gitlab-14.0")
    code, out, _ = cli(
        "rules", "explain", "MY_SLOW_API", logs, "--rules", str(tmp_path)
    )
    assert code == 0 and "=> fires" in out
    code, out, _ = cli("rules", "explain", "MEMORY_SWAPPING", logs)
    assert "unknown (no such fact" in out and "=> does not fire" in out
    # Shares read as the findings write them: percentages and points.
    assert "rails.unexplained_share above 0.3: observed 0% -30 points from 30%" in out
    code, _, err = cli("rules", "explain", "MEMORY_SWAPING", logs)
    assert code == 2 and "MEMORY_SWAPPING" in err


def test_diagnose_formats(cli: Run, real: Path, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_RULE)
    logs = str(real / "gitlab-14.0")
    code, out, _ = cli("diagnose", logs, "--format", "json", "--rules", str(tmp_path))
    assert code == 0
    data = json.loads(out)
    assert "MY_SLOW_API" in [f["id"] for f in data["findings"]]
    assert data["unknown"] and data["stats"]
    code, out, _ = cli("diagnose", logs, "--format", "md")
    assert code == 0 and out.startswith("# Diagnosis")


LOOK_ALIKE = """\
    look_alikes:
      - rule: STORAGE_NETWORK_FS_SLOW_GITALY
        why: "storage is local"
"""


def test_lint_checks_a_folder_with_the_builtin_pack(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_RULE + LOOK_ALIKE)
    code, out, _ = cli("rules", "lint", str(tmp_path))
    assert code == 0 and "1 rules, 0 problems" in out
    (tmp_path / "mine.yaml").write_text(
        USER_RULE.replace("MY_SLOW_API", "MEMORY_SWAPPING")
    )
    code, _, err = cli("rules", "lint", str(tmp_path))
    assert code == 2 and "MEMORY_SWAPPING is defined twice" in err
    code, out, _ = cli("rules", "lint", "rules")
    assert code == 0 and "0 problems" in out and not out.startswith("0 rules")


def test_broken_templates_refused_by_lint_and_diagnose(
    cli: Run, real: Path, tmp_path: Path
) -> None:
    logs = str(real / "gitlab-14.0")
    for template in ("{gitaly.unary_p95_msx}", "{gitaly.unary_p95_ms", "{host.nosuch}"):
        (tmp_path / "x.yaml").write_text(
            USER_RULE.replace('"P95 {rails.p95_ms} ms"', f'"P95 {template}"')
        )
        for args in (("rules", "lint", str(tmp_path)), ("diagnose", logs)):
            more = ("--rules", str(tmp_path)) if args[0] == "diagnose" else ()
            code, out, err = cli(*args, *more)
            assert code == 2, (template, args, out)
            assert "x.yaml:11: rule MY_SLOW_API, key rules.0.evidence.0" in err
            assert len(err.strip().splitlines()) == 1


def test_empty_rules_folder_and_lowercase_id(
    cli: Run, real: Path, tmp_path: Path
) -> None:
    logs = str(real / "gitlab-14.0")
    code, _, err = cli("diagnose", logs, "--rules", str(tmp_path))
    assert code == 2 and "no rule files in" in err
    code, _, err = cli("rules", "lint", str(tmp_path))
    assert code == 2 and "no rule files in" in err
    code, out, _ = cli("rules", "explain", "memory_swapping", logs)
    assert code == 0 and out.startswith("MEMORY_SWAPPING:")
