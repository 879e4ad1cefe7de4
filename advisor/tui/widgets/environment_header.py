"""The header: which environment this is and how it scores."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from advisor.diagnosis import Diagnosis
from advisor.render.words import counted


def fact_value(fact: Any) -> Any:
    """The value of a fact as the environment JSON holds it ({value, source})."""
    return fact.get("value") if isinstance(fact, dict) else None


def score_style(score: float | None) -> str:
    """A theme colour for a score out of 100."""
    if score is None:
        return "$text-muted"
    if score >= 80:
        return "$text-success"
    if score >= 50:
        return "$text-warning"
    return "$text-error"


def describe_environment(diagnosis: Diagnosis) -> str:
    """One line: nodes, GitLab version and matched reference architecture."""
    environment = diagnosis.environment or {}
    nodes = environment.get("nodes") or []
    names = ", ".join(node.get("name", "?") for node in nodes) or "no system files"
    versions = sorted(
        {
            str(fact_value((node.get("software") or {}).get("gitlab_version")))
            for node in nodes
            if fact_value((node.get("software") or {}).get("gitlab_version"))
        }
    )
    derived = environment.get("derived") or {}
    architecture = fact_value(derived.get("hardware_architecture"))
    parts = [f"{names} ({counted(len(nodes), 'node')})"]
    parts.append(f"GitLab {', '.join(versions)}" if versions else "version unknown")
    parts.append(
        f"{architecture} architecture" if architecture else "architecture unknown"
    )
    parts.append(f"baseline {diagnosis.baseline or 'none'}")
    return " · ".join(parts)


class EnvironmentHeader(Static):
    """Shows the environment on one line and the scores on the next."""

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(id="environment-header")
        self.diagnosis = diagnosis

    def on_mount(self) -> None:
        self.update(self.render_header())

    def render_header(self) -> Content:
        """Builds the two header lines."""
        score = self.diagnosis.score or {}
        overall = score.get("overall")
        line = Content.from_markup(
            "[b]$env[/b]\n", env=describe_environment(self.diagnosis)
        )
        shown = "–" if overall is None else f"{overall:.0f}"
        line += Content.from_markup(
            f"[b]Score [{score_style(overall)}]$score[/][/b] │", score=shown
        )
        for part in score.get("components") or []:
            value = part.get("score")
            text = "–" if value is None else f"{value:.0f}"
            line += Content.from_markup(
                f" $name [{score_style(value)}]$value[/]",
                name=str(part.get("component")),
                value=text,
            )
        return line
