"""Per-device utilisation and latency - command ``iostat -xz 1 10`` (file ``iostat``).

Sample input (sysstat 12 layout; the older `Device:` layout with `await` is read too)::

    Linux 5.15.0-1051-aws (gitaly-1)    03/06/2025  _x86_64_    (16 CPU)

    avg-cpu:  %user   %nice %system %iowait  %steal   %idle
              20.10    0.00    5.20   12.40    0.30   62.00

    Device            r/s     rkB/s   r_await     w/s     wkB/s   w_await  aqu-sz  %util
    nvme1n1        150.00   4800.00      2.10   80.00   2300.00      4.00    0.50  30.00

    avg-cpu:  %user   %nice %system %iowait  %steal   %idle
              35.00    0.00    8.00   30.00    1.00   26.00

    Device            r/s     rkB/s   r_await     w/s     wkB/s   w_await  aqu-sz  %util
    nvme1n1       2100.00  67000.00     18.50  900.00  31000.00     42.00   14.20  97.00

The first report averages everything since boot, so only the later ones are averaged.

Examples:
    >>> stat = parse(SAMPLE)
    >>> dev = stat.devices[0]
    >>> dev.device, dev.util_pct, dev.r_await_ms, dev.w_await_ms, dev.intervals
    ('nvme1n1', 97.0, 18.5, 42.0, 1)
    >>> stat.iowait_pct.value, stat.iowait_pct.source.line
    (30.0, 10)
"""

from __future__ import annotations

import logging
from collections import defaultdict

from pydantic import BaseModel, Field

from advisor.facts.errors import ParseError
from advisor.facts.models import DeviceIO, Fact, Source, fact
from advisor.facts.sources._text import mean, numbered, numeric_tail

log = logging.getLogger(__name__)

SAMPLE = """\
Linux 5.15.0-1051-aws (gitaly-1)    03/06/2025  _x86_64_    (16 CPU)

avg-cpu:  %user   %nice %system %iowait  %steal   %idle
          20.10    0.00    5.20   12.40    0.30   62.00

Device            r/s     rkB/s   r_await     w/s     wkB/s   w_await  aqu-sz  %util
nvme1n1        150.00   4800.00      2.10   80.00   2300.00      4.00    0.50  30.00

avg-cpu:  %user   %nice %system %iowait  %steal   %idle
          35.00    0.00    8.00   30.00    1.00   26.00

Device            r/s     rkB/s   r_await     w/s     wkB/s   w_await  aqu-sz  %util
nvme1n1       2100.00  67000.00     18.50  900.00  31000.00     42.00   14.20  97.00
"""

Row = tuple[int, dict[str, float]]


class IoStat(BaseModel):
    """Devices and the CPU split, averaged over the reports after the first."""

    devices: list[DeviceIO] = Field(default_factory=list)
    iowait_pct: Fact[float] | None = None
    steal_pct: Fact[float] | None = None


def parse(text: str, file: str = "iostat") -> IoStat:
    """Groups rows by report, drops the since-boot report, then averages."""
    reports: list[tuple[list[Row], dict[str, list[Row]]]] = []
    header: list[str] = []
    for line_no, line in numbered(text):
        words = line.split()
        if not words:
            header = [] if header and header[0] == "avg-cpu:" else header
        elif words[0] == "avg-cpu:":
            header = words
            reports.append(([], defaultdict(list)))
        elif words[0].rstrip(":") == "Device":
            header = words
            if not reports or reports[-1][1]:
                reports.append(([], defaultdict(list)))
        elif header and reports:
            _add_row(reports[-1], header, words, line_no)
    if not any(cpu or devices for cpu, devices in reports):
        raise ParseError("no 'avg-cpu:' or 'Device' tables")
    used = reports[1:] or reports
    cpu_rows = [row for cpu, _ in used for row in cpu]
    return IoStat(
        devices=_devices(used, file),
        iowait_pct=_cpu(cpu_rows, "%iowait", file),
        steal_pct=_cpu(cpu_rows, "%steal", file),
    )


def _add_row(
    report: tuple[list[Row], dict[str, list[Row]]],
    header: list[str],
    words: list[str],
    line_no: int,
) -> None:
    """Files one row under the CPU table or under its device."""
    names = header[1:]
    values = dict(
        zip(names, numeric_tail(words, len(names), f"line {line_no}"), strict=True)
    )
    if header[0] == "avg-cpu:":
        report[0].append((line_no, values))
    else:
        report[1][words[0]].append((line_no, values))


def _devices(
    used: list[tuple[list[Row], dict[str, list[Row]]]], file: str
) -> list[DeviceIO]:
    """Averages each device over the reports in which it appears."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for _, devices in used:
        for name, device_rows in devices.items():
            rows[name].extend(device_rows)
    return [_device(name, device_rows, file) for name, device_rows in rows.items()]


def _device(name: str, rows: list[Row], file: str) -> DeviceIO:
    """Builds one device's averages; `await` stands in for both on old sysstat."""

    def avg(*keys: str) -> float | None:
        for key in keys:
            values = [row[key] for _, row in rows if key in row]
            if values:
                return mean(values)
        return None

    utils = [row["%util"] for _, row in rows if "%util" in row]
    return DeviceIO(
        device=name,
        util_pct=avg("%util"),
        util_peak_pct=max(utils) if utils else None,
        r_await_ms=avg("r_await", "await"),
        w_await_ms=avg("w_await", "await"),
        reads_per_s=avg("r/s"),
        writes_per_s=avg("w/s"),
        intervals=len(rows),
        source=Source(file=file, line=rows[0][0]),
    )


def _cpu(rows: list[Row], key: str, file: str) -> Fact[float] | None:
    """Averages one `avg-cpu` column."""
    values = [row[key] for _, row in rows if key in row]
    if not values:
        return None
    return fact(mean(values), file, rows[0][0], f"mean of {len(values)} reports")
