"""QtExecutionPath: the steps of one execution as a tree with a waterfall of their timing.

Each step shows its status icon, what it was (the statement's code, the call, the data operation), how long
it took (and how often it ran), a bar placed on the execution's timeline, and its error. The modules a step
imported are folded into one collapsed "Imports" row, so the handler's own steps come first. Double-clicking
a step of the app's code asks to open that line.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem

from ._format import format_duration, status_color, status_icon, status_text_color

STEP_ROLE = Qt.ItemDataRole.UserRole
BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # (start fraction, width fraction, status)
IMPORTS_ROLE = Qt.ItemDataRole.UserRole + 2  # True on the row that folds a step's imports
MAX_EXPANDED = 400
STEP, TIME, TIMELINE, ERROR = range(4)
MIN_STEP_WIDTH = 220  # px the Step column keeps when its steps are longer than the view is wide
TIME_WIDTH, TIMELINE_WIDTH, MIN_ERROR_WIDTH = 70, 100, 60


def step_label(step: dict) -> str:
    kind, title = step.get("kind", ""), step.get("title", "")
    if kind == "statement":
        return f"{step.get('line', '')}: {step.get('code') or title}"
    if kind == "call":
        return f"{title}()" + (f"  — {step['file']}:{step.get('line')}" if step.get("file") else "")
    return f"[{kind}] {title}" if kind else title


def imports_label(imports: list[dict]) -> str:
    return f"Imports ({len(imports)} module{'s' if len(imports) != 1 else ''})"


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
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.header()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        for column, width in ((STEP, MIN_STEP_WIDTH), (TIME, TIME_WIDTH), (TIMELINE, TIMELINE_WIDTH)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self.itemDoubleClicked.connect(self._double_clicked)

    def fit_step_column(self) -> None:
        """The Step column as wide as its steps, within what leaves the other columns their room (longer
        steps are elided in the middle; their tooltip has them in full). The last column takes what is left."""
        others = TIME_WIDTH + TIMELINE_WIDTH + (0 if self.isColumnHidden(ERROR) else MIN_ERROR_WIDTH)
        room = max(MIN_STEP_WIDTH, self.viewport().width() - others)
        self.setColumnWidth(STEP, min(max(self.sizeHintForColumn(STEP), MIN_STEP_WIDTH), room))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_step_column()

    def show_steps(self, steps: list[dict] | None, total_ms: float | None) -> None:
        self.clear()
        steps = steps or []
        span = timeline_span(steps, total_ms)
        failing: QTreeWidgetItem | None = None
        folds: list[QTreeWidgetItem] = []
        count = 0
        any_error = False

        def place(item: QTreeWidgetItem, status: str, start_ms: float, duration: float | None) -> None:
            item.setIcon(STEP, status_icon(status))
            item.setTextAlignment(TIME, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(TIMELINE, BAR_ROLE, (min(start_ms / span, 1.0), float(duration or 0) / span, status))
            item.setToolTip(TIMELINE, f"starts at {start_ms:g} ms, takes {format_duration(duration)}")

        def add(parent, step: dict) -> None:
            nonlocal failing, count, any_error
            count += 1
            item = QTreeWidgetItem(parent)
            status = step.get("status", "success")
            label = step_label(step)
            item.setText(STEP, label)
            code = step.get("code") or step.get("title") or ""
            item.setToolTip(STEP, label if code in label else f"{label}\n{code}")
            duration = step.get("durationMs")
            runs = step.get("count") or 1
            item.setText(TIME, format_duration(duration) + (f" ×{runs}" if runs > 1 else ""))
            place(item, status, float(step.get("startMs") or 0), duration)
            if step.get("error"):
                any_error = True
                item.setText(ERROR, step["error"])
                item.setForeground(ERROR, status_text_color("fail"))
                item.setToolTip(ERROR, step["error"])
            item.setData(STEP, STEP_ROLE, step)
            if status == "fail":
                failing = item
            add_children(item, step.get("children") or [])

        def add_children(parent, children: list[dict]) -> None:
            imports = [child for child in children if child.get("kind") == "import"]
            fold = None
            for child in children:
                if child.get("kind") == "import":
                    fold = fold or fold_imports(parent, imports)
                    add(fold, child)
                else:
                    add(parent, child)

        def fold_imports(parent, imports: list[dict]) -> QTreeWidgetItem:
            fold = QTreeWidgetItem(parent)
            fold.setData(STEP, IMPORTS_ROLE, True)
            fold.setText(STEP, imports_label(imports))
            fold.setToolTip(STEP, "Modules imported here:\n" + "\n".join(str(i.get("title", "")) for i in imports))
            font = QFont(fold.font(STEP))
            font.setItalic(True)
            fold.setFont(STEP, font)
            start = min(float(i.get("startMs") or 0) for i in imports)
            end = max(float(i.get("startMs") or 0) + float(i.get("durationMs") or 0) for i in imports)
            duration = sum(float(i.get("durationMs") or 0) for i in imports)
            fold.setText(TIME, format_duration(duration))
            failed = any(i.get("status") == "fail" for i in imports)
            place(fold, "fail" if failed else "success", start, end - start)
            folds.append(fold)
            return fold

        add_children(self.invisibleRootItem(), steps)
        self.setColumnHidden(ERROR, not any_error)
        if count <= MAX_EXPANDED:
            self.expandAll()
        else:
            self.expandToDepth(1)
        for fold in folds:
            fold.setExpanded(False)
        if failing is not None:
            parent = failing.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
            self.setCurrentItem(failing)
            self.scrollToItem(failing)
        self.fit_step_column()

    def import_folds(self) -> list[QTreeWidgetItem]:
        """The rows that fold imports, in tree order."""
        found = []
        stack = [self.invisibleRootItem()]
        while stack:
            item = stack.pop()
            if item.data(STEP, IMPORTS_ROLE):
                found.append(item)
            stack.extend(item.child(i) for i in range(item.childCount() - 1, -1, -1))
        return found

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        step = item.data(STEP, STEP_ROLE) or {}
        if step.get("file") and step.get("line"):
            self.sig_open_step.emit(step["file"], int(step["line"]))
