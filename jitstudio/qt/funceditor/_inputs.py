"""The inline editors of card fields. Each commits a whole value at once (Enter, focus out, a pick),
through `sig_committed`, so one commit is one undo step."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction, QColor, QFocusEvent, QFontDatabase, QIcon, QKeyEvent, QKeySequence, QPainter, QPixmap,
)
from PySide6.QtWidgets import QComboBox, QLineEdit, QMenu, QPlainTextEdit, QSizePolicy, QWidget


def code_font():
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    return font


def small_icon(draw: Callable[[QPainter], None]) -> QIcon:
    """A 16 px icon (drawn at twice the pixels) from a function that paints on it."""
    pixmap = QPixmap(32, 32)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    draw(painter)
    painter.end()
    return QIcon(pixmap)


@lru_cache(maxsize=None)
def picker_icon() -> QIcon:
    """Three dots in a soft rounded square: the button that opens the event data picker."""

    def draw(painter: QPainter) -> None:
        painter.setBrush(QColor(47, 111, 223, 36))
        painter.drawRoundedRect(QRectF(0, 2, 16, 12), 3, 3)
        painter.setBrush(QColor("#2f6fdf"))
        for x in (4, 8, 12):
            painter.drawEllipse(QRectF(x - 1.3, 6.7, 2.6, 2.6))

    return small_icon(draw)


def _history_key(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and (event.matches(QKeySequence.StandardKey.Undo)
                                             or event.matches(QKeySequence.StandardKey.Redo))


class HistoryKeys:
    """Ctrl+Z and Ctrl+Shift+Z in a card field. Typing not yet committed: Ctrl+Z drops it, and the field
    shows the value in the code again. Nothing typed: the keys go up to the function editor, whose one
    history undoes the last step of the form and the code alike; the field then shows the value that step
    leaves in the code. The field's own undo never runs: it would show text the code does not hold."""

    typing: Callable[[], bool]  # whether the field holds typing not yet committed
    drop_typing: Callable[[], None]  # show the committed value again

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _history_key(event):
            event.accept()  # the key press comes here, not to a shortcut elsewhere
            return True
        return super().event(event)  # type: ignore[misc]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not _history_key(event):
            super().keyPressEvent(event)  # type: ignore[misc]
        elif event.matches(QKeySequence.StandardKey.Undo) and self.typing():
            self.drop_typing()
        else:
            event.ignore()  # up to the function editor


class ExpressionEdit(HistoryKeys, QLineEdit):
    """An expression, a literal or a variable name. The ⋯ button offers event data and variables.

    An empty text commits None (which removes an optional value)."""

    sig_committed = Signal(object)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setFont(code_font())
        self.setPlaceholderText(placeholder)
        self.setMinimumWidth(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._committed: str = ""
        self._options: Callable[[], list[tuple[str, list[tuple[str, str]]]]] = list
        self.pick_action = QAction(picker_icon(), "Insert…", self)
        self.pick_action.setToolTip("Insert event data or a variable")
        self.pick_action.triggered.connect(lambda: self.show_picker())
        self.editingFinished.connect(self.commit)

    def set_options(self, sections: Callable[[], list[tuple[str, list[tuple[str, str]]]]]) -> None:
        """Where the picker button finds its sections of (title, [(label, expression)]), read when it opens."""
        self._options = sections
        if self.pick_action not in self.actions():
            self.addAction(self.pick_action, QLineEdit.ActionPosition.TrailingPosition)

    def picker_menu(self) -> QMenu:
        menu = QMenu(self)
        sections = [(title, items) for title, items in self._options() if items]
        for title, items in sections:
            menu.addSection(title)
            for label, expression in items:
                action = menu.addAction(f"{label}    {expression}" if label != expression else expression)
                action.setData(expression)
        if not sections:
            menu.addAction("No event data or variables to insert").setEnabled(False)
        menu.triggered.connect(lambda action: action.data() and self.pick(str(action.data())))
        return menu

    def show_picker(self, anchor: QWidget | None = None) -> None:
        anchor = anchor or self
        self.picker_menu().popup(anchor.mapToGlobal(anchor.rect().bottomLeft()))

    def pick(self, expression: str) -> None:
        self.setText(expression)
        self.commit()

    def set_value(self, value: str | None) -> None:
        text = "" if value is None else str(value)
        self._committed = text
        if self.text() != text and not (self.hasFocus() and self.isModified()):
            self.setText(text)
            self.setCursorPosition(0)
        self.setToolTip(text if len(text) > 40 else "")

    def revert(self) -> None:
        self.setText(self._committed)

    def typing(self) -> bool:
        return self.text() != self._committed

    def drop_typing(self) -> None:
        self.revert()
        self.setModified(False)

    def commit(self) -> None:
        """Commit the text when it changed since it was shown or last committed."""
        text = self.text()
        if text == self._committed:
            return
        self._committed = text
        self.setModified(False)
        self.sig_committed.emit(text.strip() or None)


class ChoiceEdit(QComboBox):
    """A name chosen from a list (service, function, model, operation, log level)."""

    sig_committed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumWidth(90)
        self.activated.connect(lambda index: self.sig_committed.emit(self.itemData(index)))

    def set_choices(self, choices: Iterable[tuple[str, str]], current: str | None) -> None:
        """(value, label) pairs; a current value not among them is kept and shown as unknown."""
        blocked = self.blockSignals(True)
        self.clear()
        for value, label in choices:
            self.addItem(label, value)
        if current is not None and self.findData(current) < 0:
            self.addItem(f"{current}  (unknown)", current)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(blocked)

    def set_value(self, value: str | None) -> None:
        index = self.findData(value)
        if index >= 0 and index != self.currentIndex():
            blocked = self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(blocked)

    def revert(self) -> None:
        pass


class CodeBlockEdit(HistoryKeys, QPlainTextEdit):
    """Statement text of a Code card; committed when focus leaves or on Ctrl+Enter."""

    sig_committed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFont(code_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._committed = ""
        self.textChanged.connect(self._fit_height)

    def _fit_height(self) -> None:
        lines = max(1, min(self.document().blockCount(), 14))
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + 14)

    def set_value(self, value: str | None) -> None:
        text = value or ""
        typing = self.hasFocus() and self.typing()
        self._committed = text
        if self.toPlainText() != text and not typing:
            self.setPlainText(text)
        self._fit_height()

    def revert(self) -> None:
        self.setPlainText(self._committed)

    def typing(self) -> bool:
        return self.toPlainText() != self._committed

    def drop_typing(self) -> None:
        self.revert()

    def _commit(self) -> None:
        text = self.toPlainText()
        if text != self._committed:
            self._committed = text
            self.sig_committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._commit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._commit()
            return
        super().keyPressEvent(event)
