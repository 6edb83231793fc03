"""The code view: the shell's code editor with its own undo turned off (the function editor's history
takes Ctrl+Z), and whole-text updates applied as one minimal splice so the cursor and scroll stay put."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QWidget

from ..widgets.code_editor import CodeEditor, Marker

_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _common_length(same: Callable[[int], bool], limit: int) -> int:
    """The largest n <= limit with same(n), for a `same` that holds up to some n and fails after it."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low


class FunctionCodeView(CodeEditor):
    sig_undo = Signal()
    sig_redo = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("functionCode")
        self.document().setUndoRedoEnabled(False)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and any(event.matches(key) for key in _UNDO_KEYS):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.sig_undo.emit()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.sig_redo.emit()
        else:
            super().keyPressEvent(event)

    def set_markers(self, markers: list[Marker]) -> None:
        """Markers the same as shown, each still underlining its whole line, are left as they are (their
        underlines follow the edits); others are drawn afresh."""
        if markers != self._markers or not self._underlines_in_place():
            super().set_markers(markers)

    def _underlines_in_place(self) -> bool:
        document = self.document()
        for marker, selection in zip(self._markers, self._marker_selections):
            block = document.findBlockByNumber(marker.line - 1)
            if selection is None or not block.isValid():
                if selection is not None or block.isValid():
                    return False
                continue
            cursor = selection.cursor
            if cursor.selectionStart() != block.position() or cursor.selectionEnd() != block.position() + block.length() - 1:
                return False
        return True

    def replace_text(self, new: str) -> None:
        """Make the text `new` by replacing only the span that differs; the cursor and the scroll
        position follow the unchanged text around it."""
        old = self.toPlainText()
        if old == new:
            return
        limit = min(len(old), len(new))
        start = _common_length(lambda n: old[:n] == new[:n], limit)
        end = _common_length(lambda n: old[len(old) - n:] == new[len(new) - n:], limit - start)
        h, v = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        cursor = QTextCursor(self.document())
        cursor.setPosition(_utf16_length(old[:start]))
        cursor.setPosition(_utf16_length(old[:len(old) - end]), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new[start:len(new) - end])
        self.horizontalScrollBar().setValue(h)
        self.verticalScrollBar().setValue(v)
