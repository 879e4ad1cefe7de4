"""The one place that reads a Diagnosis: turns it into the record the inventory keeps.

The Diagnosis model is read by attribute, so the store does not import the pipeline
and a field the Diagnosis lacks simply stays unknown in the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from advisor.store.identity import identity, instance_from_roots
from advisor.store.records import FindingRecord, RunRecord

log = logging.getLogger(__name__)

#: Evidence items kept per finding in the stored summary.
EVIDENCE_ITEMS = 5


def run_record(diagnosis: Any, env_name: str | None = None) -> RunRecord:
    """Reduces a Diagnosis to a RunRecord (environment, times, score, findings)."""
    environment = getattr(diagnosis, "environment", None)
    nodes = list(getattr(environment, "nodes", None) or [])
    hostnames = [str(node.name) for node in nodes]
    instance = _instance(diagnosis, nodes)
    key, name = identity(env_name, instance, hostnames)
    start, end = _span(diagnosis)
    score = getattr(diagnosis, "score", None)
    return RunRecord(
        env_key=key,
        env_name=name,
        instance=instance,
        hostnames=hostnames,
        logs_start=start,
        logs_end=end,
        gitlab_version=_first_fact(n.software.gitlab_version for n in nodes),
        roles={str(n.name): list(_fact(n.roles.roles) or []) for n in nodes},
        architecture=_architecture(environment),
        baseline=getattr(score, "baseline", None),
        score=getattr(score, "overall", None),
        subscores={
            str(c.component): c.score for c in getattr(score, "components", None) or []
        },
        findings=[_finding(f) for f in getattr(diagnosis, "findings", None) or []],
    )


def _instance(diagnosis: Any, nodes: list[Any]) -> str | None:
    from advisor.store.identity import external_host

    for holder in (diagnosis, getattr(diagnosis, "environment", None)):
        for name in ("instance", "external_url"):
            found = _fact(getattr(holder, name, None))
            if isinstance(found, str) and found:
                return external_host(found)
    return instance_from_roots(str(node.root) for node in nodes if node.root)


def _span(diagnosis: Any) -> tuple[datetime | None, datetime | None]:
    for holder in (diagnosis, getattr(diagnosis, "stats", None)):
        first = getattr(holder, "logs_start", None) or getattr(holder, "first", None)
        last = getattr(holder, "logs_end", None) or getattr(holder, "last", None)
        if isinstance(first, datetime):
            return first, last if isinstance(last, datetime) else None
    return None, None


def _architecture(environment: Any) -> str | None:
    derived = getattr(environment, "derived", None)
    for name in ("hardware_architecture", "load_architecture"):
        value = _fact(getattr(derived, name, None))
        if value:
            return str(value)
    return None


def _finding(finding: Any) -> FindingRecord:
    remediation = getattr(finding, "remediation", None) or []
    return FindingRecord(
        finding_id=str(getattr(finding, "id", None) or getattr(finding, "rule", "")),
        title=str(getattr(finding, "title", "")),
        component=getattr(finding, "component", None),
        severity=str(getattr(finding, "severity", "info")),
        confidence=_number(getattr(finding, "confidence", None)),
        cause=_text(getattr(finding, "cause", None)),
        evidence=evidence_summary(getattr(finding, "evidence", None) or []),
        remediation=[_text(step) or "" for step in _items(remediation)],
    )


def evidence_summary(evidence: Any) -> str:
    """The first evidence items, one line each."""
    lines = [_text(item) or "" for item in _items(evidence)]
    kept = [line for line in lines if line][:EVIDENCE_ITEMS]
    more = len(lines) - len(kept)
    return "\n".join(kept + ([f"(+{more} more)"] if more > 0 else []))


def _items(value: Any) -> Iterable[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    return value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    step = getattr(value, "do", None)
    if isinstance(step, str):
        command = getattr(value, "command", None)
        return f"{step} (run: {command})" if command else step
    for name in ("summary", "text", "description", "message", "title"):
        found = getattr(value, name, None)
        if isinstance(found, str) and found:
            return found
    if hasattr(value, "model_dump_json"):
        return str(value.model_dump_json(exclude_none=True))
    return str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    return None


def _fact(value: Any) -> Any:
    return getattr(value, "value", value)


def _first_fact(values: Iterable[Any]) -> str | None:
    for value in values:
        found = _fact(value)
        if found:
            return str(found)
    return None


def diagnosis_of(paths: list[str]) -> Any | None:
    """Diagnoses the inputs when the diagnosis pipeline is installed, else None."""
    try:
        from advisor.diagnosis import diagnose  # type: ignore[import-not-found]
    except ImportError:
        log.info("no diagnosis pipeline yet: the report holds statistics only")
        return None
    return diagnose(paths)
