"""What the inventory keeps of one diagnosis, and what its queries return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field


@dataclass(frozen=True)
class RecordId:
    """Where a recorded diagnosis landed: its run number and environment."""

    run: int
    environment: str
    """The environment's display name."""


class FindingRecord(BaseModel):
    """One finding of a diagnosis, reduced to what later comparisons need."""

    finding_id: str
    """The rule's UPPER_SNAKE key: the root cause counted across environments."""
    title: str
    component: str | None = None
    severity: str = "info"
    confidence: float | None = None
    cause: str | None = None
    evidence: str = ""
    """A short summary of the evidence, one line per item."""
    remediation: list[str] = Field(default_factory=list)


class RunRecord(BaseModel):
    """One diagnosis of one environment, as stored."""

    env_key: str
    """Stable identity: ``name:…``, ``instance:…`` or ``hosts:…``."""
    env_name: str
    instance: str | None = None
    """The host of GitLab's external_url, when known."""
    hostnames: list[str] = Field(default_factory=list)
    logs_start: datetime | None = None
    logs_end: datetime | None = None
    gitlab_version: str | None = None
    roles: dict[str, list[str]] = Field(default_factory=dict)
    """Node name to the roles it runs."""
    architecture: str | None = None
    """The reference architecture the environment matches (e.g. ``3k``)."""
    baseline: str | None = None
    score: float | None = None
    subscores: dict[str, float | None] = Field(default_factory=dict)
    findings: list[FindingRecord] = Field(default_factory=list)
    redacted: bool = False


class StoredRun(RunRecord):
    """A run read back from the inventory."""

    run_id: int
    recorded_at: datetime


class EnvironmentSummary(BaseModel):
    """One environment in ``inventory list``."""

    name: str
    key: str
    runs: int
    latest_logs: datetime | None
    score: float | None
    previous_score: float | None
    trend: str
    """``up``, ``down``, ``flat`` or ``new``."""
    top_finding: str | None


class Change(BaseModel):
    """A score or subscore at two points in time."""

    name: str
    before: float | None
    after: float | None
    delta: float | None


class RunComparison(BaseModel):
    """What got better or worse between two runs of one environment."""

    environment: str
    before: StoredRun
    after: StoredRun
    changes: list[Change]
    resolved: list[FindingRecord]
    new: list[FindingRecord]
    persisting: list[FindingRecord]


class CauseCount(BaseModel):
    """A root cause and how often it was found."""

    finding_id: str
    title: str
    component: str | None
    environments: int
    runs: int
    environment_names: list[str]
    last_seen: datetime | None
