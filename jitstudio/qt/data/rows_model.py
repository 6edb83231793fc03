"""QtRowsModel: a model's rows for a QTableView, loaded a keyset page at a time as the view scrolls (Qt's
fetchMore), in any sort order and under a Q filter. Pages come from the data session; the GUI thread only
appends them. An edited cell is sent as one write; until it is answered the row shows in italics, and a
refused write puts the row back and marks it with the handler's message."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from ..theme import text_color
from . import _format
from .client import QtDataClient

PAGE_ROWS = 200
ROW_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1  # the whole row (dict) of an index
_DISPLAY, _EDIT, _TOOLTIP, _FONT, _ALIGN, _FOREGROUND, _CHECK = (
    int(role.value) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
                                 Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
                                 Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.CheckStateRole))
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def _flags(kind: str) -> Qt.ItemFlag:
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if kind == "bool":
        return flags | Qt.ItemFlag.ItemIsUserCheckable
    return flags if kind == "readonly" else flags | Qt.ItemFlag.ItemIsEditable
Index = QModelIndex | QPersistentModelIndex


class QtRowsModel(QAbstractTableModel):
    sig_loaded = Signal(int)  # rows loaded so far, after each page
    sig_failed = Signal(str)  # a page or a write could not be done: why
    sig_written = Signal(dict)  # the answer to a write (row, request, fired, refused…)

    def __init__(self, client: QtDataClient, model: str, fields: list[dict], primary_key: str, parent=None):
        super().__init__(parent)
        self.client, self.model_name = client, model
        self.fields, self.primary_key = fields, primary_key
        self._kinds = [_format.editor_kind(f) for f in fields]
        self._flags = [_flags(kind) for kind in self._kinds]
        self._align = [_RIGHT if _format.is_number(f) else None for f in fields]
        self._italic = QFont()
        self._italic.setItalic(True)
        self.rows: list[dict] = []
        self._numbers: dict[Any, int] = {}  # primary key → row number
        self.filter: str = ""
        self.order: dict = {"field": None, "descending": False}
        self.events = True
        self._after: list | None = None
        self._exhausted = False
        self._loading = 0  # the id of the page request in flight, 0 when none
        self._generation = 0
        self._pending: dict[Any, int] = {}  # primary key → writes in flight
        self.errors: dict[Any, str] = {}  # primary key → why its last write was refused

    # -- loading -------------------------------------------------------------------------------------------

    def reload(self, filter: str | None = None, order: dict | None = None) -> None:
        """Start again from the first page, with a new filter or order when given."""
        if filter is not None:
            self.filter = filter
        if order is not None:
            self.order = order
        if self._loading:
            self.client.forget(self._loading)
        self._generation += 1
        self.beginResetModel()
        self.rows, self._after, self._exhausted, self._loading = [], None, False, 0
        self._numbers = {}
        self.errors.clear()
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        self._loading = self.client.request(
            "page", lambda answer: self._page(generation, answer), owner=self, model=self.model_name, filter=self.filter or None,
            order=self.order, after=self._after, limit=PAGE_ROWS)

    def _page(self, generation: int, answer: dict) -> None:
        if generation != self._generation:
            return
        self._loading = 0
        if not answer.get("ok"):
            self._exhausted = True
            self.sig_failed.emit(str(answer.get("error")))
            return
        rows = answer.get("rows") or []
        self._after = answer.get("after")
        self._exhausted = self._after is None
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self._numbers.update((row.get(self.primary_key), first + n) for n, row in enumerate(rows))
            self.endInsertRows()
        self.sig_loaded.emit(len(self.rows))

    def is_loading(self) -> bool:
        return bool(self._loading)

    def fully_loaded(self) -> bool:
        return self._exhausted

    # -- QAbstractTableModel -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            field = self.fields[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return field["title"]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{field['name']} · {field['datatype']}"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._flags[index.column()] if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell on each repaint: roles compare as ints, column facts
        # are looked up, not worked out.
        number, column = index.row(), index.column()
        if number >= len(self.rows) or number < 0:
            return None
        row = self.rows[number]
        field = self.fields[column]
        if role == _DISPLAY:
            return "" if self._kinds[column] == "bool" else _format.display(field, row.get(field["name"]))
        if role == _ALIGN:
            return self._align[column]
        if role == _CHECK:
            return (Qt.CheckState.Checked if row.get(field["name"]) else Qt.CheckState.Unchecked) \
                if self._kinds[column] == "bool" else None
        if role == _FONT:
            return self._italic if self._pending and row.get(self.primary_key) in self._pending else None
        if role == _FOREGROUND:
            return QBrush(text_color("error")) if self.errors and row.get(self.primary_key) in self.errors else None
        if role == _EDIT:
            return row.get(field["name"])
        if role == _TOOLTIP:
            return self._tooltip(row, field)
        if role == ROW_ROLE:
            return row
        return None

    def cell(self, number: int, column: int) -> tuple[str, bool, bool | None, bool, bool] | None:
        """What a cell shows, in one call for the delegate: (text, right-aligned, checked for a check box else
        None, write pending, last write refused)."""
        if not 0 <= number < len(self.rows):
            return None
        row = self.rows[number]
        field = self.fields[column]
        value = row.get(field["name"])
        pk = row.get(self.primary_key) if self._pending or self.errors else None
        checked = bool(value) if self._kinds[column] == "bool" else None
        text = "" if checked is not None else _format.display(field, value)
        return (text, self._align[column] is not None, checked, pk in self._pending if self._pending else False,
                pk in self.errors if self.errors else False)

    def _tooltip(self, row: dict, field: dict) -> str | None:
        error = self.errors.get(row.get(self.primary_key))
        if error:
            return f"The last write was refused: {error}"
        value = row.get(field["name"])
        if field.get("options") and value is not None:
            return f"{_format.display(field, value)} ({value})"
        text = _format.display(field, value)
        return text if len(text) > 40 else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        field = self.fields[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        if row.get(field["name"]) == value:
            return False
        self.update_row(row[self.primary_key], {field["name"]: value})
        return True

    # -- writes --------------------------------------------------------------------------------------------

    def update_row(self, pk: Any, changes: dict) -> int:
        """Write `changes` to the row `pk` through the app's data API; the row shows them once stored."""
        self._pending[pk] = self._pending.get(pk, 0) + 1
        self._row_changed(pk)
        return self.client.request("update", lambda answer: self._updated(pk, answer), owner=self, model=self.model_name,
                                   pk=pk, changes=changes, events=self.events)

    def _updated(self, pk: Any, answer: dict) -> None:
        count = self._pending.pop(pk, 1) - 1
        if count > 0:
            self._pending[pk] = count
        refused = answer.get("refused") if answer.get("ok") else answer
        if refused:
            self.errors[pk] = str(refused.get("error"))
        else:
            self.errors.pop(pk, None)
        if answer.get("row") is not None:
            self.replace_row(answer["row"])
        self._row_changed(pk)
        self.sig_written.emit(answer)

    def replace_row(self, row: dict) -> None:
        number = self.row_number(row.get(self.primary_key))
        if number >= 0:
            self.rows[number] = row
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.fields) - 1))

    def remove_rows(self, pks: list) -> None:
        gone = set(pks)
        for number in range(len(self.rows) - 1, -1, -1):
            if self.rows[number].get(self.primary_key) in gone:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self.rows[number]
                self.endRemoveRows()
        self._renumber()

    def add_row(self, row: dict) -> int:
        """Show a row just created at the top (where a new row is looked for), until the next reload."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows.insert(0, row)
        self._renumber()
        self.endInsertRows()
        return 0

    def _renumber(self) -> None:
        self._numbers = {row.get(self.primary_key): n for n, row in enumerate(self.rows)}

    def row_number(self, pk: Any) -> int:
        return self._numbers.get(pk, -1)

    def _row_changed(self, pk: Any) -> None:
        number = self.row_number(pk)
        if number >= 0:
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.fields) - 1))
