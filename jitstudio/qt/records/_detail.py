"""QtRecordDetail: one execution: its header and links, the execution path, the error with its traceback,
and the input and output as formatted JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...runtime.records import ExecutionRecord, RecordStore
from ..widgets.code_editor import CodeEditor
from ._format import STATUS_LABELS, format_duration, format_started, status_color, status_text_color
from ._rows import trigger_text
from ._steps import QtExecutionPath

FRAME_ROLE = Qt.ItemDataRole.UserRole
MAX_LINKS = 20


@dataclass(frozen=True)
class RecordDetail:
    record: ExecutionRecord
    children: list[ExecutionRecord]
    reruns: list[ExecutionRecord]


def load_detail(store: RecordStore, record_id: int) -> RecordDetail | None:
    try:
        record = store.get(record_id)
    except KeyError:
        return None
    return RecordDetail(record, store.children(record_id), store.reruns(record_id))


def pretty_json(value: Any) -> str:
    if value is None:
        return "null"
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


# Executions of these elements, or started inside them, belong to an approval or an assistant turn.
GRAPH_FAMILIES = ("workflows.", "aiassistants.")

def _link(record_id: int, label: str | None = None, status: str | None = None) -> str:
    color = status_color(status).name() if status else None
    mark = f' <span style="color:{color}">●</span>' if color else ""
    return f'<a href="record:{record_id}">{label or f"#{record_id}"}</a>{mark}'


class QtRecordDetail(QWidget):
    """One execution. The widgets that show it are made by `build()`, on the first record shown unless the
    page asked for them earlier (`build_in_turns()`); until then the pane holds only its placeholder."""

    sig_open_record = Signal(int)
    sig_open_frame = Signal(str, int)  # app-relative file, line
    sig_show_run = Signal(int)  # record id: draw the approval or assistant turn it is part of on its graph

    title: QLabel
    facts: QLabel
    links: QLabel
    error: QLabel
    path: QtExecutionPath
    frames: QTreeWidget
    input: CodeEditor
    output: CodeEditor
    tabs: QTabWidget

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.detail: RecordDetail | None = None
        self.body: QWidget | None = None
        self.has_json_views = False
        self.placeholder = QLabel("Select an execution to see its path, input, output and error.",
                                  objectName="hint", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.stack.addWidget(self.placeholder)

    def build(self) -> None:
        """Make the widgets that show a record (once)."""
        self._build_summary()
        self._build_json_views()

    def build_in_turns(self) -> None:
        """`build()` over two turns of the event loop, the code editors of the input and output in the second."""
        self._build_summary()
        QTimer.singleShot(0, self, self._build_json_views)

    def _build_summary(self) -> None:
        if self.body is not None:
            return
        self.body = QWidget()
        self.stack.addWidget(self.body)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(4)
        self.title = QLabel(objectName="detailTitle", textFormat=Qt.TextFormat.RichText)
        self.title.setStyleSheet("QLabel#detailTitle { font-size: 12pt; font-weight: 600; }")
        self.facts = QLabel(objectName="hint", wordWrap=True)
        self.links = QLabel(objectName="detailLinks", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.links.linkActivated.connect(self._link_activated)
        self.error = QLabel(objectName="detailError", wordWrap=True,
                            textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("QLabel#detailError { color: #ffffff; background: #cf222e; border-radius: 4px;"
                                 " padding: 6px 8px; font-weight: 600; }")
        self.tabs = QTabWidget(objectName="detailTabs", documentMode=True)
        for widget in (self.title, self.facts, self.links, self.error):
            layout.addWidget(widget)
        layout.addWidget(self.tabs, 1)
        self.path = QtExecutionPath()
        self.path.sig_open_step.connect(self.sig_open_frame)
        self.tabs.addTab(self.path, "Execution path")
        self.frames = QTreeWidget(objectName="tracebackFrames")
        self.frames.setHeaderLabels(["Function", "Where", "Code"])
        self.frames.setRootIsDecorated(False)
        self.frames.setColumnWidth(0, 150)
        self.frames.setColumnWidth(1, 260)
        self.frames.itemClicked.connect(self._frame_clicked)
        self.frames.itemActivated.connect(self._frame_clicked)
        self.tabs.addTab(self.frames, "Traceback")

    def _build_json_views(self) -> None:
        if self.has_json_views:
            return
        self.has_json_views = True
        self.input = self._json_view("detailInput")
        self.tabs.addTab(self.input, "Input")
        self.output = self._json_view("detailOutput")
        self.tabs.addTab(self.output, "Output")

    @staticmethod
    def _json_view(name: str) -> CodeEditor:
        view = CodeEditor(language="json")
        view.setObjectName(name)
        view.setReadOnly(True)
        return view

    def record_id(self) -> int | None:
        return self.detail.record.id if self.detail else None

    def clear(self, text: str | None = None) -> None:
        self.detail = None
        self.placeholder.setText(text or "Select an execution to see its path, input, output and error.")
        self.stack.setCurrentWidget(self.placeholder)

    def show_detail(self, detail: RecordDetail) -> None:
        self.build()
        self.detail = detail
        r = detail.record
        label = STATUS_LABELS.get(r.status, r.status)
        self.title.setText(f'<span style="color:{status_text_color(r.status).name()}">{label}</span>'
                           f' · #{r.id} {r.event.rsplit(".", 1)[-1]}')
        self.title.setToolTip(r.event)
        duration = format_duration(r.duration_ms) if r.duration_ms is not None else "still running"
        facts = [r.event, f"started {format_started(r.started_us)}", duration, trigger_text(r) or r.event_type]
        if r.attempt > 1:
            facts.append(f"attempt {r.attempt}")
        if len(r.chain) > 1:
            facts.append("chain " + " → ".join(r.chain))
        self.facts.setText(" · ".join(f for f in facts if f))
        self.links.setText(self._links_html(detail))
        self.links.setVisible(bool(self.links.text()))
        self.error.setText(r.error or "")
        self.error.setVisible(bool(r.error))
        self.path.show_steps(r.steps, r.duration_ms)
        self._show_frames(r.traceback or [])
        self.input.set_text(pretty_json(r.input) + "\n")
        self.output.set_text(pretty_json(r.output) + "\n")
        self.tabs.setTabEnabled(1, bool(r.traceback))
        self.tabs.setCurrentIndex(1 if r.traceback and not r.steps else 0)
        self.stack.setCurrentIndex(1)

    def _links_html(self, detail: RecordDetail) -> str:
        r = detail.record
        parts = []
        if r.parent_id is not None:
            parts.append("Started by " + _link(r.parent_id))
        if r.root_id not in (None, r.id, r.parent_id):
            parts.append("root " + _link(r.root_id))
        if r.rerun_of is not None:
            parts.append("Re-run of " + _link(r.rerun_of))
        if detail.children:
            shown = ", ".join(_link(c.id, f"#{c.id} {c.event.rsplit('.', 1)[-1]}", c.status) for c in detail.children[:MAX_LINKS])
            more = f" and {len(detail.children) - MAX_LINKS} more" if len(detail.children) > MAX_LINKS else ""
            parts.append(f"Started {shown}{more}")
        if detail.reruns:
            parts.append("Re-run as " + ", ".join(_link(c.id, None, c.status) for c in detail.reruns[:MAX_LINKS]))
        if any(name.startswith(GRAPH_FAMILIES) for name in [r.event, r.sender, *r.chain]):
            parts.append(f'<a href="run:{r.id}">Show its run on the drawing</a>')
        return " · ".join(parts)

    def _show_frames(self, frames: list[dict]) -> None:
        self.frames.clear()
        link = self.palette().color(QPalette.ColorRole.Link)
        for frame in frames:
            item = QTreeWidgetItem(self.frames, [frame.get("function", ""), f"{frame.get('file', '')}:{frame.get('line', '')}",
                                                 frame.get("code", "")])
            item.setData(0, FRAME_ROLE, frame)
            if frame.get("in_app"):
                font = QFont(item.font(0))
                font.setBold(True)
                for column in range(3):
                    item.setFont(column, font)
                item.setForeground(1, link)
                item.setToolTip(1, "Click to open this line in the editor")
            else:
                muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
                for column in range(3):
                    item.setForeground(column, muted)
        if frames:
            last_app = next((i for i in range(len(frames) - 1, -1, -1) if frames[i].get("in_app")), len(frames) - 1)
            self.frames.setCurrentItem(self.frames.topLevelItem(last_app))

    def in_app_frame_items(self) -> list[QTreeWidgetItem]:
        items = (self.frames.topLevelItem(i) for i in range(self.frames.topLevelItemCount()))
        return [item for item in items if (item.data(0, FRAME_ROLE) or {}).get("in_app")]

    def _frame_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        frame = item.data(0, FRAME_ROLE) or {}
        if frame.get("in_app") and frame.get("file") and frame.get("line"):
            self.sig_open_frame.emit(frame["file"], int(frame["line"]))

    def _link_activated(self, href: str) -> None:
        if href.startswith("record:"):
            self.sig_open_record.emit(int(href.split(":", 1)[1]))
        elif href.startswith("run:"):
            self.sig_show_run.emit(int(href.split(":", 1)[1]))
