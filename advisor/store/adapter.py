"""The one place that reads a Diagnosis: turns it into the record the inventory keeps.

The Diagnosis is read as plain JSON data (``model_dump(mode="json")``), the same
document ``advisor diagnose --format json`` prints, so the store does not depend on
the pipeline's classes and a field the Diagnosis lacks stays unknown in the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from advisor.store.identity import external_host, identity, instance_from_roots
from advisor.store.records import FindingRecord, RunRecord

log = logging.getLogger(__name__)

#: Evidence items kept per finding in the stored summary.
EVIDENCE_ITEMS = 5


def run_record(diagnosis: Any, env_name: str | None = None) -> RunRecord:
    """Reduces a Diagnosis (model or its JSON data) to a RunRecord."""
    data = _plain(diagnosis)
    environment = _environment(data.get("environment"))
    nodes = list(environment.nodes) if environment is not None else []
    hostnames = [node.name for node in nodes]
    instance = _instance(data, nodes)
    key, name = identity(env_name, instance, hostnames, data.get("inputs") or [])
    start, end = _span(data.get("stats") or [])
    score = data.get("score") or {}
    return RunRecord(
        env_key=key,
        env_name=name,
        instance=instance,
        hostnames=hostnames,
        logs_start=start,
        logs_end=end,
        gitlab_version=_first(_fact(n.software.gitlab_version) for n in nodes),
        roles={node.name: list(_fact(node.roles.roles) or []) for node in nodes},
        architecture=_architecture(environment),
        baseline=score.get("baseline") or data.get("baseline"),
        score=score.get("overall"),
        subscores={
            str(part["component"]): part.get("score")
            for part in score.get("components") or []
        },
        findings=[_finding(item) for item in data.get("findings") or []],
    )


def _plain(diagnosis: Any) -> dict[str, Any]:
    if hasattr(diagnosis, "model_dump"):
        return dict(diagnosis.model_dump(mode="json"))
    return dict(diagnosis)


def _environment(data: Any) -> Any:
    from advisor.facts.models import Environment

    if not data:
        return None
    try:
        return Environment.model_validate(data)
    except ValidationError as error:
        log.warning("environment of the diagnosis not readable: %s", error)
        return None


def _instance(data: dict[str, Any], nodes: list[Any]) -> str | None:
    for name in ("instance", "external_url"):
        found = data.get(name)
        if isinstance(found, str) and found:
            return external_host(found)
    # The facts keep gitlab.rb's external_url, so a packed archive, unpacked to a
    # folder that is gone by now, is known by the same name as an unpacked one.
    for node in nodes:
        url = node.config.external_url
        if url is not None and url.value:
            return external_host(str(url.value))
    return instance_from_roots(node.root for node in nodes if node.root)


def _span(stats: list[dict[str, Any]]) -> tuple[datetime | None, datetime | None]:
    firsts = [_time(kind.get("first")) for kind in stats]
    lasts = [_time(kind.get("last")) for kind in stats]
    first = min((t for t in firsts if t is not None), default=None)
    last = max((t for t in lasts if t is not None), default=None)
    return first, last


def _architecture(environment: Any) -> str | None:
    if environment is None:
        return None
    derived = environment.derived
    return _first(
        _fact(getattr(derived, name))
        for name in ("hardware_architecture", "load_architecture")
    )


def _finding(item: dict[str, Any]) -> FindingRecord:
    confidence = item.get("confidence")
    return FindingRecord(
        finding_id=str(item.get("id") or item.get("rule") or "UNKNOWN"),
        title=str(item.get("title") or ""),
        component=item.get("component"),
        severity=str(item.get("severity") or "info"),
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        cause=item.get("cause"),
        evidence=evidence_summary(
            item.get("evidence") or [], item.get("symptoms") or []
        ),
        remediation=[_step(step) for step in item.get("remediation") or []],
    )


def evidence_summary(evidence: Iterable[Any], symptoms: Iterable[Any] = ()) -> str:
    """The first evidence items with their sources, then each symptom, a line each."""
    items = list(evidence)
    lines = [line for line in (_line(item) for item in items) if line]
    kept = lines[:EVIDENCE_ITEMS]
    more = len(lines) - len(kept)
    kept += [f"(+{more} more)"] if more > 0 else []
    shown = {_text(item) for item in items}
    for symptom in symptoms:
        if isinstance(symptom, dict):
            new = [
                _line(e) for e in symptom.get("evidence") or [] if _text(e) not in shown
            ]
            said = "; ".join(line for line in new if line)
            title = f"{symptom.get('title')} ({symptom.get('id')})"
            kept.append(f"Symptom: {title}" + (f": {said}" if said else ""))
    return "\n".join(kept)


def _text(item: Any) -> str:
    if isinstance(item, dict):
        return " ".join(str(item.get("text") or "").split())
    return " ".join(str(item).split())


def _line(item: Any) -> str:
    """An evidence item's text and where it was read."""
    from advisor.engine.render import cite

    text = _text(item)
    if not isinstance(item, dict) or not text:
        return text
    return text + cite(item.get("source"), item.get("line"), item.get("node"))


def _step(step: Any) -> str:
    if not isinstance(step, dict):
        return str(step)
    text = str(step.get("do") or "")
    if step.get("command"):
        text += f" (run: {step['command']})"
    if step.get("link"):
        text += f" (see {step['link']})"
    return text


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _fact(value: Any) -> Any:
    return getattr(value, "value", None)


def _first(values: Iterable[Any]) -> str | None:
    for value in values:
        if value:
            return str(value)
    return None
