"""What the graph canvas draws: a node (type glyph, title, type, ports, badges, a run's status), a link
(curve from port to port, arrow, label) and the line drawn while connecting."""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from ...project.graph import WORKFLOW, GraphLink, GraphNode, type_title

NODE_W, NODE_H = 188.0, 54.0
PORT_R = 5.0
TYPE_COLORS = {
    "start": "#2da44e", "end": "#8c959f", "approval": "#2f6fdf", "branch": "#bf8700", "ifelse": "#bf8700",
    "parallelStart": "#8250df", "parallelEnd": "#8250df", "aiagent": "#8250df", "function": "#1b7c83",
    "iteration": "#bc4c00", "router": "#0969da", "humanaction": "#9a6700", "pageaction": "#9a6700",
}
GLYPHS = {"function": "ƒ", "aiagent": "AI", "router": "R", "humanaction": "H", "pageaction": "P"}
STATUS_COLORS = {"ok": "#2da44e", "failed": "#cf222e", "running": "#2f6fdf", "waiting": "#bf8700", "skipped": "#8c959f"}
TEXT_DETAIL = 0.45  # below this scale titles would be unreadable: a bar stands in for them
FADED = 0.35  # the opacity of what a run drawn on the canvas passed by
SEVERITY_COLORS = {"error": "#cf222e", "warning": "#bf8700"}


@dataclass
class Colors:
    """The canvas colours of one theme."""

    background: QColor
    grid: QColor
    node: QColor
    border: QColor
    text: QColor
    muted: QColor
    link: QColor
    selected: QColor

    @classmethod
    def of(cls, dark: bool) -> "Colors":
        if dark:
            return cls(QColor("#16181d"), QColor("#23262d"), QColor("#22262d"), QColor("#4a505a"), QColor("#d7dae0"),
                       QColor("#9198a1"), QColor("#7d8590"), QColor("#58a6ff"))
        return cls(QColor("#f6f8fa"), QColor("#e4e7eb"), QColor("#ffffff"), QColor("#c8ccd1"), QColor("#1f2328"),
                   QColor("#5f6771"), QColor("#8c959f"), QColor("#2f6fdf"))


def out_ports(kind: str, node_type: str) -> list[str]:
    if node_type == "end":
        return []
    if kind != WORKFLOW and node_type == "ifelse":
        return ["if", "else"]
    return ["out"]


class NodeItem(QGraphicsItem):
    """One node: its glyph, title and ports; the badges and notes (problems, warnings, events) the editor gives
    it; and the state a run drawn on the canvas left there. Its tooltip says all of them."""

    def __init__(self, kind: str, node: GraphNode, colors: Colors):
        super().__init__()
        self.kind, self.colors = kind, colors
        self.links: list[LinkItem] = []
        self.badges: list[tuple[str, int, str]] = []  # (what, count, colour): problems, warnings, events
        self.notes: list[str] = []  # a line per problem, warning and event, for the tooltip
        self.run: tuple[str, str] | None = None  # (status, text) of the run shown on the drawing
        self.snap_to = 0  # grid step positions snap to while dragging; 0 = free
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.node = node
        self._show_tip()

    def update_node(self, node: GraphNode) -> None:
        if node != self.node:
            self.node = node
            self._show_tip()

    def set_marks(self, badges: list[tuple[str, int, str]], notes: list[str]) -> None:
        if (badges, notes) != (self.badges, self.notes):
            self.badges, self.notes = badges, notes
            self._show_tip()

    def set_run(self, run: tuple[str, str] | None, faded: bool) -> None:
        """The state a run left at this node (None: it did not get here), faded when the run passed it by."""
        self.setOpacity(FADED if faded else 1.0)
        if run != self.run:
            self.run = run
            self._show_tip()

    def _show_tip(self) -> None:
        lines = [f"{self.node.title or self.node.id} · {self.node.id}", type_title(self.kind, self.node.type), *self.notes]
        self.setToolTip("\n".join(lines + ([f"run: {self.run[1]}"] if self.run else [])))
        self.update()

    @property
    def node_id(self) -> str:
        return self.node.id

    def boundingRect(self) -> QRectF:
        return QRectF(-12, -14, NODE_W + 24, NODE_H + 30)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, NODE_W, NODE_H), 8, 8)
        return path

    # -- ports, in item coordinates
    def in_port(self) -> QPointF:
        return QPointF(NODE_W / 2, 0) if self.kind == WORKFLOW else QPointF(0, NODE_H / 2)

    def out_port(self, name: str = "out") -> QPointF:
        ports = out_ports(self.kind, self.node.type) or ["out"]
        index = ports.index(name) if name in ports else 0
        if self.kind == WORKFLOW:
            return QPointF(NODE_W / 2, NODE_H)
        return QPointF(NODE_W, NODE_H * (index + 1) / (len(ports) + 1))

    def port_at(self, point: QPointF) -> str | None:
        """The out port under `point` (item coordinates), if any."""
        for name in out_ports(self.kind, self.node.type):
            if (self.out_port(name) - point).manhattanLength() <= PORT_R * 2.4:
                return name
        return None

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.snap_to:
            return QPointF(round(value.x() / self.snap_to) * self.snap_to, round(value.y() / self.snap_to) * self.snap_to)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for link in self.links:
                link.adjust()
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        c = self.colors
        accent = QColor(TYPE_COLORS.get(self.node.type, "#8c959f"))
        body = QRectF(0, 0, NODE_W, NODE_H)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = c.selected if self.isSelected() else QColor(STATUS_COLORS[self.run[0]]) if self.run else c.border
        painter.setPen(QPen(border, 2.4 if self.isSelected() or self.run else 1.2))
        painter.setBrush(c.node)
        painter.drawRoundedRect(body, 8, 8)
        stripe = QPainterPath()
        stripe.addRoundedRect(QRectF(0, 0, 6, NODE_H), 3, 3)
        painter.fillPath(stripe, accent)
        self._paint_glyph(painter, QRectF(14, NODE_H / 2 - 13, 26, 26), accent)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_DETAIL:
            painter.fillRect(QRectF(48, 16, min(NODE_W - 60, 9.0 * len(self.node.title or self.node.id)), 10), c.muted)
            self._paint_badges(painter, painter.font())
            return
        title_font = QFont(painter.font())
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(c.text)
        metrics = QFontMetricsF(title_font)
        title = metrics.elidedText(self.node.title or self.node.id, Qt.TextElideMode.ElideRight, NODE_W - 56)
        painter.drawText(QRectF(48, 8, NODE_W - 54, 20), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        small = QFont(painter.font())
        small.setWeight(QFont.Weight.Normal)
        small.setPointSizeF(max(6.5, small.pointSizeF() - 1.5))
        painter.setFont(small)
        painter.setPen(c.muted)
        subtitle = self.run[1] if self.run else f"{type_title(self.kind, self.node.type)} · {self.node.id}"
        if self.run:
            painter.setPen(QColor(STATUS_COLORS[self.run[0]]))
        subtitle = QFontMetricsF(small).elidedText(subtitle, Qt.TextElideMode.ElideRight, NODE_W - 56)
        painter.drawText(QRectF(48, 28, NODE_W - 54, 18), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subtitle)
        self._paint_ports(painter, accent)
        self._paint_badges(painter, small)

    def _paint_glyph(self, painter: QPainter, box: QRectF, accent: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawEllipse(box)
        painter.setPen(QPen(QColor("white"), 2))
        painter.setBrush(QColor("white"))
        centre, r = box.center(), box.width() / 2
        kind = self.node.type
        if kind == "start":
            painter.drawPolygon(QPolygonF([centre + QPointF(-r * .3, -r * .42), centre + QPointF(r * .45, 0), centre + QPointF(-r * .3, r * .42)]))
        elif kind == "end":
            painter.drawRect(QRectF(centre.x() - r * .32, centre.y() - r * .32, r * .64, r * .64))
        elif kind == "approval":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF([centre + QPointF(-r * .42, 0), centre + QPointF(-r * .1, r * .32), centre + QPointF(r * .45, -r * .35)]))
        elif kind in ("branch", "ifelse"):
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF([centre + QPointF(0, -r * .5), centre + QPointF(r * .5, 0), centre + QPointF(0, r * .5), centre + QPointF(-r * .5, 0)]))
        elif kind in ("parallelStart", "parallelEnd"):
            for dx in (-r * .22, r * .22):
                painter.drawLine(centre + QPointF(dx, -r * .42), centre + QPointF(dx, r * .42))
        elif kind == "iteration":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawArc(QRectF(centre.x() - r * .42, centre.y() - r * .42, r * .84, r * .84), 60 * 16, 300 * 16)
        else:
            font = QFont(painter.font())
            font.setBold(True)
            font.setPointSizeF(8 if len(GLYPHS.get(kind, "?")) > 1 else 10)
            painter.setFont(font)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, GLYPHS.get(kind, "?"))

    def _paint_ports(self, painter: QPainter, accent: QColor) -> None:
        painter.setPen(QPen(self.colors.node, 1.5))
        painter.setBrush(self.colors.muted)
        if self.node.type != "start":
            painter.drawEllipse(self.in_port(), PORT_R, PORT_R)
        for name in out_ports(self.kind, self.node.type):
            painter.setBrush(accent)
            painter.drawEllipse(self.out_port(name), PORT_R, PORT_R)

    def _paint_badges(self, painter: QPainter, font: QFont) -> None:
        x = NODE_W - 4
        for _what, count, color in self.badges:
            text = str(count)
            width = max(18.0, QFontMetricsF(font).horizontalAdvance(text) + 10)
            box = QRectF(x - width, -10, width, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawRoundedRect(box, 9, 9)
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            x -= width + 4

    def badge_at(self, point: QPointF) -> str | None:
        """Which badge (its `what`) is under `point`, in item coordinates."""
        x = NODE_W - 4
        for what, count, _color in self.badges:
            width = max(18.0, len(str(count)) * 7 + 10)
            if QRectF(x - width, -10, width, 18).contains(point):
                return what
            x -= width + 4
        return None


class LinkItem(QGraphicsPathItem):
    """A link between two nodes, from the source's out port to the target's in port, with its label."""

    def __init__(self, link: GraphLink, source: NodeItem, target: NodeItem, colors: Colors):
        super().__init__()
        self.source, self.target, self.colors = source, target, colors
        self.mark: str | None = None  # "error" | "warning" of a problem on the link
        self.notes: list[str] = []  # a line per problem, for the tooltip
        self.taken = False  # the run shown on the drawing went this way
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(0)
        source.links.append(self)
        target.links.append(self)
        self.link = link
        self._show_tip()
        self.adjust()

    def update_link(self, link: GraphLink) -> None:
        if link != self.link:
            self.link = link
            self._show_tip()
            self.adjust()

    def set_mark(self, mark: str | None, notes: list[str]) -> None:
        if (mark, notes) != (self.mark, self.notes):
            self.mark, self.notes = mark, notes
            self._show_tip()

    def set_taken(self, taken: bool, faded: bool) -> None:
        self.setOpacity(FADED if faded else 1.0)
        if taken != self.taken:
            self.taken = taken
            self.update()

    def _show_tip(self) -> None:
        link = self.link
        self.setToolTip("\n".join([link.condition or link.label or f"{link.source} → {link.target}", *self.notes]))
        self.update()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.links:
                node.links.remove(self)

    def ends(self) -> tuple[QPointF, QPointF]:
        port = "else" if self.link.is_else and self.source.node.type == "ifelse" else (self.link.source_port or "out")
        return self.source.mapToScene(self.source.out_port(port)), self.target.mapToScene(self.target.in_port())

    def adjust(self) -> None:
        start, end = self.ends()
        path = QPainterPath(start)
        bend = max(40.0, abs((end.y() - start.y()) if self.source.kind == WORKFLOW else (end.x() - start.x())) / 2)
        if self.source.kind == WORKFLOW:
            path.cubicTo(start + QPointF(0, bend), end - QPointF(0, bend), end)
        else:
            path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end)
        self.prepareGeometryChange()
        self.setPath(path)

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-90, -16, 90, 16)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        c = self.colors
        color = c.selected if self.isSelected() else QColor(SEVERITY_COLORS[self.mark]) if self.mark \
            else QColor(STATUS_COLORS["ok"]) if self.taken else c.link
        pen = QPen(color, 2.6 if self.isSelected() or self.taken else 1.6)
        if self.link.is_else:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = self.path()
        painter.drawPath(path)
        tip = path.pointAtPercent(1.0)
        angle = path.angleAtPercent(0.98)
        arrow = QPainterPath()
        arrow.moveTo(tip)
        for side in (150, -150):
            rad = math.radians(angle + side)
            arrow.lineTo(tip + QPointF(math.cos(rad) * 9, -math.sin(rad) * 9))
        arrow.closeSubpath()
        painter.fillPath(arrow, color)
        label = self.link.label
        if label and option.levelOfDetailFromTransform(painter.worldTransform()) >= TEXT_DETAIL:
            metrics = QFontMetricsF(painter.font())
            middle = path.pointAtPercent(0.5)
            width = metrics.horizontalAdvance(label) + 12
            box = QRectF(middle.x() - width / 2, middle.y() - 10, width, 20)
            painter.setPen(QPen(color, 1))
            painter.setBrush(c.background)
            painter.drawRoundedRect(box, 10, 10)
            painter.setPen(c.text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)


class RubberLink(QGraphicsPathItem):
    """The line that follows the pointer while a link is drawn from a port."""

    def __init__(self, start: QPointF, colors: Colors):
        super().__init__()
        self.start = start
        self.setPen(QPen(colors.selected, 1.8, Qt.PenStyle.DashLine))
        self.setZValue(3)
        self.follow(start)

    def follow(self, point: QPointF) -> None:
        path = QPainterPath(self.start)
        path.lineTo(point)
        self.setPath(path)
