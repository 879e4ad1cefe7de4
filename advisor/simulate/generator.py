"""Run one scenario and write one gitlabsos-shaped archive per simulated node."""

from __future__ import annotations

import difflib
import logging
import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

from advisor.errors import InputError, UsageError
from advisor.simulate.archive import archive_name, pack_tar
from advisor.simulate.layout import write_node_logs
from advisor.simulate.scenarios import SCENARIOS, Scenario
from advisor.simulate.system_files import write_system_files
from advisor.simulate.topology import build_topology
from advisor.simulate.traffic import Simulation

log = logging.getLogger(__name__)

#: Default window start: a Tuesday at noon UTC, climbing to the afternoon peak.
DEFAULT_START = datetime(2024, 5, 7, 12, 0, tzinfo=UTC)
MAX_HOURS = 24 * 7


def generate(
    scenario: str,
    out: Path,
    *,
    hours: float = 2.0,
    rate: float | None = None,
    nodes: int = 1,
    seed: int = 1,
    tar: bool = False,
    start: datetime | None = None,
) -> list[Path]:
    """Simulates ``scenario`` and writes its archives into ``out``.

    Args:
        scenario: a name from ``SCENARIOS``.
        out: directory that receives one archive per node (created if missing).
        hours: length of the simulated window.
        rate: peak API requests per second; the scenario's default when None.
        nodes: 1 for an all-in-one node, 2-4 to split roles, more for extra Rails nodes.
        seed: random seed; the same seed gives byte-identical output.
        tar: write ``.tar.gz`` archives instead of folders.
        start: window start (UTC); a fixed Tuesday noon by default.

    Returns:
        The archive paths written, one per node.

    Raises:
        UsageError: for an unknown scenario or out-of-range numbers.
        InputError: when ``out`` exists and is not a directory.
    """
    chosen = _scenario(scenario)
    _check(hours, rate, nodes)
    if out.exists() and not out.is_dir():
        raise InputError(
            f"Output path {str(out)!r} exists and is not a directory.",
            fix="Pass a directory to --out.",
        )
    begin = (start or DEFAULT_START).astimezone(UTC).timestamp()
    topology = build_topology(chosen, nodes)
    traffic = Simulation(
        chosen, topology, begin, hours, rate or chosen.rate, seed
    ).run()
    end_s = begin + traffic.minutes * 60
    written = []
    for index, host in enumerate(topology.hosts):
        folder = out / archive_name(host, end_s)
        if folder.exists():
            shutil.rmtree(folder)
        rng = random.Random(f"{seed}-{index}")
        write_node_logs(traffic, index, folder, rng)
        write_system_files(traffic, index, folder, rng)
        written.append(pack_tar(folder) if tar else folder)
        log.info("wrote %s", written[-1])
    return written


def _scenario(name: str) -> Scenario:
    if name in SCENARIOS:
        return SCENARIOS[name]
    close = difflib.get_close_matches(name, list(SCENARIOS), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UsageError(
        f"Unknown scenario {name!r}.{hint}",
        fix="Run `advisor simulate --list` to see them.",
    )


def _check(hours: float, rate: float | None, nodes: int) -> None:
    if not 0 < hours <= MAX_HOURS:
        raise UsageError(
            f"--hours must be above 0 and at most {MAX_HOURS}, got {hours!r}."
        )
    if rate is not None and not 0 < rate <= 5000:
        raise UsageError(f"--rate must be above 0 and at most 5000, got {rate!r}.")
    if not 1 <= nodes <= 16:
        raise UsageError(f"--nodes must be between 1 and 16, got {nodes!r}.")
