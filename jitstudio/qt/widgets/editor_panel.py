"""A bar shown above a code editor's text (find/replace, go to line): a frame in the editor's top margin
that closes on Escape and gives the focus back to the text."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QToolButton, QWidget

PANEL_STYLE = """
QFrame#editorPanel { background: palette(window); border-bottom: 1px solid palette(mid); }
QFrame#editorPanel QLineEdit { padding: 2px 4px; border: 1px solid palette(mid); border-radius: 3px;
                               background: palette(base); }
QFrame#editorPanel QLineEdit:focus { border-color: palette(highlight); }
QFrame#editorPanel QLineEdit[invalid="true"] { border-color: #d1242f; }
QFrame#editorPanel QToolButton { padding: 2px 5px; border: 1px solid transparent; border-radius: 3px; }
QFrame#editorPanel QToolButton:hover { border-color: palette(mid); }
QFrame#editorPanel QToolButton:checked { background: palette(highlight); color: palette(highlighted-text); }
QFrame#editorPanel QToolButton:disabled { color: palette(placeholder-text); }
QFrame#editorPanel QLabel#panelMessage { color: palette(placeholder-text); }
QFrame#editorPanel QLabel#panelMessage[invalid="true"] { color: palette(bright-text); }
"""


def tool_button(text: str, tooltip: str, checkable: bool = False) -> QToolButton:
    button = QToolButton(text=text, toolTip=tooltip, checkable=checkable, autoRaise=True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Show `widget` in red (its stylesheet rules for [invalid="true"]) while `invalid`."""
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class PanelLineEdit(QLineEdit):
    """A field of a panel: Escape asks the panel to close; Enter/Shift+Enter and F3/Shift+F3 are signalled."""

    sig_escape = Signal()
    sig_enter = Signal(bool)  # backwards (with Shift)
    sig_find_again = Signal(bool)  # F3, backwards with Shift

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key == Qt.Key.Key_Escape:
            self.sig_escape.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_enter.emit(shift)
        elif key == Qt.Key.Key_F3:
            self.sig_find_again.emit(shift)
        else:
            super().keyPressEvent(event)


class EditorPanel(QFrame):
    """Base of the editor's top bars; `sig_layout_changed` asks the editor to make room for it again."""

    sig_layout_changed = Signal()
    sig_closed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent, objectName="editorPanel")
        self.setStyleSheet(PANEL_STYLE)
        self.setAutoFillBackground(True)
        self.hide()

    def open(self) -> None:
        self.show()
        self.raise_()
        self.sig_layout_changed.emit()

    def close_panel(self) -> None:
        if self.isVisible():
            self.hide()
            self.sig_layout_changed.emit()
            self.sig_closed.emit()
