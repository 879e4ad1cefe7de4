"""A one-line-per-row bar chart of P95 latency per minute, anomalous minutes marked."""

from __future__ import annotations

from statistics import median
from typing import Any, ClassVar

from textual.content import Content
from textual.widget import Widget

from advisor.render.words import counted

BARS = " ▁▂▃▄▅▆▇█"

#: A minute is anomalous when its P95 exceeds this multiple of the median minute,
#: unless the finding's evidence gives a baseline for the metric.
ANOMALY_FACTOR = 1.5


def bucket(values: list[float], width: int) -> list[float]:
    """Shrinks ``values`` to at most ``width`` columns, keeping each bucket's maximum."""
    if len(values) <= width:
        return values
    size = len(values) / width
    return [
        max(values[int(i * size) : max(int((i + 1) * size), int(i * size) + 1)])
        for i in range(width)
    ]


class MetricChart(Widget):
    """Draws P95 per minute for one log kind; marks minutes above the threshold."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "metric-chart--bar",
        "metric-chart--anomaly",
        "metric-chart--axis",
    }
    """
    | Class | Description |
    | :- | :- |
    | `metric-chart--bar` | Bars of normal minutes. |
    | `metric-chart--anomaly` | Bars and markers of anomalous minutes. |
    | `metric-chart--axis` | Labels: times, scale and legend. |
    """

    def __init__(
        self, series: dict[str, Any] | None, threshold: float | None = None
    ) -> None:
        super().__init__(id="chart")
        self.series = series or {}
        values = [float(v or 0) for v in self.series.get("p95_ms") or []]
        self.values = values
        self.threshold = threshold or (
            median(values) * ANOMALY_FACTOR if values else None
        )

    def anomalous(self) -> list[bool]:
        """Whether each minute is above the threshold."""
        limit = self.threshold
        return [limit is not None and v > limit for v in self.values]

    def render(self) -> Content:
        if not self.values:
            return Content("No per-minute series for this finding's logs.")
        width = max(self.size.width - 2, 10)
        values = bucket(self.values, width)
        flags = [v > (self.threshold or float("inf")) for v in values]
        top = max(values) or 1.0
        bar_style = self.get_visual_style("metric-chart--bar", partial=True)
        hot_style = self.get_visual_style("metric-chart--anomaly", partial=True)
        axis = self.get_visual_style("metric-chart--axis", partial=True)
        rows = []
        for level in (2, 1, 0):
            line = Content()
            for value, hot in zip(values, flags, strict=True):
                fill = value / top * 3 - level
                glyph = BARS[max(0, min(8, round(fill * 8)))]
                line += Content.styled(glyph, hot_style if hot else bar_style)
            rows.append(line)
        marks = Content().join(
            Content.styled("^" if hot else " ", hot_style) for hot in flags
        )
        minutes = self.series.get("minutes") or [""]
        count = sum(self.anomalous())
        label = (
            f"{minutes[0][11:16]}–{minutes[-1][11:16]} UTC, "
            f"{self.series.get('kind')} P95 per minute, max {max(self.values):,.0f} ms; "
            f"^ {counted(count, 'minute')} above "
            f"{self.threshold:,.0f} ms"
        )
        return Content("\n").join([*rows, marks, Content.styled(label, axis)])
