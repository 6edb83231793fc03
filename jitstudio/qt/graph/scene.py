"""The graph canvas's scene: node and link items kept in step with the Graph read from config.json, and the
gestures that edit it (drag to move, drag from a port to connect). It changes no file: it says what the user
did through its signals, and the editor writes config.json and shows the result."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneContextMenuEvent, QGraphicsSceneMouseEvent

from ...project.graph import Graph
from ...project.graph_edits import GRID
from .items import Colors, LinkItem, NodeItem, RubberLink

SCENE_MARGIN = 400


class GraphScene(QGraphicsScene):
    sig_moved = Signal(dict)  # {node id: (x, y)} after a drag
    sig_connect = Signal(str, str, str)  # source, target, source port
    sig_context_menu = Signal(object, object)  # NodeItem | LinkItem | None, QPoint (screen)
    sig_badge_clicked = Signal(str, str)  # node id, which badge ("problems", "warnings", "events")

    def __init__(self, kind: str, colors: Colors, parent=None):
        super().__init__(parent)
        self.kind, self.colors = kind, colors
        self.nodes: dict[str, NodeItem] = {}
        self.links: list[LinkItem] = []
        self.read_only = False
        self.snap = True
        self._drag_start: dict[str, QPointF] = {}
        self._rubber: RubberLink | None = None
        self._rubber_from: tuple[str, str] | None = None
        self._grid: QBrush | None = None
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    # -- showing a graph
    def show_graph(self, graph: Graph, positions: dict[str, tuple[float, float]]) -> None:
        """Make the items match `graph`: items of nodes still there are updated in place (selection kept),
        new ones are made, gone ones removed. `positions` places nodes that carry none."""
        for node_id in [n for n in self.nodes if n not in graph.nodes]:
            self.removeItem(self.nodes.pop(node_id))
        for node in graph.nodes.values():
            item = self.nodes.get(node.id)
            if item is None:
                item = self.nodes[node.id] = NodeItem(self.kind, node, self.colors)
                item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, not self.read_only)
                self.addItem(item)
            else:
                item.update_node(node)
            x, y = node.position or positions.get(node.id, (0.0, 0.0))
            item.snap_to = 0
            if item.pos() != QPointF(x, y):
                item.setPos(x, y)
            item.snap_to = GRID if self.snap else 0
        self._show_links(graph)
        bounds = self.itemsBoundingRect()
        self.setSceneRect(bounds.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))

    def _show_links(self, graph: Graph) -> None:
        kept: list[LinkItem] = []
        old = {(item.link.index, item.link.source, item.link.target): item for item in self.links}
        for link in graph.links:
            item = old.pop((link.index, link.source, link.target), None)
            if item is None:
                item = LinkItem(link, self.nodes[link.source], self.nodes[link.target], self.colors)
                self.addItem(item)
            else:
                item.update_link(link)
            kept.append(item)
        for item in old.values():
            item.detach()
            self.removeItem(item)
        self.links = kept

    def set_read_only(self, read_only: bool) -> None:
        if read_only == self.read_only:
            return
        self.read_only = read_only
        for item in self.nodes.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, not read_only)

    def set_snap(self, snap: bool) -> None:
        self.snap = snap
        for item in self.nodes.values():
            item.snap_to = GRID if snap else 0

    def selected_nodes(self) -> list[str]:
        return [item.node_id for item in self.selectedItems() if isinstance(item, NodeItem)]

    def selected_links(self) -> list[int]:
        return [item.link.index for item in self.selectedItems() if isinstance(item, LinkItem)]

    def select(self, node_ids: list[str]) -> None:
        self.clearSelection()
        for node_id in node_ids:
            if node_id in self.nodes:
                self.nodes[node_id].setSelected(True)

    # -- gestures
    def _node_at(self, point: QPointF) -> NodeItem | None:
        """The node whose body, port or badge is at `point`: ports and badges stick out of the body's shape."""
        for item in self.items(point, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, NodeItem):
                local = item.mapFromScene(point)
                if item.shape().contains(local) or item.port_at(local) or item.badge_at(local):
                    return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        node = self._node_at(event.scenePos())
        if event.button() == Qt.MouseButton.LeftButton and node is not None:
            badge = node.badge_at(node.mapFromScene(event.scenePos()))
            if badge is not None:
                self.sig_badge_clicked.emit(node.node_id, badge)
                event.accept()
                return
            port = node.port_at(node.mapFromScene(event.scenePos()))
            if port is not None and not self.read_only:
                self._rubber_from = (node.node_id, port)
                self._rubber = RubberLink(node.mapToScene(node.out_port(port)), self.colors)
                self.addItem(self._rubber)
                event.accept()
                return
        super().mousePressEvent(event)
        self._drag_start = {n.node_id: n.pos() for n in self.nodes.values() if n.isSelected()}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None:
            self._rubber.follow(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None:
            self.removeItem(self._rubber)
            self._rubber = None
            source, port = self._rubber_from or ("", "")
            self._rubber_from = None
            target = self._node_at(event.scenePos())
            if target is not None and target.node_id != source:
                self.sig_connect.emit(source, target.node_id, port)
            return
        super().mouseReleaseEvent(event)
        moved = {node_id: (self.nodes[node_id].x(), self.nodes[node_id].y()) for node_id, start in self._drag_start.items()
                 if node_id in self.nodes and self.nodes[node_id].pos() != start}
        self._drag_start = {}
        if moved and not self.read_only:
            self.sig_moved.emit(moved)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        item = next((i for i in self.items(event.scenePos()) if isinstance(i, (NodeItem, LinkItem))), None)
        if item is not None and not item.isSelected():
            self.clearSelection()
            item.setSelected(True)
        self.sig_context_menu.emit(item, event.screenPos())
        event.accept()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(rect, self.colors.background)
        if painter.worldTransform().m11() >= 0.3:  # zoomed far out, the dots would be noise
            painter.fillRect(rect, self._grid_brush())

    def _grid_brush(self) -> QBrush:
        """A dot every two grid steps, as a tile the painter repeats (from the scene's origin)."""
        if self._grid is None:
            step = GRID * 2
            tile = QPixmap(step, step)
            tile.fill(Qt.GlobalColor.transparent)
            tiles = QPainter(tile)
            tiles.setPen(QPen(self.colors.grid, 2))
            tiles.drawPoint(0, 0)
            tiles.end()
            self._grid = QBrush(tile)
        return self._grid
