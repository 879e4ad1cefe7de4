"""Renders a Diagnosis as text or Markdown (JSON is the model itself)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from advisor.render.words import counted

if TYPE_CHECKING:
    from advisor.diagnosis import Diagnosis
    from advisor.engine.findings import Evidence, Finding
    from advisor.engine.model import Step

log = logging.getLogger(__name__)


def _finding(number: int, finding: Finding, md: bool) -> list[str]:
    level = finding.severity.upper()
    head = f"{number}. [{level}] {finding.title} ({finding.id}, {finding.confidence:.0%} sure)"
    lines = [
        f"### {head}" if md else head,
        "",
        f"   {finding.cause}" if not md else finding.cause,
        "",
    ]
    bullet = "- " if md else "   - "
    lines.append("**Evidence**" if md else "   Evidence:")
    for item in finding.evidence:
        lines.append(f"{bullet}{item.text}{_cite(item)}")
    if finding.ruled_out:
        lines += ["", "**Ruled out**"] if md else ["   Ruled out:"]
        lines += [f"{bullet}{x.title} ({x.rule}): {x.why}" for x in finding.ruled_out]
    if finding.symptoms:
        lines += (
            ["", "**Symptoms of the same cause**"]
            if md
            else ["   Symptoms of the same cause:"]
        )
        shown = {item.text for item in finding.evidence}
        for symptom in finding.symptoms:
            # What the symptom adds: its evidence not already listed above.
            extra = [e for e in symptom.evidence if e.text not in shown]
            said = "; ".join(f"{e.text}{_cite(e)}" for e in extra)
            lines.append(
                f"{bullet}{symptom.title} ({symptom.id})"
                + (f": {said}" if said else "")
            )
    if finding.remediation:
        lines += ["", "**What to do**", ""] if md else ["   What to do:"]
        for index, step in enumerate(finding.remediation, 1):
            lines += _step(index, step, md)
    lines.append("")
    return lines


def _cite(item: Evidence) -> str:
    """` [gitlab: etc/gitlab/gitlab.rb:4]`: where an observation was read, once."""
    return cite(item.source, item.line, item.node)


def cite(source: str | None, line: int | None, node: str | None) -> str:
    """` [node: file:line]` for a source, or nothing when there is none."""
    if not source:
        return ""
    at = f":{line}" if line else ""
    on = f"{node}: " if node else ""
    return f" [{on}{source}{at}]"


def _step(index: int, step: Step, md: bool) -> list[str]:
    indent = "   " if md else "      "
    lines = [f"{'' if md else '   '}{index}. {step.do}"]
    if step.setting:
        if md:
            lines.append(f"{indent}In `/etc/gitlab/gitlab.rb`: `{step.setting}`, then")
            lines.append(f"{indent}`sudo gitlab-ctl reconfigure`")
        else:
            lines.append(f"{indent}in /etc/gitlab/gitlab.rb: {step.setting}")
            lines.append(f"{indent}$ sudo gitlab-ctl reconfigure")
    if step.command:
        lines.append(f"{indent}`{step.command}`" if md else f"{indent}$ {step.command}")
    if step.link:
        lines.append(f"{indent}{step.link}")
    return lines


def _score_line(diagnosis: Diagnosis) -> str:
    """The score with its components, and what a target baseline can and cannot say."""
    assert diagnosis.score is not None
    parts = [
        f"{c['component']} {c['score']:.0f}"
        for c in diagnosis.score.get("components", [])
        if c.get("score") is not None
    ]
    line = f"Score: {diagnosis.score['overall']:.0f} / 100 against {diagnosis.baseline}"
    if parts:
        line += f" ({', '.join(parts)})"
    if diagnosis.baseline == "gitlab-targets":
        # Targets are ceilings: an environment can meet them and still be much slower
        # than it was; a recorded baseline tells that apart.
        serious = any(f.severity != "info" for f in diagnosis.findings)
        if serious and diagnosis.score["overall"] >= 90:
            line += (
                ". Latency is within GitLab's targets, yet the findings below show "
                "what slows this instance"
            )
        line += (
            ". GitLab's targets are upper limits; to measure a slowdown against a "
            "healthy period, record one with 'advisor baseline create' and pass "
            "--baseline."
        )
    return line


def render(diagnosis: Diagnosis, fmt: str) -> str:
    """Returns the diagnosis as `text`, `md` or `json`."""
    if fmt == "json":
        return diagnosis.model_dump_json(indent=2) + "\n"
    md = fmt == "md"
    lines = ["# Diagnosis" if md else "DIAGNOSIS", ""]
    lines.append(
        f"Inputs: {', '.join(diagnosis.inputs)}; {diagnosis.rules_loaded} rules; "
        f"baseline {diagnosis.baseline or 'none'}."
    )
    if diagnosis.score and diagnosis.score.get("overall") is not None:
        lines.append(_score_line(diagnosis))
    lines.append("")
    main = [f for f in diagnosis.findings if f.severity != "info"]
    notes = [f for f in diagnosis.findings if f.severity == "info"]
    lines.append("## Findings" if md else "FINDINGS")
    if not main:
        lines.append("No slowdown found above informational level.")
    for number, finding in enumerate(main, 1):
        lines += _finding(number, finding, md)
    if notes:
        lines += ["", "## Notes" if md else "NOTES"]
        lines += [f"- {f.title} ({f.id}): {f.cause}" for f in notes]
    if diagnosis.unknown:
        lines += [
            "",
            "## Not known from these inputs" if md else "NOT KNOWN FROM THESE INPUTS",
        ]
        lines += [f"- {item}" for item in diagnosis.unknown]
    if diagnosis.skipped:
        lines += ["", "## Skipped inputs" if md else "SKIPPED INPUTS"]
        lines += [
            f"- {s.file}: {s.reason}" + _line_count(s.lines) for s in diagnosis.skipped
        ]
    return "\n".join(lines) + "\n"


def _line_count(lines: int | None) -> str:
    """`` (1 line)``, `` (3 lines)``, or nothing for no count."""
    if not lines:
        return ""
    return f" ({counted(lines, 'line')})"
