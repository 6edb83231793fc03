"""What every inspector panel shares: the header (title, type badge, where it is), sections, the events
list, and the sink through which its edits leave as (pointer, value) pairs."""
from __future__ import annotations

from typing import Any, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ._inspector_context import InspectorContext, node_events
from ._inspector_fields import NavigationRows, caption, hint_label, section_title


W = TypeVar("W", bound=QWidget)


class Sink(Protocol):
    def set(self, pointer: str, value: Any) -> None: ...
    def delete(self, pointer: str) -> None: ...
    def open_event(self, full_name: str) -> None: ...
    def select_link(self, index: int) -> None: ...


class PanelBase(QWidget):
    def __init__(self, sink: Sink, context: InspectorContext):
        super().__init__(objectName="inspectorPanel")
        self.sink, self.context = sink, context
        self.config: Any = {}
        self.pointer = ""  # where in config.json the node or link shown is
        self.title_label = QLabel(objectName="inspectorTitle", wordWrap=True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = QLabel(objectName="badge")
        self.badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.where = hint_label()
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title_label, 1)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 10, 12, 12)
        self.layout_.setSpacing(6)
        self.layout_.addLayout(head)
        self.layout_.addWidget(self.where)
        self.events: NavigationRows | None = None

    def set_context(self, context: InspectorContext) -> None:
        self.context = context

    def set_or_clear(self, member: str, value: Any) -> None:
        """Set a member of the node or link shown, or remove it when the value is empty (never written as null)."""
        if value:
            self.sink.set(f"{self.pointer}/{member}", value)
        else:
            self.sink.delete(f"{self.pointer}/{member}")

    def set_else(self, on: bool) -> None:
        """A link's else: once on, it takes no condition."""
        self.set_or_clear("else", on)
        if on:
            self.sink.delete(f"{self.pointer}/condition")

    def show_header(self, title: str, badge: str, where: str) -> None:
        self.title_label.setText(title)
        self.badge.setText(badge)
        self.where.setText(where)

    def section(self, title: str) -> QVBoxLayout:
        self.layout_.addWidget(section_title(title))
        body = QVBoxLayout()
        body.setSpacing(4)
        self.layout_.addLayout(body)
        return body

    def field(self, body: QVBoxLayout, label: str, widget: W) -> W:
        body.addWidget(caption(label))
        body.addWidget(widget)
        return widget

    def add_events(self) -> None:
        body = self.section("Events")
        self.events = NavigationRows(self.sink.open_event, "No event subscribes to this node.", "nodeEvents")
        body.addWidget(self.events)

    def show_events(self, node_id: str) -> None:
        if self.events is not None:
            self.events.show_value([(name, f"⚡ {title}", name) for name, title in node_events(self.context, node_id)])

    def finish_layout(self) -> None:
        self.layout_.addStretch(1)
