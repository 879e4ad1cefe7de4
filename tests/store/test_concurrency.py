"""Two processes recording into one inventory at the same moment lose nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from advisor.store import open_inventory, record_run
from tests.store.conftest import make_run

RUNS_EACH = 15

# Waits for the start file so both writers begin together, then records each run.
WRITER = """
import sys, time
from pathlib import Path
from advisor.store import record_run
from advisor.store.records import RunRecord
url, start, source = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
runs = [RunRecord.model_validate_json(x) for x in source.read_text().splitlines()]
while not start.exists():
    time.sleep(0.01)
for run in runs:
    record_run(url, run)
"""


def _writer(url: str, env: str, start: Path) -> subprocess.Popen[str]:
    source = start.with_name(f"{env}.jsonl")
    runs = [make_run(env, day=d, findings=("SLOW_STORAGE",)) for d in range(RUNS_EACH)]
    source.write_text("".join(run.model_dump_json() + "\n" for run in runs))
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(start), str(source)],
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_two_processes_record_at_once(db_url: str, tmp_path: Path) -> None:
    start = tmp_path / "go"
    writers = [
        _writer(db_url, env, start) for env in ("a.example.com", "b.example.com")
    ]
    time.sleep(0.5)  # both interpreters are up and waiting
    start.touch()
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    with open_inventory(db_url) as inventory:
        envs = inventory.environments()
        causes = inventory.causes()
    assert [(env.name, env.runs) for env in envs] == [
        ("a.example.com", RUNS_EACH),
        ("b.example.com", RUNS_EACH),
    ]
    assert causes[0].runs == 2 * RUNS_EACH


def test_threads_create_one_environment_at_once(db_url: str) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda day: record_run(db_url, make_run(day=day)), range(12)))
    with open_inventory(db_url) as inventory:
        [env] = inventory.environments()
    assert env.runs == 12
