"""A field that holds a plain value or an expression. Text, numbers, true/false, dates and lists are typed as
they are (``Order shipped`` writes ``"Order shipped"``); variables, event data and calls are typed in
expression mode; a small button beside the field switches between the two. Like the other field editors it
commits through `sig_committed`, once per edit."""
from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, Callable

from PySide6.QtCore import QDate, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget, QCheckBox, QHBoxLayout, QLineEdit, QMenu, QSizePolicy, QToolButton, QWidget, QWidgetAction,
)

from ...codesync import (
    expression_of, list_items, list_text, literal_editor_kind, literal_kind_for, literal_of, number_of, when_of,
    when_text,
)
from ..theme import text_color
from ._inputs import ExpressionEdit, HistoryKeys, picker_icon, small_icon

INVALID = object()  # what a literal editor holds while its text is not a value of its kind
WHEN_KINDS = ("date", "datetime", "time")
_HINTS = {"list": "values, separated by commas", "date": "YYYY-MM-DD", "datetime": "YYYY-MM-DD HH:MM:SS",
          "time": "HH:MM:SS"}
_TIPS = {
    "text": "Text, written as it is (no quotes needed)",
    "number": "A number, such as 12 or 12.5",
    "integer": "A whole number",
    "list": "Values separated by commas; put a value that has a comma in quotes",
    "date": "A date as YYYY-MM-DD, or pick one from the calendar",
    "datetime": "A date and time as YYYY-MM-DD HH:MM:SS, or pick the day from the calendar",
    "time": "A time as HH:MM:SS",
}
_NEEDS = {"number": "a number", "integer": "a whole number", "date": "a date as YYYY-MM-DD",
          "datetime": "a date and time as YYYY-MM-DD HH:MM:SS", "time": "a time as HH:MM:SS"}
Sections = Callable[[], list[tuple[str, list[tuple[str, str]]]]]


@lru_cache(maxsize=None)
def calendar_icon() -> QIcon:
    """A small calendar page: the button that opens the date picker."""

    def draw(painter: QPainter) -> None:
        painter.setBrush(QColor(47, 111, 223, 36))
        painter.drawRoundedRect(QRectF(1.5, 2.5, 13, 11.5), 2, 2)
        painter.setBrush(QColor("#2f6fdf"))
        painter.drawRoundedRect(QRectF(1.5, 2.5, 13, 3.2), 1.5, 1.5)
        for row in (8.0, 11.0):
            for x in (4.2, 7.4, 10.6):
                painter.drawRect(QRectF(x, row, 1.8, 1.6))

    return small_icon(draw)


def _parse(kind: str, text: str) -> Any:
    """The value of a literal editor's text: None when empty (not for text and lists), INVALID when unreadable."""
    if kind == "text":
        return text
    if kind == "list":
        return list_items(text)
    stripped = text.strip()
    if not stripped:
        return None
    if kind in ("number", "integer"):
        number = number_of(stripped)
        return INVALID if number is None or (kind == "integer" and not isinstance(number, int)) else number
    moment = when_of(kind, stripped)
    return INVALID if moment is None else moment


def _format(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "list":
        return list_text(value)
    if kind in WHEN_KINDS:
        return when_text(value)
    return value if kind == "text" else repr(value)


class LineLiteral(HistoryKeys, QLineEdit):
    """Text, a number, a list of values, a date or a time on one line; commits on Enter or focus out when
    edited and readable (unreadable text turns red and commits nothing)."""

    sig_edited = Signal()

    def __init__(self, kind: str, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.setPlaceholderText(_HINTS[kind] if kind in WHEN_KINDS else placeholder or _HINTS.get(kind, ""))
        self.setMinimumWidth(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if kind in ("date", "datetime"):
            calendar = QAction(calendar_icon(), "Pick a date…", self)
            calendar.setToolTip("Pick a date from the calendar")
            calendar.triggered.connect(lambda: self.date_menu().popup(self.mapToGlobal(self.rect().bottomLeft())))
            self.addAction(calendar, QLineEdit.ActionPosition.TrailingPosition)
        self.textChanged.connect(self._mark)
        self.editingFinished.connect(self.finish)
        self._invalid: bool | None = None
        self._shown = ""
        self._mark()

    def show_value(self, value: Any) -> None:
        self._shown = _format(self.kind, value)
        if self.hasFocus() and self.isModified():
            return
        self.setText(self._shown)
        self.setCursorPosition(0)

    def typing(self) -> bool:
        return self.isModified() and self.text() != self._shown

    def drop_typing(self) -> None:
        self.setText(self._shown)
        self.setModified(False)

    def value(self) -> Any:
        return _parse(self.kind, self.text())

    def finish(self) -> None:
        if self.isModified() and self.value() is not INVALID:
            self.setModified(False)
            self.sig_edited.emit()

    def date_menu(self) -> QMenu:
        """A calendar on the field's date (or today); a click on a day writes that day and commits."""
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        current = self.value()
        if isinstance(current, date):
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def choose(day: QDate) -> None:
            menu.close()
            self._pick_day(date(day.year(), day.month(), day.day()))

        calendar.clicked.connect(choose)
        calendar.activated.connect(choose)
        return menu

    def _pick_day(self, day: date) -> None:
        current = self.value()
        picked: date = datetime.combine(day, current.time() if isinstance(current, datetime) else time()) \
            if self.kind == "datetime" else day
        self.setText(when_text(picked))
        self.setModified(True)
        self.finish()

    def _mark(self) -> None:
        invalid = self.value() is INVALID
        if invalid == self._invalid:
            return
        self._invalid = invalid
        palette = QPalette()  # no roles of its own: the application's
        if invalid:
            palette.setColor(QPalette.ColorRole.Text, text_color("error"))
        self.setPalette(palette)
        self.setToolTip(f"Not written: this needs {_NEEDS[self.kind]}. ƒx switches to an expression."
                        if invalid else _TIPS.get(self.kind, ""))


class BooleanLiteral(QCheckBox):
    """True or false; a click commits. An unset value reads "not set" until it is clicked."""

    sig_edited = Signal()
    kind = "boolean"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._value: bool | None = None
        self.setToolTip("True or false: click to switch")
        self.clicked.connect(self._clicked)

    def show_value(self, value: bool | None) -> None:
        self._value = value
        self.setChecked(bool(value))
        self.setText("not set" if value is None else str(value).lower())

    def value(self) -> bool | None:
        return self._value

    def finish(self) -> None:
        pass  # every click commits at once

    def _clicked(self, checked: bool) -> None:
        self.show_value(checked)
        self.sig_edited.emit()


class ValueEdit(QWidget):
    """A literal editor chosen by the data type (or by the value when the field has none), or the
    expression editor, with the button that switches between them.

    The mode follows the value whenever the value changes from elsewhere (loading, the code view, undo);
    after the user's own edits it stays as the user chose it."""

    sig_committed = Signal(object)

    def __init__(self, placeholder: str = "", data_type: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.data_type = data_type
        self.placeholder = placeholder
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.expression = ExpressionEdit(placeholder)
        self.expression.sig_committed.connect(self._expression_committed)
        self.literal: LineLiteral | BooleanLiteral | None = None
        self.literal_kind: str | None = None  # None: expression mode
        self.toggle = QToolButton(objectName="modeToggle", autoRaise=True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setFixedSize(30, self.expression.sizeHint().height())
        self.toggle.clicked.connect(self.toggle_mode)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.layout_.addWidget(self.expression, 1)
        self.layout_.addWidget(self.toggle)
        self._options: Sections | None = None
        self._value: str | None = None
        self._loaded = False
        self._current: QWidget = self.expression  # the editor shown
        self._show(literal_editor_kind(None, data_type))

    # ----- the field editor interface (as ExpressionEdit's) ------------------------------------------

    def set_value(self, value: str | None) -> None:
        if self._loaded and value == self._value:
            return
        self._loaded = True
        self._value = value
        self.expression.set_value(value)
        self._show(literal_editor_kind(value, self.data_type))

    def revert(self) -> None:
        self.expression.revert()
        self._show(self.literal_kind)

    def text(self) -> str:
        """The field's expression: as typed in expression mode, as last written in literal mode."""
        return self.expression.text() if self.literal_kind is None else self._value or ""

    def set_options(self, sections: Sections) -> None:
        self._options = sections
        self.expression.set_options(sections)
        if isinstance(self.literal, LineLiteral):
            self._add_picker(self.literal)

    def picker_menu(self) -> QMenu:
        """Event data and variables; picking one switches to expression mode."""
        return self.expression.picker_menu()

    def pick(self, expression: str) -> None:
        self.expression.pick(expression)

    # ----- modes ---------------------------------------------------------------------------------

    def toggle_mode(self) -> None:
        """Literal to expression mode (showing the expression), or expression to literal mode (showing
        the value when the expression is one the literal editor can show, else an empty editor)."""
        self.commit_pending()
        if self.literal_kind is None:
            self._show(literal_editor_kind(self._value, self.data_type) or literal_kind_for(self.data_type) or "text")
        else:
            self.expression.set_value(self._value)
            self._show(None)
        self._current.setFocus()

    def commit_pending(self) -> None:
        if self.literal_kind is None:
            self.expression.commit()
        elif self.literal is not None:
            self.literal.finish()

    def _show(self, kind: str | None) -> None:
        had_focus = self._current.hasFocus()
        self.literal_kind = kind
        if kind is not None:
            literal = self._literal_editor(kind)
            shown = literal_of(self._value, self.data_type)
            if literal_editor_kind(self._value, self.data_type) != kind:
                shown = None  # a literal of another kind, or an expression: the editor starts empty
            literal.show_value(None if shown is None else shown.value)
        current: QWidget = self.expression if kind is None else self._literal_editor(kind)
        self._current = current
        self.setFocusProxy(current)
        current.show()
        for other in (self.expression, self.literal):
            if other is not None and other is not current:
                other.hide()
        if had_focus:
            current.setFocus()
        to_expression = kind is not None
        self.toggle.setText("ƒx" if to_expression else "Abc")
        self.toggle.setProperty("target", "expression" if to_expression else "value")
        self.toggle.setToolTip("Switch to an expression: a variable, event data or a call" if to_expression
                               else "Switch to a plain value: text, a number, true/false, a date or a list, "
                                    "typed without quotes")
        self.toggle.style().unpolish(self.toggle)
        self.toggle.style().polish(self.toggle)

    def _literal_editor(self, kind: str) -> LineLiteral | BooleanLiteral:
        if self.literal is not None and self.literal.kind == kind:
            return self.literal
        if self.literal is not None:
            self.literal.blockSignals(True)
            self.literal.hide()
            self.literal.deleteLater()
        literal = BooleanLiteral() if kind == "boolean" else LineLiteral(kind, self.placeholder)
        literal.setFixedHeight(self.toggle.height())
        literal.sig_edited.connect(self._literal_edited)
        if isinstance(literal, LineLiteral) and self._options is not None:
            self._add_picker(literal)
        # A check box only as wide as its label: a click beside it would do nothing.
        alignment = Qt.AlignmentFlag.AlignLeft if kind == "boolean" else Qt.AlignmentFlag(0)
        self.layout_.insertWidget(0, literal, 1, alignment)
        self.literal = literal
        return literal

    def _add_picker(self, literal: LineLiteral) -> None:
        action = QAction(picker_icon(), "Insert…", literal)
        action.setToolTip("Insert event data or a variable (switches to an expression)")
        action.triggered.connect(lambda: self.expression.show_picker(literal))
        literal.addAction(action, QLineEdit.ActionPosition.TrailingPosition)

    # ----- commits -------------------------------------------------------------------------------

    def _literal_edited(self) -> None:
        if self.literal_kind is None or self.literal is None:  # left with focus after a pick switched modes
            return
        value = self.literal.value()
        text = None if value is None else expression_of(self.literal_kind, value, self.data_type, self._value)
        if text == self._value:
            return
        self._value = text
        self.expression.set_value(text)
        self.sig_committed.emit(text)

    def _expression_committed(self, text: str | None) -> None:
        self._value = text
        if self.literal_kind is not None:  # a pick from literal mode
            self._show(None)
        self.sig_committed.emit(text)
