"""A code editor: QPlainTextEdit with pygments highlighting, a line-number gutter, the current line
highlighted, error markers (a red dot in the gutter with the message as tooltip, a wavy underline), matching
brackets highlighted, a find/replace bar and a go-to-line bar above the text, and the line editing
commands of `line_commands` on their usual keys."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontDatabase, QKeyEvent, QPainter, QPalette, QTextCharFormat, QTextCursor, QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ..theme import is_dark
from . import line_commands as lines
from .brackets import bracket_pair
from .editor_panel import EditorPanel
from .find_bar import FindBar
from .go_to_line import GoToLineBar
from .highlighter import PygmentsHighlighter

INDENT = lines.INDENT
CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
# (key, modifiers) → the editor method it calls; these keys win over window shortcuts while the editor has focus
EDITOR_KEYS: dict[tuple[Qt.Key, Qt.KeyboardModifier], str] = {
    (Qt.Key.Key_F, CTRL): "show_find",
    (Qt.Key.Key_H, CTRL): "show_replace",
    (Qt.Key.Key_G, CTRL): "show_go_to_line",
    (Qt.Key.Key_L, CTRL): "show_go_to_line",
    (Qt.Key.Key_F3, NONE): "find_next",
    (Qt.Key.Key_F3, SHIFT): "find_previous",
    (Qt.Key.Key_D, CTRL): "duplicate_lines",
    (Qt.Key.Key_D, CTRL | SHIFT): "duplicate_lines",
    (Qt.Key.Key_K, CTRL | SHIFT): "delete_lines",
    (Qt.Key.Key_Up, ALT): "move_lines_up",
    (Qt.Key.Key_Down, ALT): "move_lines_down",
    (Qt.Key.Key_Slash, CTRL): "toggle_comment",
    (Qt.Key.Key_Escape, NONE): "close_panels",
}
EDITING = {"duplicate_lines", "delete_lines", "move_lines_up", "move_lines_down", "toggle_comment"}
KEYPAD = Qt.KeyboardModifier.KeypadModifier


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
        self._search_selections: list[QTextEdit.ExtraSelection] = []
        self._find_bar: FindBar | None = None
        self._go_to_bar: GoToLineBar | None = None
        self._gutter = _Gutter(self)
        self.language = language
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
        self.language = language
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

    def set_search_highlights(self, spans: list[tuple[int, int]]) -> None:
        """Mark the find bar's matches (document positions)."""
        color = QColor("#f2cc60" if not is_dark(self.palette()) else "#6b5a1e")
        color.setAlpha(150)
        self._search_selections = []
        for start, end in spans:
            sel = QTextEdit.ExtraSelection()
            sel.format.setBackground(color)
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(start)
            sel.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self._search_selections.append(sel)
        self._update_selections()

    def search_highlights(self) -> list[tuple[int, int]]:
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self._search_selections]

    def _bracket_selections(self) -> list[QTextEdit.ExtraSelection]:
        pair = bracket_pair(self.document(), self.textCursor().position())
        if pair is None:
            return []
        color = self.palette().color(QPalette.ColorRole.Highlight)
        color.setAlpha(70)
        selections = []
        for position in pair:
            sel = QTextEdit.ExtraSelection()
            sel.format.setBackground(color if pair[1] is not None else QColor(209, 36, 47, 90))
            sel.format.setFontWeight(QFont.Weight.Bold)
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(pair[0] if position is None else position)
            sel.cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
            selections.append(sel)
        return selections

    def matched_brackets(self) -> list[int]:
        """Positions of the brackets highlighted as a pair (one position when unmatched)."""
        pair = bracket_pair(self.document(), self.textCursor().position())
        return [] if pair is None else [p for p in pair if p is not None]

    def _update_selections(self) -> None:
        """The current line, the find bar's matches, the brackets at the cursor and the markers' underlines
        (built once per set_markers: their cursors follow edits)."""
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
        selections.extend(self._search_selections)
        selections.extend(self._bracket_selections())
        selections.extend(sel for sel in self._marker_selections if sel is not None)
        self.setExtraSelections(selections)

    # -- gutter
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 18 + self.fontMetrics().horizontalAdvance("9") * max(digits, 3)

    def _update_gutter_width(self, _count: int = 0) -> None:
        self._lay_out_margins()

    def _panels(self) -> list[EditorPanel]:
        return [p for p in (self._find_bar, self._go_to_bar) if p is not None and not p.isHidden()]

    def _lay_out_margins(self) -> None:
        """The gutter on the left, the open bars on top, the text in what is left."""
        area = self.contentsRect()
        scrollbar = self.verticalScrollBar()
        width = area.width() - (scrollbar.width() if scrollbar.isVisible() else 0)
        top = area.top()
        for panel in self._panels():
            height = panel.sizeHint().height()
            panel.setGeometry(QRect(area.left(), top, width, height))
            top += height
        self.setViewportMargins(self.gutter_width(), top - area.top(), 0, 0)
        self._gutter.setGeometry(QRect(area.left(), top, self.gutter_width(), area.bottom() - top + 1))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._lay_out_margins()

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

    # -- find, replace, go to line
    def find_bar(self) -> FindBar:
        if self._find_bar is None:
            self._find_bar = FindBar(self)
            self._find_bar.sig_layout_changed.connect(self._lay_out_margins)
        return self._find_bar

    def go_to_bar(self) -> GoToLineBar:
        if self._go_to_bar is None:
            self._go_to_bar = GoToLineBar(self)
            self._go_to_bar.sig_layout_changed.connect(self._lay_out_margins)
        return self._go_to_bar

    def show_find(self) -> None:
        self._close_other_panels(self.find_bar())
        self.find_bar().open_find(replace=False)

    def show_replace(self) -> None:
        self._close_other_panels(self.find_bar())
        self.find_bar().open_find(replace=True)

    def show_go_to_line(self) -> None:
        self._close_other_panels(self.go_to_bar())
        self.go_to_bar().open_go_to()

    def find_next(self) -> None:
        self._find_again(backwards=False)

    def find_previous(self) -> None:
        self._find_again(backwards=True)

    def _find_again(self, backwards: bool) -> None:
        """F3: the find bar's query again (the bar reopens); the bar itself when there is no query yet."""
        bar = self.find_bar()
        if not bar.find_field.text():
            self.show_find()
            return
        if bar.isHidden():
            self._close_other_panels(bar)
            bar.open()
        if backwards:
            bar.find_previous()
        else:
            bar.find_next()

    def close_panels(self) -> bool:
        panels = self._panels()
        for panel in panels:
            panel.close_panel()
        return bool(panels)

    def _close_other_panels(self, keep: EditorPanel) -> None:
        for panel in self._panels():
            if panel is not keep:
                panel.close_panel()

    # -- line commands, each one undo step
    def duplicate_lines(self) -> None:
        lines.duplicate_lines(self)

    def delete_lines(self) -> None:
        lines.delete_lines(self)

    def move_lines_up(self) -> None:
        lines.move_lines(self, up=True)

    def move_lines_down(self) -> None:
        lines.move_lines(self, up=False)

    def comment_prefix(self) -> str | None:
        return lines.COMMENT_PREFIXES.get(self.language)

    def toggle_comment(self) -> None:
        prefix = self.comment_prefix()
        if prefix:
            lines.toggle_comment(self, prefix)

    # -- keys
    def _command_for(self, event: QKeyEvent) -> str | None:
        modifiers = event.modifiers() & ~KEYPAD
        command = EDITOR_KEYS.get((Qt.Key(event.key()), modifiers))
        if command == "close_panels" and not self._panels():
            return None
        if command in EDITING and self.isReadOnly():
            return None
        return command

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._command_for(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = self._command_for(event)
        if command is not None:
            getattr(self, command)()
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key, modifiers = event.key(), event.modifiers() & ~KEYPAD
        cursor = self.textCursor()
        multi_line = cursor.hasSelection() and "\u2029" in cursor.selectedText()
        if key == Qt.Key.Key_Tab and modifiers == NONE and multi_line:
            lines.indent_lines(self)
        elif key == Qt.Key.Key_Tab and modifiers == NONE:
            self.insertPlainText(INDENT)
        elif key == Qt.Key.Key_Backtab:
            lines.dedent_lines(self)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == NONE:
            lines.new_line(self)
        elif key == Qt.Key.Key_Home and modifiers in (NONE, SHIFT):
            lines.smart_home(self, select=modifiers == SHIFT)
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
            self._update_selections()
