"""Charts: score trends for the terminal (plotext) and PNG images for reports (matplotlib).

Both libraries are imported inside the functions that draw, so the CLI starts fast.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

log = logging.getLogger(__name__)

#: Pixel size of report charts at DPI.
PNG_SIZE_IN = (9.0, 3.2)
DPI = 100
#: Terminal markers, one per line, so lines stay apart without colour.
MARKERS = ("@", "•", "x", "+", "o", "*", "~", "#")


class Series(BaseModel):
    """One named line: times and values (None where there is no value)."""

    name: str
    times: list[datetime]
    values: list[float | None]


def terminal_trend(
    series: Sequence[Series], title: str, width: int = 78, height: int = 20
) -> str:
    """Draws score lines over time as plain text (no colour codes).

    The legend goes below the frame: drawn inside, it hides the start of the lines.
    """
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.theme("colorless")
    figure.plot_size(width, height)
    figure.date("x").activate(form="%Y-%m-%d")
    legend = []
    for index, line in enumerate(series):
        points = zip(line.times, line.values, strict=True)
        kept = [(t, v) for t, v in points if v is not None]
        if not kept:
            continue
        marker = MARKERS[index % len(MARKERS)]
        signal = figure.signal(
            [t for t, _ in kept], [v for _, v in kept], marker=marker
        )
        legend.append(f"{marker} {line.name}")
        if len(kept) > 1:
            signal.lines()
        figure.draw(signal)
    figure.ruler("y").lim(0, 100)
    # A tick at each day's first run (up to eight), so the last run is labelled too.
    first_of_day: dict[object, datetime] = {}
    for moment in sorted(t for line in series for t in line.times):
        first_of_day.setdefault(moment.date(), moment)
    if 1 < len(first_of_day) <= 8:
        positions = [figure.date("x").convert(t) for t in first_of_day.values()]
        labels = [t.date().isoformat() for t in first_of_day.values()]
        figure.ruler("x").ticks(positions, labels)
    figure.title(title)
    text = plotext.uncolorize(str(figure.build()))
    figure.clear()
    rows = [row.rstrip() for row in text.splitlines()]
    return "\n".join([*rows, "   " + "   ".join(legend)]) + "\n"


def line_png(
    series: Sequence[Series], title: str, ylabel: str, log_scale: bool = False
) -> bytes:
    """Draws lines over time into a PNG image and returns its bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=PNG_SIZE_IN, dpi=DPI)
    try:
        for line in series:
            values = [float("nan") if v is None else v for v in line.values]
            times = mdates.date2num(line.times)
            axes.plot(times, values, label=line.name, linewidth=1.4)
        axes.set_title(title, fontsize=11, loc="left")
        axes.set_ylabel(ylabel)
        if log_scale:
            axes.set_yscale("log")
        axes.grid(True, alpha=0.3)
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M"))
        if len(series) > 1:
            axes.legend(fontsize=8, ncols=min(len(series), 4), loc="upper left")
        figure.autofmt_xdate()
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()
