"""Messages the advisor app posts between its worker, screens and widgets."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from advisor.diagnosis import Diagnosis
from advisor.engine.findings import Finding


@dataclass
class DiagnosisReady(Message):
    """The worker finished reading the inputs."""

    diagnosis: Diagnosis


@dataclass
class DiagnosisFailed(Message):
    """The worker could not read the inputs."""

    error: str


@dataclass
class FindingSelected(Message):
    """The user chose a finding to open."""

    finding: Finding


@dataclass
class StepToggled(Message):
    """A checklist step was ticked or unticked."""

    finding_id: str
    step: str
    done: bool
