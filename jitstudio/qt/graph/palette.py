"""The palette of node types beside the canvas: drag one onto the canvas, or double-click it to add it in the
middle of what the canvas shows."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ...project.graph import type_title
from ...project.graph_edits import node_kinds
from .items import TYPE_COLORS
from .view import NODE_MIME

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
PALETTE_WIDTH = 136


def type_icon(node_type: str) -> QIcon:
    pixmap = QPixmap(28, 28)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TYPE_COLORS.get(node_type, "#8c959f")))
    painter.drawRoundedRect(4, 4, 20, 20, 6, 6)
    painter.end()
    return QIcon(pixmap)


class NodePalette(QListWidget):
    sig_add = Signal(str)  # node type, double-clicked

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphPalette")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(18, 18))
        self.setToolTip("Drag a node onto the canvas, or double-click to add it")
        for node_type in node_kinds(kind):
            item = QListWidgetItem(type_icon(node_type), type_title(kind, node_type))
            item.setData(TYPE_ROLE, node_type)
            item.setToolTip(f"{type_title(kind, node_type)}: drag onto the canvas, or double-click to add")
            self.addItem(item)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedWidth(PALETTE_WIDTH)
        self.itemDoubleClicked.connect(lambda item: self.sig_add.emit(item.data(TYPE_ROLE)))

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(NODE_MIME, str(items[0].data(TYPE_ROLE)).encode())
        return mime

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]
