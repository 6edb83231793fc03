"""Cell editors by datatype: option lists for Dropdown/Radio, date and time pickers, numbers, JSON text for
JSON fields (checked before it is written), text for the rest. Booleans are check boxes in the cell itself."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QModelIndex, QPersistentModelIndex, QTime, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDateTimeEdit, QLineEdit, QStyledItemDelegate, QTimeEdit, QToolTip,
    QWidget,
)

from . import _format

EMPTY = "(empty)"


Index = QModelIndex | QPersistentModelIndex


def _fields_of(index: Index) -> dict:
    return index.model().fields[index.column()]  # type: ignore[attr-defined]  # a QtRowsModel


class QtCellDelegate(QStyledItemDelegate):
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

