"""RowsTable: an editable table of rows (text cells and choice cells) with Add and Remove buttons."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)


class RowsTable(QWidget):
    """columns: (key, header, choices or None). `rows()` gives one dict per row, choices as their text."""

    sig_changed = Signal()

    def __init__(self, columns: list[tuple[str, str, list[str] | None]], parent: QWidget | None = None, add_text: str = "Add"):
        super().__init__(parent)
        self.columns = columns
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([header for _, header, _ in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(130)
        self.table.itemChanged.connect(lambda _item: self.sig_changed.emit())
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, values: dict | None = None) -> int:
        values = values or {}
        row = self.table.rowCount()
        blocked = self.table.blockSignals(True)
        self.table.insertRow(row)
        for col, (key, _, choices) in enumerate(self.columns):
            if choices is not None:
                combo = QComboBox()
                combo.addItems(choices)
                if values.get(key) in choices:
                    combo.setCurrentText(values[key])
                combo.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
                self.table.setCellWidget(row, col, combo)
            else:
                self.table.setItem(row, col, QTableWidgetItem(str(values.get(key, ""))))
        self.table.blockSignals(blocked)
        self.sig_changed.emit()
        return row

    def set_cell(self, row: int, key: str, text: str) -> None:
        col = [c[0] for c in self.columns].index(key)
        widget = self.table.cellWidget(row, col)
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        else:
            self.table.item(row, col).setText(text)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.rowCount() - 1]
        for row in rows:
            self.table.removeRow(row)
        self.sig_changed.emit()

    def rows(self) -> list[dict]:
        out = []
        for row in range(self.table.rowCount()):
            values = {}
            for col, (key, _, choices) in enumerate(self.columns):
                widget = self.table.cellWidget(row, col)
                item = self.table.item(row, col)
                values[key] = widget.currentText() if isinstance(widget, QComboBox) else (item.text().strip() if item else "")
            out.append(values)
        return out
