"""Pseudonyms in a run record, so a shared inventory names no host, user or address."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from advisor.redact import Redactor
from advisor.store.records import RunRecord

log = logging.getLogger(__name__)


def redactor_for(diagnosis: Any) -> Redactor:
    """A Redactor that knows the users and projects a diagnosis names.

    Projects and users appear in findings' free text (a slow repository, a heavy
    user); they are registered from the facts keyed by them and from the sample
    events of the grouped errors, so the text is redacted like the fields.
    """
    data = (
        diagnosis.model_dump(mode="json")
        if hasattr(diagnosis, "model_dump")
        else diagnosis
    )
    redactor = Redactor()
    for fact in data.get("facts", []):
        name = str(fact.get("name", ""))
        if fact.get("key") and ("project" in name or "user" in name):
            redactor.add("project" if "project" in name else "user", [fact["key"]])
    for group in data.get("errors", []):
        for event in group.get("last_events", group.get("events", [])) or []:
            if isinstance(event, dict):
                redactor.add("user", [event.get("user")])
                redactor.add("project", [event.get("project")])
    return redactor


def redact_run(run: RunRecord, redactor: Redactor | None = None) -> RunRecord:
    """Returns a copy of ``run`` with hosts, users, addresses and emails replaced.

    An environment known by its hosts or instance becomes ``env-<digest>``: the same
    environment keeps one pseudonym across runs, and different ones stay apart.
    """
    redactor = redactor or Redactor()
    redactor.add("host", [*run.hostnames, run.instance])
    data = redactor.value(run.model_dump(mode="json"))
    redacted = RunRecord.model_validate(data)
    update: dict[str, object] = {"redacted": True}
    if not run.env_key.startswith("name:"):
        digest = hashlib.sha256(run.env_key.encode()).hexdigest()[:10]
        update |= {"env_key": f"redacted:{digest}", "env_name": f"env-{digest}"}
    else:
        update |= {"env_key": run.env_key, "env_name": run.env_name}
    return redacted.model_copy(update=update)
