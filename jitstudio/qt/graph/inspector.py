"""QtGraphInspector: the form beside a graph canvas that edits the selected node or link of a workflow or
assistant config.json. Every user action leaves as one signal, (JSON pointer, value) to set or a pointer to
delete, for the editor to apply as one undoable edit. Showing the same node or link again updates the form in
place (focus and scroll kept) and emits nothing."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QFrame, QLabel, QLineEdit, QListWidget, QScrollArea, QVBoxLayout, QWidget,
)

from ...project import AssistantElement, Project, WorkflowElement
from ...project.graph import WORKFLOW, WORKFLOW_TYPE_NAMES
from ._inspector_assistant import AssistantEdgePanel, AssistantNodePanel, assistant_node
from ._inspector_context import InspectorContext, anchored, lookup, read_context
from ._inspector_workflow import WorkflowLinkPanel, WorkflowNodePanel, workflow_node_index

Panel = WorkflowNodePanel | WorkflowLinkPanel | AssistantNodePanel | AssistantEdgePanel
STYLE = """
QLabel#inspectorTitle { font-size: 12pt; font-weight: 600; }
QLabel#fieldCaption { padding-top: 2px; }
QLabel#warning { color: palette(link-visited); font-weight: 600; }
"""


class QtGraphInspector(QWidget):
    sig_set = Signal(str, object)
    sig_delete = Signal(str)
    sig_open_event = Signal(str)
    sig_select_link = Signal(int)  # a branch / if-else node's link was chosen from its list (also shown here)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphInspector")
        self.setStyleSheet(STYLE)
        self.context = InspectorContext()
        self.config: Any = {}
        self.key: tuple | None = None
        self.panel: Panel | None = None
        self.read_only = False
        self._filling = False
        self.scroller = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nothing = QLabel(objectName="hint", wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.nothing.setContentsMargins(16, 16, 16, 16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)
        self.setMinimumWidth(260)
        self.show_nothing()

    def sizeHint(self) -> QSize:
        return QSize(300, 600)

    # ----- what the editor calls ------------------------------------------------------------------

    def set_context(self, project: Project, element: WorkflowElement | AssistantElement) -> None:
        self.context = read_context(project, element)
        if self.panel is not None:
            self.panel.set_context(self.context)
            self._fill(self.config)

    def show_node(self, kind: str, node_id: str, config: dict) -> None:
        if kind == WORKFLOW:
            index = workflow_node_index(config, node_id)
            node = config["nodeList"][index] if index is not None else None
            node_type = WORKFLOW_TYPE_NAMES.get(node.get("type"), str(node.get("type"))) if node else None
        else:
            node = assistant_node(config, node_id) or None
            node_type = str(node.get("type") or "") if node else None
        if node_type is None:
            self.show_nothing(f"There is no node '{node_id}' in config.json.")
            return
        self._show((kind, "node", node_id, node_type), config)

    def show_link(self, kind: str, index: int, config: dict) -> None:
        links = config.get("linkList" if kind == WORKFLOW else "edges") if isinstance(config, dict) else None
        if not isinstance(links, list) or not 0 <= index < len(links) or not isinstance(links[index], dict):
            self.show_nothing(f"There is no link {index} in config.json.")
            return
        self._show((kind, "link", index), config)

    def show_nothing(self, text: str = "") -> None:
        self.key, self.panel = None, None
        self.nothing.setText(text or "Select a node or a link to edit it here.")
        self._replace(self.nothing)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.panel is not None:
            self._apply_read_only(self.panel)

    # ----- what the panels call (their Sink) ------------------------------------------------------

    def set(self, pointer: str, value: Any) -> None:
        if self._filling or self.read_only:
            return
        pointer, value = anchored(self.config, pointer, value)
        found, current = lookup(self.config, pointer)
        if found and current == value and type(current) is type(value):
            return
        self.sig_set.emit(pointer, value)

    def delete(self, pointer: str) -> None:
        if self._filling or self.read_only or not lookup(self.config, pointer)[0]:
            return
        self.sig_delete.emit(pointer)

    def open_event(self, full_name: str) -> None:
        self.sig_open_event.emit(full_name)

    def select_link(self, index: int) -> None:
        self.sig_select_link.emit(index)
        if self.key is not None:
            self.show_link(self.key[0], index, self.config)

    # ----- inside -----------------------------------------------------------------------------

    def _show(self, key: tuple, config: dict) -> None:
        if key != self.key or self.panel is None:
            self.key = key
            self.panel = self._new_panel(key)
            self._replace(self.panel)
        self._fill(config)

    def _new_panel(self, key: tuple) -> Panel:
        kind, what = key[0], key[1]
        if what == "node":
            return (WorkflowNodePanel if kind == WORKFLOW else AssistantNodePanel)(self, self.context, key[2], key[3])
        return (WorkflowLinkPanel if kind == WORKFLOW else AssistantEdgePanel)(self, self.context, key[2])

    def _fill(self, config: dict) -> None:
        self.config = config
        if self.panel is None:
            return
        self._filling = True
        try:
            self.panel.refresh(config)
        finally:
            self._filling = False
        self._apply_read_only(self.panel)

    def _replace(self, widget: QWidget) -> None:
        old = self.scroller.takeWidget()
        if old is not None and old is not self.nothing:
            old.deleteLater()
        elif old is self.nothing:
            old.setParent(self)  # kept: takeWidget leaves it without a parent, to be deleted with the wrapper
            old.hide()
        self.scroller.setWidget(widget)
        widget.show()

    def _apply_read_only(self, panel: QWidget) -> None:
        """Text stays selectable; pickers, switches, check boxes and row buttons are disabled. Links to events
        and to a node's links keep working."""
        for edit in panel.findChildren(QLineEdit):
            if not isinstance(edit.parent(), QComboBox):
                edit.setReadOnly(self.read_only)
                for action in edit.actions():
                    action.setEnabled(not self.read_only)
        for widget in panel.findChildren(QWidget):
            if isinstance(widget, (QAbstractButton, QComboBox, QListWidget)) and not widget.property("navigation"):
                widget.setEnabled(not self.read_only)

