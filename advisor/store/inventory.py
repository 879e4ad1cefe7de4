"""The inventory: recorded diagnoses per environment, and the questions asked of them."""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.store.database import Database, Row
from advisor.store.errors import InventoryError
from advisor.store.location import parse_url
from advisor.store.records import (
    CauseCount,
    Change,
    EnvironmentSummary,
    FindingRecord,
    RecordId,
    RunComparison,
    RunRecord,
    StoredRun,
)
from advisor.store.schema import open_database

log = logging.getLogger(__name__)

#: A score move smaller than this many points is shown as flat.
FLAT_POINTS = 2.0

RUN_COLUMNS = (
    "r.id, r.recorded_at, r.logs_start, r.logs_end, r.gitlab_version, r.roles, "
    "r.architecture, r.baseline, r.score, r.redacted, e.key, e.name, e.instance, "
    "e.hostnames"
)


@contextmanager
def open_inventory(url: str | None = None, create: bool = True) -> Iterator[Inventory]:
    """Opens (creating or migrating if needed) the inventory at ``url``.

    With ``create`` False (commands that only read) a missing SQLite file is an
    error and nothing is written. A file named by ``--db`` must be in an existing
    folder; only the default location's folder is made.
    """
    location = parse_url(url)
    if location.dialect == "sqlite" and location.path is not None:
        _check_place(location.path, url is not None, create)
    db = open_database(location)
    try:
        yield Inventory(db)
    finally:
        db.close()


class MissingInventory(InventoryError):
    """A command that only reads was pointed at an inventory that does not exist."""


def _check_place(path: Path, given: bool, create: bool) -> None:
    if path.exists():
        return
    if not create:
        raise MissingInventory(
            f"no inventory at {str(path)!r} yet.",
            fix="Record one with 'advisor diagnose', or point --db at an existing one.",
        )
    if given and not path.parent.is_dir():
        raise InventoryError(
            f"the folder of the inventory {str(path)!r} does not exist.",
            fix="Create the folder first, or choose another --db path.",
        )


class Inventory:
    """Reads and writes runs in an open, up-to-date inventory database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, run: RunRecord) -> RecordId:
        """Stores one run and its environment in one transaction."""
        now = datetime.now(UTC).isoformat()
        with self.db.transaction() as db:
            db.execute(
                "INSERT INTO environments (key, name, instance, hostnames, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                (run.env_key, run.env_name, run.instance, _dumps(run.hostnames), now),
            )
            env_id, env_name = db.execute(
                "SELECT id, name FROM environments WHERE key = ?", (run.env_key,)
            )[0]
            run_id = db.execute(
                "INSERT INTO runs (environment_id, recorded_at, logs_start, logs_end, "
                "gitlab_version, roles, architecture, baseline, score, redacted, "
                "advisor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (env_id, now, _iso(run.logs_start), _iso(run.logs_end))
                + (run.gitlab_version, _dumps(run.roles), run.architecture)
                + (run.baseline, run.score, int(run.redacted), __version__),
            )[0][0]
            for component, score in sorted(run.subscores.items()):
                db.execute(
                    "INSERT INTO subscores (run_id, component, score) VALUES (?, ?, ?)",
                    (run_id, component, score),
                )
            for position, finding in enumerate(run.findings):
                self._add_finding(run_id, position, finding)
        log.info("recorded run %d of %s", run_id, env_name)
        return RecordId(int(run_id), str(env_name))

    def _add_finding(self, run_id: int, position: int, finding: FindingRecord) -> None:
        self.db.execute(
            "INSERT INTO findings (run_id, position, finding_id, title, component, "
            "severity, confidence, cause, evidence, remediation) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, position, finding.finding_id, finding.title, finding.component)
            + (finding.severity, finding.confidence, finding.cause, finding.evidence)
            + (_dumps(finding.remediation),),
        )

    def environments(self) -> list[EnvironmentSummary]:
        """Every environment with its latest score, trend and top finding."""
        rows = self.db.execute("SELECT key FROM environments ORDER BY name")
        return [self._summary(str(row[0])) for row in rows]

    def _summary(self, key: str) -> EnvironmentSummary:
        runs = self.runs(key)
        latest = runs[-1] if runs else None
        previous = runs[-2] if len(runs) > 1 else None
        name = latest.env_name if latest else key
        return EnvironmentSummary(
            name=name,
            key=key,
            runs=len(runs),
            latest_logs=latest.logs_start if latest else None,
            score=latest.score if latest else None,
            previous_score=previous.score if previous else None,
            trend=trend(previous.score if previous else None, latest, len(runs)),
            top_finding=_top_finding(latest),
        )

    def resolve(self, name: str) -> str:
        """The key of the environment called ``name`` (or with that key)."""
        rows = self.db.execute("SELECT key, name FROM environments")
        for key, env_name in rows:
            if name in (key, env_name):
                return str(key)
        names = [str(row[1]) for row in rows]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"Did you mean {close[0]!r}?" if close else None
        known = ", ".join(sorted(names)[:10]) or "none recorded yet"
        raise InventoryError(
            f"no environment {name!r} in the inventory {self.db.location.display()}.",
            fix=hint or f"Known environments: {known} (see 'advisor inventory list').",
        )

    def runs(self, key: str) -> list[StoredRun]:
        """Every run of an environment, oldest logs first."""
        rows = self.db.execute(
            f"SELECT {RUN_COLUMNS} FROM runs r JOIN environments e "
            "ON e.id = r.environment_id WHERE e.key = ? "
            "ORDER BY COALESCE(r.logs_start, r.recorded_at), r.id",
            (key,),
        )
        subscores = self._subscores(key)
        findings = self._findings(key)
        return [
            _stored(row, subscores.get(row[0], {}), findings.get(row[0], []))
            for row in rows
        ]

    def _subscores(self, key: str) -> dict[int, dict[str, float | None]]:
        found: dict[int, dict[str, float | None]] = {}
        for run_id, component, score in self.db.execute(
            "SELECT s.run_id, s.component, s.score FROM subscores s "
            "JOIN runs r ON r.id = s.run_id JOIN environments e "
            "ON e.id = r.environment_id WHERE e.key = ?",
            (key,),
        ):
            found.setdefault(run_id, {})[component] = score
        return found

    def _findings(self, key: str | None) -> dict[int, list[FindingRecord]]:
        where = "WHERE e.key = ?" if key is not None else ""
        found: dict[int, list[FindingRecord]] = {}
        for row in self.db.execute(
            "SELECT f.run_id, f.finding_id, f.title, f.component, f.severity, "
            "f.confidence, f.cause, f.evidence, f.remediation FROM findings f "
            "JOIN runs r ON r.id = f.run_id JOIN environments e "
            f"ON e.id = r.environment_id {where} ORDER BY f.run_id, f.position",
            (key,) if key is not None else (),
        ):
            found.setdefault(row[0], []).append(_finding(row[1:]))
        return found

    def compare(
        self, key: str, since: datetime | None, until: datetime | None
    ) -> RunComparison:
        """What changed between the run at ``since`` and the run at ``until``."""
        runs = self.runs(key)
        if not runs:
            raise InventoryError(f"the environment {key!r} has no recorded run.")
        if since and until and since > until:
            raise InventoryError(
                f"--from {_stamp(since)} is after --to {_stamp(until)}.",
                fix="Give the earlier date with --from.",
            )
        before = pick(runs, since) if since else runs[0]
        after = pick(runs, until, "--to") if until else runs[-1]
        return compare_runs(before, after)

    def causes(self) -> list[CauseCount]:
        """Root causes found, counted over environments and runs, most common first."""
        rows = self.db.execute(
            "SELECT f.finding_id, f.title, f.component, e.name, "
            "COALESCE(r.logs_start, r.recorded_at), r.id FROM findings f "
            "JOIN runs r ON r.id = f.run_id JOIN environments e "
            "ON e.id = r.environment_id WHERE f.severity <> 'info' ORDER BY r.id"
        )
        # Informational notes (headroom, optional caches) are not root causes.
        return count_causes(rows)


def _top_finding(run: StoredRun | None) -> str | None:
    """The title of the run's first finding above informational level."""
    if run is None:
        return None
    serious = [f for f in run.findings if f.severity != "info"]
    return serious[0].title if serious else None


def trend(previous: float | None, latest: StoredRun | None, runs: int) -> str:
    """``up``, ``down`` or ``flat`` from the last two scores; ``new`` for one run."""
    if runs < 2 or latest is None or latest.score is None or previous is None:
        return "new"
    delta = latest.score - previous
    if abs(delta) < FLAT_POINTS:
        return "flat"
    return "up" if delta > 0 else "down"


def pick(runs: list[StoredRun], when: datetime, option: str = "--from") -> StoredRun:
    """The last run whose logs start at or before ``when``."""
    chosen = None
    for run in runs:
        start = run.logs_start or run.recorded_at
        if start <= when:
            chosen = run
    if chosen is None:
        first = runs[0].logs_start or runs[0].recorded_at
        raise InventoryError(
            f"{option} {_stamp(when)} is before the first run "
            f"({_stamp(first)}): no run to compare from.",
            fix=f"Use a date on or after {first.date().isoformat()}.",
        )
    return chosen


def _stamp(when: datetime) -> str:
    """A time as people write it: the day alone when it means the whole day."""
    if (when.hour, when.minute, when.second) == (23, 59, 59):
        return when.date().isoformat()
    return when.strftime("%Y-%m-%d %H:%M")


def compare_runs(before: StoredRun, after: StoredRun) -> RunComparison:
    """Score moves and findings resolved, new and persisting between two runs."""
    changes = [_change("overall", before.score, after.score)]
    for name in sorted(set(before.subscores) | set(after.subscores)):
        changes.append(
            _change(name, before.subscores.get(name), after.subscores.get(name))
        )
    old = {f.finding_id: f for f in before.findings}
    new = {f.finding_id: f for f in after.findings}
    return RunComparison(
        environment=after.env_name,
        before=before,
        after=after,
        changes=changes,
        resolved=[f for key, f in old.items() if key not in new],
        new=[f for key, f in new.items() if key not in old],
        persisting=[f for key, f in new.items() if key in old],
    )


def _change(name: str, before: float | None, after: float | None) -> Change:
    delta = after - before if before is not None and after is not None else None
    return Change(name=name, before=before, after=after, delta=delta)


def count_causes(rows: list[Row]) -> list[CauseCount]:
    """Groups finding rows (id, title, component, env, time, run) by root cause."""
    causes: dict[str, dict[str, Any]] = {}
    for finding_id, title, component, env_name, when, run_id in rows:
        entry = causes.setdefault(
            finding_id,
            {"title": title, "component": component, "envs": {}, "runs": set()},
        )
        entry["title"] = title
        entry["envs"][env_name] = None
        entry["runs"].add(run_id)
        seen = _time(when)
        if seen and (entry.get("last") is None or seen > entry["last"]):
            entry["last"] = seen
    counted = [
        CauseCount(
            finding_id=finding_id,
            title=entry["title"],
            component=entry["component"],
            environments=len(entry["envs"]),
            runs=len(entry["runs"]),
            environment_names=sorted(entry["envs"]),
            last_seen=entry.get("last"),
        )
        for finding_id, entry in causes.items()
    ]
    return sorted(counted, key=lambda c: (-c.environments, -c.runs, c.finding_id))


def _stored(
    row: Row, subscores: dict[str, float | None], findings: list[FindingRecord]
) -> StoredRun:
    (run_id, recorded, start, end, version, roles, arch, baseline, score) = row[:9]
    redacted, key, name, instance, hostnames = row[9:]
    return StoredRun(
        run_id=run_id,
        recorded_at=_time(recorded) or datetime.now(UTC),
        logs_start=_time(start),
        logs_end=_time(end),
        gitlab_version=version,
        roles=json.loads(roles),
        architecture=arch,
        baseline=baseline,
        score=score,
        redacted=bool(redacted),
        env_key=key,
        env_name=name,
        instance=instance,
        hostnames=json.loads(hostnames),
        subscores=subscores,
        findings=findings,
    )


def _finding(row: Row) -> FindingRecord:
    finding_id, title, component, severity, confidence, cause, evidence, steps = row
    return FindingRecord(
        finding_id=finding_id,
        title=title,
        component=component,
        severity=severity,
        confidence=confidence,
        cause=cause,
        evidence=evidence,
        remediation=json.loads(steps or "[]"),
    )


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
