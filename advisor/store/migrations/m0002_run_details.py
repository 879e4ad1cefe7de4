"""Version 2: remediation steps on findings, redaction and advisor version on runs."""

from __future__ import annotations

NAME = "run details"

SQL = """
ALTER TABLE runs ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN advisor_version TEXT;
ALTER TABLE findings ADD COLUMN remediation TEXT NOT NULL DEFAULT '[]';
CREATE INDEX runs_by_environment ON runs (environment_id, logs_start);
CREATE INDEX findings_by_cause ON findings (finding_id)
"""
