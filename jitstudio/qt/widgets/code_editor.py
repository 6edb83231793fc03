"""A code editor: QPlainTextEdit with pygments highlighting, a line-number gutter, the current line
highlighted and error markers (a red dot in the gutter with the message as tooltip, a wavy underline)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QKeyEvent, QPainter, QPalette, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ..theme import is_dark
from .highlighter import PygmentsHighlighter

INDENT = "    "


@dataclass(frozen=True)
class Marker:
    line: int  # 1-based
    message: str
    severity: str = "error"
    col: int = 1


class _Gutter(QWidget):
    def __init__(self, editor: "CodeEditor"):
        super().__init__(editor)
        self.editor = editor
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        self.editor.paint_gutter(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            block = self.editor.cursorForPosition(event.pos()).block()
            messages = [m.message for m in self.editor.markers() if m.line == block.blockNumber() + 1]
            if messages:
                QToolTip.showText(event.globalPos(), "\n".join(messages), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class CodeEditor(QPlainTextEdit):
    """Editing text, never executing it. `sig_modified(bool)` follows the document's modified flag."""

    sig_modified = Signal(bool)

    def __init__(self, parent: QWidget | None = None, language: str = "python"):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._markers: list[Marker] = []
        self._marker_selections: list[QTextEdit.ExtraSelection | None] = []
        self._gutter = _Gutter(self)
        self.highlighter = PygmentsHighlighter(self.document(), language, is_dark(self.palette()))
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._update_selections)
        self.document().modificationChanged.connect(self.sig_modified)
        self._update_gutter_width()
        self._update_selections()

    # -- content
    def set_text(self, text: str) -> None:
        """Replace the whole text as the new unmodified baseline (undo history starts over)."""
        self.setPlainText(text)
        self.document().setModified(False)

    def text(self) -> str:
        return self.toPlainText()

    def is_modified(self) -> bool:
        return self.document().isModified()

    def set_language(self, language: str) -> None:
        self.highlighter.set_language(language)

    def go_to_line(self, line: int, col: int = 1) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, n=max(0, min(col - 1, block.length() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    # -- markers
    def set_markers(self, markers: list[Marker]) -> None:
        self._markers = list(markers)
        self._marker_selections = [self._marker_selection(m) for m in self._markers]
        self._update_selections()
        self._gutter.update()

    def markers(self) -> list[Marker]:
        return list(self._markers)

    def _marker_selection(self, marker: Marker) -> QTextEdit.ExtraSelection | None:
        block = self.document().findBlockByNumber(marker.line - 1)
        if not block.isValid():
            return None
        sel = QTextEdit.ExtraSelection()
        sel.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        sel.format.setUnderlineColor(QColor("#d1242f" if marker.severity == "error" else "#d4a72c"))
        sel.format.setToolTip(marker.message)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        return sel

    def _update_selections(self) -> None:
        """The current line and the markers' underlines (built once per set_markers: their cursors follow edits)."""
        selections = []
        if not self.isReadOnly():
            current = QTextEdit.ExtraSelection()
            color = self.palette().color(QPalette.ColorRole.Highlight)
            color.setAlpha(28)
            current.format.setBackground(color)
            current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            current.cursor = self.textCursor()
            current.cursor.clearSelection()
            selections.append(current)
        selections.extend(sel for sel in self._marker_selections if sel is not None)
        self.setExtraSelections(selections)

    # -- gutter
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 18 + self.fontMetrics().horizontalAdvance("9") * max(digits, 3)

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        marked = {}
        for m in self._markers:
            if marked.get(m.line) != "error":
                marked[m.line] = m.severity
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        current = self.textCursor().blockNumber()
        height = self.fontMetrics().height()
        width = self._gutter.width()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            number = block.blockNumber() + 1
            if block.isVisible() and bottom >= event.rect().top():
                severity = marked.get(number)
                if severity:
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QColor("#d1242f" if severity == "error" else "#d4a72c"))
                    painter.drawEllipse(4, top + height // 2 - 4, 8, 8)
                role = QPalette.ColorRole.Text if number - 1 == current else QPalette.ColorRole.PlaceholderText
                painter.setPen(palette.color(role))
                painter.drawText(0, top, width - 6, height, Qt.AlignmentFlag.AlignRight, str(number))
            block = block.next()
            top = bottom

    # -- typing helpers: indentation kept on Enter, Tab inserts spaces
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.insertPlainText(INDENT)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            line = self.textCursor().block().text()
            indent = line[: len(line) - len(line.lstrip())]
            if line.rstrip().endswith(":"):
                indent += INDENT
            super().keyPressEvent(event)
            self.insertPlainText(indent)
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
