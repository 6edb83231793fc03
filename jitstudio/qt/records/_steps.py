"""QtExecutionPath: the steps of one execution as a tree with a waterfall of their timing.

Each step shows its status icon, what it was (the statement's code, the call, the data operation), how long
it took (and how often it ran), a bar placed on the execution's timeline, and its error. Double-clicking a
step of the app's code asks to open that line.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem

from ._format import format_duration, status_color, status_icon

STEP_ROLE = Qt.ItemDataRole.UserRole
BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # (start fraction, width fraction, status)
MAX_EXPANDED = 400
STEP, TIME, TIMELINE, ERROR = range(4)


def step_label(step: dict) -> str:
    kind, title = step.get("kind", ""), step.get("title", "")
    if kind == "statement":
        return f"{step.get('line', '')}: {step.get('code') or title}"
    if kind == "call":
        return f"{title}()" + (f"  — {step['file']}:{step.get('line')}" if step.get("file") else "")
    return f"[{kind}] {title}" if kind else title


def timeline_span(steps: list[dict], total_ms: float | None) -> float:
    """The length of the execution's timeline: its duration, or the end of its last step."""
    end = 0.0
    stack = list(steps)
    while stack:
        step = stack.pop()
        end = max(end, float(step.get("startMs") or 0) + float(step.get("durationMs") or 0))
        stack.extend(step.get("children") or [])
    return max(end, float(total_ms or 0), 1e-6)


class DurationBarDelegate(QStyledItemDelegate):
    """Draws a step's bar on the execution's timeline, in its status colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        bar = index.data(BAR_ROLE)
        if not bar:
            return
        start, width, status = bar
        rect: QRect = option.rect.adjusted(4, 5, -4, -5)
        track = QRectF(rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        mid = option.palette.color(QPalette.ColorRole.Mid)
        mid.setAlpha(70)
        painter.setBrush(mid)
        painter.drawRoundedRect(track, 2, 2)
        fill = QRectF(track.left() + track.width() * start, track.top(), max(2.0, track.width() * width), track.height())
        color = QColor(status_color(status))
        if status == "success":
            color = QColor("#3b82f6")
        painter.setBrush(color)
        painter.drawRoundedRect(fill.intersected(track), 2, 2)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return QSize(160, super().sizeHint(option, index).height())


class QtExecutionPath(QTreeWidget):
    sig_open_step = Signal(str, int)  # app-relative file, line

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("executionPath")
        self.setColumnCount(4)
        self.setHeaderLabels(["Step", "Time", "Timeline", "Error"])
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setItemDelegateForColumn(TIMELINE, DurationBarDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(STEP, QHeaderView.ResizeMode.Stretch)
        for column, width in ((TIME, 78), (TIMELINE, 130), (ERROR, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self.itemDoubleClicked.connect(self._double_clicked)

    def show_steps(self, steps: list[dict] | None, total_ms: float | None) -> None:
        self.clear()
        steps = steps or []
        span = timeline_span(steps, total_ms)
        failing: QTreeWidgetItem | None = None
        count = 0

        def add(parent, step: dict) -> None:
            nonlocal failing, count
            count += 1
            item = QTreeWidgetItem(parent)
            status = step.get("status", "success")
            item.setIcon(STEP, status_icon(status))
            item.setText(STEP, step_label(step))
            item.setToolTip(STEP, step.get("code") or step.get("title") or "")
            duration = step.get("durationMs")
            runs = step.get("count") or 1
            item.setText(TIME, format_duration(duration) + (f" ×{runs}" if runs > 1 else ""))
            item.setTextAlignment(TIME, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            start = float(step.get("startMs") or 0) / span
            item.setData(TIMELINE, BAR_ROLE, (min(start, 1.0), float(duration or 0) / span, status))
            item.setToolTip(TIMELINE, f"starts at {step.get('startMs', 0)} ms, takes {format_duration(duration)}")
            if step.get("error"):
                item.setText(ERROR, step["error"])
                item.setForeground(ERROR, status_color("fail"))
                item.setToolTip(ERROR, step["error"])
            item.setData(STEP, STEP_ROLE, step)
            if status == "fail":
                failing = item
            for child in step.get("children") or []:
                add(item, child)

        for step in steps:
            add(self.invisibleRootItem(), step)
        if count <= MAX_EXPANDED:
            self.expandAll()
        else:
            self.expandToDepth(1)
        if failing is not None:
            parent = failing.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
            self.setCurrentItem(failing)
            self.scrollToItem(failing)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        step = item.data(STEP, STEP_ROLE) or {}
        if step.get("file") and step.get("line"):
            self.sig_open_step.emit(step["file"], int(step["line"]))
