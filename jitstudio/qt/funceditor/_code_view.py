"""The code view: the shell's code editor with its own undo turned off (the function editor's history
takes Ctrl+Z), and whole-text updates applied as one minimal splice so the cursor and scroll stay put."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QWidget

from ..widgets.code_editor import CodeEditor

_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


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

    def replace_text(self, new: str) -> None:
        """Make the text `new` by replacing only the span that differs; the cursor and the scroll
        position follow the unchanged text around it."""
        old = self.toPlainText()
        if old == new:
            return
        limit = min(len(old), len(new))
        start = 0
        while start < limit and old[start] == new[start]:
            start += 1
        end = 0
        while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
            end += 1
        h, v = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        cursor = QTextCursor(self.document())
        cursor.setPosition(_utf16_length(old[:start]))
        cursor.setPosition(_utf16_length(old[:len(old) - end]), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(new[start:len(new) - end])
        self.horizontalScrollBar().setValue(h)
        self.verticalScrollBar().setValue(v)
