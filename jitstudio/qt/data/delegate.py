"""How cells look and are edited. Cells are painted in one call each from the model's display text (the item
views' usual path asks the model for eight roles per cell and draws through the style sheet: most of a
scroll step's time). Editors by datatype: option lists for Dropdown/Radio, date and time pickers, numbers,
JSON text for JSON fields (checked before it is written), text for the rest. Booleans are check boxes in the
cell itself."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QModelIndex, QPersistentModelIndex, QTime, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDateTimeEdit, QLineEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTimeEdit,
    QToolTip, QWidget,
)

from ..theme import text_color

from . import _format

EMPTY = "(empty)"


Index = QModelIndex | QPersistentModelIndex


def _fields_of(index: Index) -> dict:
    return index.model().fields[index.column()]  # type: ignore[attr-defined]  # a QtRowsModel


PADDING = 4
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_SELECTED = QStyle.StateFlag.State_Selected
_HIGHLIGHT, _HIGHLIGHTED_TEXT, _TEXT = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Text


class QtCellDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        cell = index.model().cell(index.row(), index.column())  # type: ignore[attr-defined]  # a QtRowsModel
        if cell is None or cell[2] is not None:  # check boxes are drawn by the style, as everywhere else
            super().paint(painter, option, index)
            return
        text, right, checked, pending, refused = cell
        rect, palette = option.rect, option.palette
        selected = bool(option.state & _SELECTED)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.color(_HIGHLIGHT))
        if text:
            if pending:
                font = painter.font()
                font.setItalic(True)
                painter.setFont(font)
            role = _HIGHLIGHTED_TEXT if selected else _TEXT
            painter.setPen(text_color("error") if refused and not selected else palette.color(role))
            area = rect.adjusted(PADDING, 0, -PADDING, 0)
            shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, area.width())
            painter.drawText(area, _RIGHT if right else _LEFT, shown)
        painter.restore()

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:
        field = _fields_of(index)
        kind = _format.editor_kind(field)
        if kind == "option":
            combo = QComboBox(parent, objectName="cellOptions")
            combo.addItem(EMPTY, None)
            for choice in field.get("options") or ():
                combo.addItem(str(choice["label"]), choice["value"])
            return combo
        if kind == "date":
            return QDateEdit(parent, calendarPopup=True, displayFormat="yyyy-MM-dd", objectName="cellDate")
        if kind == "datetime":
            return QDateTimeEdit(parent, calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm:ss", objectName="cellDatetime")
        if kind == "time":
            return QTimeEdit(parent, displayFormat="HH:mm:ss", objectName="cellTime")
        line = QLineEdit(parent, objectName="cellText")
        if kind in ("json", "options"):
            line.setPlaceholderText("JSON, e.g. [\"a\", \"b\"]")
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        field = _fields_of(index)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)) if value is not None else 0)
        elif isinstance(editor, QDateTimeEdit):  # QDateEdit and QTimeEdit are QDateTimeEdits too
            _set_moment(editor, value)
        elif isinstance(editor, QLineEdit):
            editor.setText(_format.edit_text(field, value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        field = _fields_of(index)
        value: Any
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QTimeEdit):
            value = editor.time().toString("HH:mm:ss")
        elif isinstance(editor, QDateEdit) and editor.objectName() == "cellDate":
            value = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QDateTimeEdit):
            value = editor.dateTime().toString("yyyy-MM-ddTHH:mm:ss")
        elif isinstance(editor, QLineEdit):
            try:
                value = _format.parse_edit(field, editor.text())
            except ValueError as exc:
                QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()),
                                  f"{field['title']}: not valid JSON ({exc}); nothing was written", editor)
                return
        else:
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)


def _set_moment(editor: QDateTimeEdit, value: Any) -> None:
    """Show an ISO value (or now, for an empty one) in a date, date-time or time editor."""
    moment = None
    if isinstance(value, str):
        for parse in (datetime.fromisoformat, lambda t: datetime.combine(date.today(), time.fromisoformat(t))):
            try:
                moment = parse(value)
                break
            except ValueError:
                continue
    moment = moment or datetime.now().replace(microsecond=0)
    if isinstance(editor, QTimeEdit):
        editor.setTime(QTime(moment.hour, moment.minute, moment.second))
    elif editor.objectName() == "cellDate":
        editor.setDate(QDate(moment.year, moment.month, moment.day))
    else:
        editor.setDateTime(QDateTime(QDate(moment.year, moment.month, moment.day),
                                     QTime(moment.hour, moment.minute, moment.second)))

