"""How records look: status colours and icons, durations, times."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

STATUS_COLORS = {"success": "#1a7f37", "fail": "#d1242f", "running": "#bf8700", "waiting": "#8250df"}
STATUS_LABELS = {"success": "Success", "fail": "Failed", "running": "Running", "waiting": "Waiting"}


THEME_TEXT_KINDS = {"success": "success", "fail": "error", "running": "warning"}


def status_color(status: str) -> QColor:
    return QColor(STATUS_COLORS.get(status, "#6e7781"))


def status_text_color(status: str) -> QColor:
    """The colour of text that names a status, readable on the current theme's backgrounds."""
    from ..theme import text_color

    kind = THEME_TEXT_KINDS.get(status)
    return text_color(kind) if kind else status_color(status)


@lru_cache(maxsize=None)
def status_icon(status: str, size: int = 14) -> QIcon:
    """A filled circle in the status colour with a white mark: ✓ success, ✕ fail, … running."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(status))
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
        pen = QPen(QColor("white"), 1.7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        s = size / 14
        path = QPainterPath()
        if status == "success":
            path.moveTo(4 * s, 7.2 * s)
            path.lineTo(6.2 * s, 9.4 * s)
            path.lineTo(10 * s, 5 * s)
        elif status == "fail":
            path.moveTo(4.8 * s, 4.8 * s)
            path.lineTo(9.2 * s, 9.2 * s)
            path.moveTo(9.2 * s, 4.8 * s)
            path.lineTo(4.8 * s, 9.2 * s)
        else:
            for x in (4.4, 7, 9.6):
                path.addEllipse(QRectF((x - 0.5) * s, 6.5 * s, 1.0 * s, 1.0 * s))
        painter.drawPath(path)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def format_duration(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 1:
        return f"{ms * 1000:.0f} µs"
    if ms < 1000:
        return f"{ms:.1f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.2f} s"
    minutes, seconds = divmod(ms / 1000, 60)
    return f"{int(minutes)} min {seconds:.0f} s"


def format_started(us: int, with_ms: bool = True) -> str:
    """Local time, to the millisecond."""
    stamp = datetime.fromtimestamp(us / 1_000_000)
    text = stamp.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{stamp.microsecond // 1000:03d}" if with_ms else text


def short_event(full_name: str) -> str:
    return full_name[len("events."):] if full_name.startswith("events.") else full_name
