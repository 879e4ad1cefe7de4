"""Fast writers of very large logs (GBs) for benchmarks.

A short healthy simulation supplies a few thousand real-format lines; each is cut into
literal pieces and holes (timestamps, correlation id). Streaming then only picks a
template, fills the holes with a moving clock and a counter id, and writes in 4 MB
chunks, which keeps Python well above 50 MB/s.
"""

from __future__ import annotations

import calendar
import logging
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from advisor.simulate import clock, writers
from advisor.simulate.generator import DEFAULT_START
from advisor.simulate.scenarios import SCENARIOS
from advisor.simulate.topology import build_topology
from advisor.simulate.traffic import Simulation, Traffic

log = logging.getLogger(__name__)

ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
CID = re.compile(r'"correlation_id":"([0-9A-Za-z]{26}|[0-9a-f]{32})"')
CHUNK_BYTES = 4 << 20
TEMPLATES = 3000
LINES_PER_SECOND = 40.0

Template = tuple[tuple[str, ...], tuple[float | None, ...]]


def _traffic(seed: int) -> Traffic:
    scenario = SCENARIOS["healthy"]
    start = DEFAULT_START.timestamp()
    topology = build_topology(scenario, 1)
    return Simulation(scenario, topology, start, 0.25, scenario.rate, seed).run()


def _template(line: str, epoch: float) -> Template:
    """Cuts a line into literals and holes; a hole is a time offset or None for the id."""
    holes: list[tuple[int, int, float | None]] = []
    offset: float | None
    for match in ISO_MS.finditer(line):
        stamp = match.group()
        whole = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
        offset = whole + int(stamp[20:23]) / 1000 - epoch
        holes.append((match.start(), match.end(), offset))
    for match in CID.finditer(line):
        holes.append((match.start(1), match.end(1), None))
    holes.sort()
    pieces, offsets, pos = [], [], 0
    for begin, end, offset in holes:
        pieces.append(line[pos:begin])
        offsets.append(offset)
        pos = end
    pieces.append(line[pos:] + "\n")
    return tuple(pieces), tuple(offsets)


def _stream(path: Path, size_bytes: int, seed: int, templates: list[Template]) -> Path:
    rng = random.Random(seed)
    epoch = DEFAULT_START.timestamp()
    step = 1.0 / LINES_PER_SECOND
    written, counter = 0, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        while written < size_bytes:
            chunk: list[str] = []
            chunk_size = 0
            for index in rng.choices(range(len(templates)), k=2048):
                pieces, offsets = templates[index]
                counter += 1
                epoch += step * (0.5 + rng.random())
                parts = [pieces[0]]
                for piece, offset in zip(pieces[1:], offsets, strict=True):
                    hole = (
                        f"01HX{counter:022X}"
                        if offset is None
                        else clock.iso_ms(epoch + offset)
                    )
                    parts.append(hole)
                    parts.append(piece)
                line = "".join(parts)
                chunk.append(line)
                chunk_size += len(line)
                if chunk_size >= CHUNK_BYTES or written + chunk_size >= size_bytes:
                    break
            data = "".join(chunk).encode()
            handle.write(data)
            written += len(data)
    return path


def _write(
    path: Path,
    size_bytes: int,
    seed: int,
    render: Callable[[Traffic, random.Random], list[tuple[float, str]]],
) -> Path:
    rng = random.Random(seed)
    traffic = _traffic(seed)
    lines = render(traffic, rng)[:TEMPLATES]
    templates = [_template(text, end) for end, text in lines]
    log.info(
        "streaming %d bytes to %s from %d templates", size_bytes, path, len(templates)
    )
    return _stream(path, size_bytes, seed, templates)


def write_production_log(path: Path, size_bytes: int, seed: int = 1) -> Path:
    """Streams a realistic ``production_json.log`` of about ``size_bytes`` to ``path``."""

    def render(traffic: Traffic, rng: random.Random) -> list[tuple[float, str]]:
        web = [r for r in traffic.requests if r.endpoint.kind == "web"]
        epoch0 = traffic.start_s
        return [(epoch0 + r.end, writers.rails_line(r, epoch0, rng)) for r in web]

    return _write(path, size_bytes, seed, render)


def write_gitaly_log(path: Path, size_bytes: int, seed: int = 1) -> Path:
    """Streams a realistic ``gitaly/current`` of about ``size_bytes`` to ``path``."""

    def render(traffic: Traffic, rng: random.Random) -> list[tuple[float, str]]:
        calls = [c for r in traffic.requests for c in r.calls]
        calls += [c for j in traffic.jobs for c in j.calls]
        epoch0 = traffic.start_s
        return [
            (epoch0 + c.start + c.time_ms / 1000, writers.gitaly_line(c, epoch0))
            for c in calls
        ]

    return _write(path, size_bytes, seed, render)


def write_sidekiq_log(path: Path, size_bytes: int, seed: int = 1) -> Path:
    """Streams a realistic ``sidekiq/current`` of about ``size_bytes`` to ``path``."""

    def render(traffic: Traffic, rng: random.Random) -> list[tuple[float, str]]:
        out = []  # sidekiq_lines already returns absolute times
        for job in traffic.jobs:
            out += writers.sidekiq_lines(job, traffic.start_s, rng)
        return out

    return _write(path, size_bytes, seed, render)
