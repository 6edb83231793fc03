"""QtRecordsChart: executions per time bucket stacked by status, and duration percentiles, for the filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...runtime.records import Bucket, Filters, Percentiles, RecordStore
from ._format import STATUS_COLORS, STATUS_LABELS, format_duration

BUCKETS = 36
STACK = ("success", "fail", "running")


@dataclass(frozen=True)
class ChartData:
    buckets: list[Bucket]
    percentiles: Percentiles


def load_chart(store: RecordStore, filters: Filters, buckets: int = BUCKETS) -> ChartData:
    return ChartData(store.histogram(filters, buckets), store.duration_percentiles(filters))


def bucket_labels(buckets: list[Bucket]) -> list[str]:
    """Unique labels for the buckets' start times, as short as their width allows."""
    if not buckets:
        return []
    width_s = (buckets[0].end_us - buckets[0].start_us) / 1e6
    if width_s < 60:
        fmt = "%H:%M:%S"
    elif _same_day(buckets):
        fmt = "%H:%M"
    elif width_s < 86_400:
        fmt = "%d %H:%M"
    else:
        fmt = "%b %d"
    labels = [datetime.fromtimestamp(b.start_us / 1e6).strftime(fmt) for b in buckets]
    if len(set(labels)) < len(labels):
        labels = [f"{label} ({n + 1})" for n, label in enumerate(labels)]
    return labels


def _same_day(buckets: list[Bucket]) -> bool:
    first = datetime.fromtimestamp(buckets[0].start_us / 1e6).date()
    return datetime.fromtimestamp(buckets[-1].end_us / 1e6).date() == first


class QtRecordsChart(QWidget):
    """The chart and the duration percentiles beside it. The QtCharts view (slow to make the first time) is
    made by `build()`, at the latest when there is data to draw."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: ChartData | None = None
        self.chart: QChart | None = None
        self.view: QChartView | None = None
        self.canvas = QWidget()
        self.canvas_layout = QVBoxLayout(self.canvas)
        self.canvas_layout.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        side = QVBoxLayout()
        side.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(side)
        self.p50 = QLabel(objectName="p50Label")
        self.p95 = QLabel(objectName="p95Label")
        self.span = QLabel(objectName="hint")
        for label in (self.p50, self.p95):
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() * 1.15)
            font.setBold(True)
            label.setFont(font)
        side.addWidget(QLabel("Duration", objectName="sectionTitle"))
        side.addWidget(QLabel("p50 (median)", objectName="hint"))
        side.addWidget(self.p50)
        side.addWidget(QLabel("p95", objectName="hint"))
        side.addWidget(self.p95)
        side.addWidget(self.span)
        side.addStretch(1)
        self._show_percentiles(Percentiles(None, None, 0, False))

    def build(self) -> None:
        """Make the chart's view (once) and draw the data shown so far."""
        if self.chart is not None:
            return
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.chart.setMargins(QMargins(4, 2, 4, 2))
        self.chart.setBackgroundRoundness(0)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setObjectName("recordsChart")
        self.canvas_layout.addWidget(self.view)
        self._draw(self.data or ChartData([], Percentiles(None, None, 0, False)))

    def show_data(self, data: ChartData) -> None:
        self.data = data
        self._show_percentiles(data.percentiles)
        if self.chart is None:
            self.build()
        else:
            self._draw(data)

    def _show_percentiles(self, pct: Percentiles) -> None:
        self.p50.setText(format_duration(pct.p50) if pct.p50 is not None else "–")
        self.p95.setText(format_duration(pct.p95) if pct.p95 is not None else "–")
        basis = f"of {pct.count:,} finished" + (" (newest)" if pct.sampled else "") if pct.count else "no finished runs"
        self.span.setText(basis)

    def _draw(self, data: ChartData) -> None:
        chart = self.chart
        assert chart is not None
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        chart.legend().setLabelColor(text)
        series = QStackedBarSeries()
        series.setBarWidth(0.9)
        for status in STACK:
            bar_set = QBarSet(STATUS_LABELS[status])
            bar_set.setColor(QColor(STATUS_COLORS[status]))
            bar_set.setBorderColor(QColor(STATUS_COLORS[status]))
            bar_set.append([float(b.counts.get(status, 0)) for b in data.buckets])
            series.append(bar_set)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        labels = bucket_labels(data.buckets)
        x_axis.append(labels or [""])
        x_axis.setLabelsAngle(-90)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.75))
        x_axis.setLabelsFont(small)
        x_axis.setLabelsColor(text)
        x_axis.setGridLineVisible(False)
        y_axis = QValueAxis()
        peak = max((b.total for b in data.buckets), default=0)
        y_axis.setRange(0, max(1, peak))
        y_axis.setLabelFormat("%d")
        y_axis.setTickCount(3)
        y_axis.setLabelsFont(small)
        y_axis.setLabelsColor(text)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    def totals(self) -> dict[str, int]:
        """Executions per status over the chart's buckets."""
        out = {s: 0 for s in STACK}
        for bucket in self.data.buckets if self.data else []:
            for status in STACK:
                out[status] += bucket.counts.get(status, 0)
        return out
