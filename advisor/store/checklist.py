"""Remediation checklists: which steps of which finding are done, per environment."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.store.errors import InventoryError

log = logging.getLogger(__name__)

FILE_NAME = "checklists.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS steps (
    env_key TEXT NOT NULL,
    env_name TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    finding_title TEXT NOT NULL,
    position INTEGER NOT NULL,
    step TEXT NOT NULL,
    command TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    ticked_at TEXT,
    note TEXT,
    PRIMARY KEY (env_key, finding_id, step)
)
"""

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class StepState:
    """One remediation step of one finding, with whether and when it was done."""

    finding_id: str
    finding_title: str
    position: int
    step: str
    command: str | None
    done: bool
    ticked_at: str | None
    note: str | None


def default_path() -> Path:
    """The checklist file in the advisor's data folder ($ADVISOR_DATA_DIR overrides)."""
    from advisor.store.location import data_dir

    return data_dir() / FILE_NAME


def environment_of(diagnosis: Any) -> tuple[str, str]:
    """Returns (key, display name) of a diagnosis' environment, as the inventory does."""
    from advisor.store.adapter import run_record

    record = run_record(diagnosis)
    return record.env_key, record.env_name


def _now() -> datetime:
    return datetime.now(UTC)


class ChecklistStore:
    """Reads and writes checklist state in one SQLite file."""

    def __init__(self, path: Path | None = None, clock: Clock = _now) -> None:
        self.path = path or default_path()
        self.clock = clock

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10)) as con:
                con.execute(SCHEMA)
                with con:
                    yield con
        except (sqlite3.Error, OSError) as error:
            raise InventoryError(
                f"the checklist file {str(self.path)!r} cannot be used ({error}).",
                fix="Check its permissions, or set ADVISOR_DATA_DIR to another folder.",
            ) from None

    def register(self, env: tuple[str, str], findings: list[Any]) -> None:
        """Records every step of the findings, keeping the state of known ones."""
        rows = [
            (env[0], env[1], f.id, f.title, index, step.do, _actions(step))
            for f in findings
            for index, step in enumerate(f.remediation, 1)
        ]
        with self._connect() as con:
            con.executemany(
                "INSERT INTO steps (env_key, env_name, finding_id, finding_title, "
                "position, step, command) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET env_name = excluded.env_name, "
                "finding_title = excluded.finding_title, "
                "position = excluded.position, command = excluded.command",
                rows,
            )

    def set_done(
        self,
        env_key: str,
        finding_id: str,
        step: str,
        done: bool,
        note: str | None = None,
    ) -> StepState | None:
        """Ticks or unticks a registered step; a note replaces the old one if given."""
        stamp = self.clock().isoformat(timespec="seconds") if done else None
        with self._connect() as con:
            con.execute(
                "UPDATE steps SET done = ?, ticked_at = ?, note = coalesce(?, note) "
                "WHERE env_key = ? AND finding_id = ? AND step = ?",
                (int(done), stamp, note, env_key, finding_id, step),
            )
        log.debug("step %r of %s set to %s", step, finding_id, done)
        return self.step(env_key, finding_id, step)

    def set_note(self, env_key: str, finding_id: str, step: str, note: str) -> None:
        """Replaces a step's note (an empty note removes it)."""
        with self._connect() as con:
            con.execute(
                "UPDATE steps SET note = ? "
                "WHERE env_key = ? AND finding_id = ? AND step = ?",
                (note or None, env_key, finding_id, step),
            )

    def step(self, env_key: str, finding_id: str, step: str) -> StepState | None:
        """One step's state, or None if it was never registered."""
        states = self.states(env_key, finding_id)
        return next((s for s in states if s.step == step), None)

    def states(self, env_key: str, finding_id: str | None = None) -> list[StepState]:
        """Every step of an environment (or of one finding), in checklist order."""
        where = "env_key = ?" + (" AND finding_id = ?" if finding_id else "")
        params = (env_key, finding_id) if finding_id else (env_key,)
        with self._connect() as con:
            rows = con.execute(
                "SELECT finding_id, finding_title, position, step, command, done, "
                f"ticked_at, note FROM steps WHERE {where} "
                "ORDER BY finding_id, position",
                params,
            ).fetchall()
        return [
            StepState(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7])
            for r in rows
        ]

    def environments(self) -> list[tuple[str, str, int, int]]:
        """Every environment: (key, name, steps done, steps in all)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT env_key, max(env_name), sum(done), count(*) FROM steps "
                "GROUP BY env_key ORDER BY env_key"
            ).fetchall()
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    def find_env(self, name: str) -> str:
        """Resolves ``--env`` (a key or a display name) to a stored key."""
        known = self.environments()
        for key, display, _, _ in known:
            if name in (key, display):
                return key
        import difflib

        names = [display for _, display, _, _ in known]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InventoryError(
            f"no checklist is stored for environment {name!r}.{hint}",
            fix="Run 'advisor checklist list' to see the stored environments.",
        )


def render_markdown(
    env_name: str, states: list[StepState], order: list[str] | None = None
) -> str:
    """Returns the checklist as Markdown task lists, one section per finding."""
    by_finding: dict[str, list[StepState]] = {}
    for state in states:
        by_finding.setdefault(state.finding_id, []).append(state)
    ids = [i for i in (order or []) if i in by_finding]
    ids += sorted(i for i in by_finding if i not in ids)
    done = sum(s.done for s in states)
    lines = [
        f"# Remediation checklist: {env_name}",
        "",
        f"{done} of {len(states)} steps done.",
    ]
    for finding_id in ids:
        steps = by_finding[finding_id]
        lines += ["", f"## {steps[0].finding_title} ({finding_id})", ""]
        for state in steps:
            lines.append(f"- [{'x' if state.done else ' '}] {state.step}")
            if state.command:
                lines += [f"  `{action}`" for action in state.command.split("\n")]
            if state.done and state.ticked_at:
                lines.append(f"  done {state.ticked_at}")
            if state.note:
                lines.append(f"  note: {state.note}")
    return "\n".join(lines) + "\n"


def _actions(step: Any) -> str | None:
    """The step's gitlab.rb line and reconfigure, or its command, one per line."""
    actions = step.actions()
    return "\n".join(action.removeprefix("$ ") for action in actions) or None
