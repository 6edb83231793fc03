"""The header band of element pages: icon, title, fullName and type, the page's switches and buttons, and
Save at the top right, where JitAI users look for it."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class ElidingLabel(QLabel):
    """A one-line label that ends in … when the page is narrow (its full text is then the tooltip), so that a
    long title never sets the page's minimum width."""

    MIN_WIDTH = 60

    def minimumSizeHint(self) -> QSize:
        return QSize(self.MIN_WIDTH, super().minimumSizeHint().height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.setToolTip(self.text() if self.is_elided() else "")

    def paintEvent(self, event) -> None:
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class PageHeader(QFrame):
    def __init__(self, icon, title: str, subtitle: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pageHeader")
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icon.pixmap(QSize(32, 32)))
        self.icon_label.setFixedSize(36, 36)
        self.title_label = ElidingLabel(title, objectName="pageTitle")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = ElidingLabel(subtitle, objectName="pageSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.title_label)
        names.addWidget(self.subtitle)
        self.controls = QHBoxLayout()
        self.controls.setSpacing(10)
        self.end = QHBoxLayout()
        self.end.setSpacing(6)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(12)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(names, 1)
        layout.addLayout(self.controls)
        layout.addLayout(self.end)

    def add(self, widget: QWidget) -> QWidget:
        self.controls.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        return widget

    def add_at_end(self, widget: QWidget) -> QWidget:
        """At the top right, after every control added with `add` (for Revert and Save)."""
        self.end.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        return widget

    def add_separator(self) -> None:
        line = QFrame(frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken)
        line.setFixedHeight(24)
        self.controls.addWidget(line)
