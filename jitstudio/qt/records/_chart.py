"""QtRecordsChart: executions per time bucket stacked by status, and duration percentiles, for the filters."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCharts import QBarSet, QCategoryAxis, QChart, QChartView, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...runtime.records import Bucket, Filters, Percentiles, RecordStore
from ._axes import count_axis, time_labels
from ._format import STATUS_COLORS, STATUS_LABELS, format_duration

BUCKETS = 36
STACK = ("success", "fail", "running")
LABEL_GAP_PX = 24  # between two time labels
AXES_AND_LEGEND_PX = 130  # of the view's width that the plot does not get


@dataclass(frozen=True)
class ChartData:
    buckets: list[Bucket]
    percentiles: Percentiles


def load_chart(store: RecordStore, filters: Filters, buckets: int = BUCKETS) -> ChartData:
    return ChartData(store.histogram(filters, buckets), store.duration_percentiles(filters))


def fitting_time_labels(buckets: list[Bucket], width_px: float, metrics: QFontMetrics) -> dict[int, str]:
    """As many distinct time labels as fit side by side in `width_px`."""
    max_labels = len(buckets)
    while True:
        labels = time_labels(buckets, max_labels)
        needed = sum(metrics.horizontalAdvance(label) + LABEL_GAP_PX for label in labels.values())
        if needed <= width_px or max_labels <= 2:
            return labels
        max_labels = min(max_labels - 1, len(labels) - 1)


class QtRecordsChart(QWidget):
    """The chart and the duration percentiles beside it. The QtCharts view (slow to make the first time) is
    made by `build()`, at the latest when there is data to draw."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: ChartData | None = None
        self.chart: QChart | None = None
        self.view: QChartView | None = None
        self.x_axis: QCategoryAxis | None = None
        self.shown_labels: dict[int, str] = {}  # bucket index → the time label under it
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
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.8))
        x_axis = self.x_axis = QCategoryAxis()
        x_axis.setRange(-0.5, max(1, len(data.buckets)) - 0.5)
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setLabelsFont(small)
        self.shown_labels = {}
        self._label_x_axis()
        x_axis.setLabelsColor(text)
        x_axis.setGridLineVisible(False)
        counts = count_axis(max((b.total for b in data.buckets), default=0))
        y_axis = QValueAxis()
        y_axis.setRange(0, counts.top)
        y_axis.setTickCount(len(counts.ticks))
        y_axis.setLabelFormat("%d")
        y_axis.setLabelsFont(small)
        y_axis.setLabelsColor(text)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    def _label_x_axis(self) -> None:
        """Label as many buckets as fit in the plot's width (again when that changes the labels)."""
        if self.x_axis is None or self.view is None:
            return
        buckets = self.data.buckets if self.data else []
        width = max(100, self.view.width() - AXES_AND_LEGEND_PX)
        labels = fitting_time_labels(buckets, width, QFontMetrics(self.x_axis.labelsFont()))
        if labels == self.shown_labels:
            return
        for label in self.x_axis.categoriesLabels():
            self.x_axis.remove(label)
        for index, label in labels.items():
            self.x_axis.append(label, index)
        self.shown_labels = labels

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._label_x_axis()

    def totals(self) -> dict[str, int]:
        """Executions per status over the chart's buckets."""
        out = {s: 0 for s in STACK}
        for bucket in self.data.buckets if self.data else []:
            for status in STACK:
                out[status] += bucket.counts.get(status, 0)
        return out
