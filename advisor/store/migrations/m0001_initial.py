"""Version 1: environments, their diagnosed runs, subscores and findings."""

from __future__ import annotations

NAME = "initial"

SQL = """
CREATE TABLE advisor_schema (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE environments (
    id {id},
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    instance TEXT,
    hostnames TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE runs (
    id {id},
    environment_id INTEGER NOT NULL REFERENCES environments (id),
    recorded_at TEXT NOT NULL,
    logs_start TEXT,
    logs_end TEXT,
    gitlab_version TEXT,
    roles TEXT NOT NULL,
    architecture TEXT,
    baseline TEXT,
    score {float}
);
CREATE TABLE subscores (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    component TEXT NOT NULL,
    score {float},
    PRIMARY KEY (run_id, component)
);
CREATE TABLE findings (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    position INTEGER NOT NULL,
    finding_id TEXT NOT NULL,
    title TEXT NOT NULL,
    component TEXT,
    severity TEXT NOT NULL,
    confidence {float},
    cause TEXT,
    evidence TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
)
"""
