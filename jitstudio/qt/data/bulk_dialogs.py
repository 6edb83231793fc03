"""The dialogs of import and export: the column mapping with the events choice, and progress with Cancel."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHeaderView, QLabel, QProgressDialog, QTableWidget, QVBoxLayout,
    QWidget,
)

from . import _format
from .bulk import SKIP

SKIP_TEXT = "(skip)"


class QtImportDialog(QDialog):
    """Map each column of the file to a field (or skip it) and choose whether the rows fire events."""

    def __init__(self, file_name: str, columns: list[str], rows: int, fields: list[dict], mapping: dict,
                 events: bool, parent: QWidget | None = None):
        super().__init__(parent, windowTitle=f"Import {file_name}")
        self.columns = columns
        self.table = QTableWidget(len(columns), 2, objectName="importMapping")
        self.table.setHorizontalHeaderLabels(["Column in the file", "Field"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        writable = [f for f in fields if _format.editor_kind(f) != "readonly"]
        self.combos: list[QComboBox] = []
        for number, column in enumerate(columns):
            self.table.setCellWidget(number, 0, QLabel(column))
            combo = QComboBox()
            combo.addItem(SKIP_TEXT, SKIP)
            for field in writable:
                combo.addItem(f"{field['title']} ({field['name']})", field["name"])
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(column))))
            self.table.setCellWidget(number, 1, combo)
            self.combos.append(combo)
        self.events_check = QCheckBox("Fire the model's events for each row", checked=events, objectName="importEvents")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"Import {rows:,} rows")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{rows:,} rows, {len(columns)} columns. Each row is added on its own through the "
                                "app's data API; a row a handler or a field refuses is reported and the rest go on.",
                                wordWrap=True, objectName="hint"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.events_check)
        layout.addWidget(buttons)
        self.resize(560, min(560, 200 + 32 * len(columns)))

    def mapping(self) -> dict[str, str | None]:
        return {column: combo.currentData() for column, combo in zip(self.columns, self.combos)}


def progress_dialog(parent: QWidget, title: str, total: int) -> QProgressDialog:
    dialog = QProgressDialog(title, "Cancel", 0, max(total, 0), parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    return dialog


def report_text(report: dict, limit: int = 20) -> str:
    """An import's outcome for people: how many rows went in, and each refused row with why."""
    fired = report.get("fired") or {}
    total, failed = sum(fired.values()), fired.get("fail", 0)
    events = (f" They fired {total:,} execution{'s' if total != 1 else ''}" + (f", {failed:,} failed." if failed else ".")
              if report.get("events", True) else " Events were off: nothing fired.")
    lines = [f"Imported {report['created']:,} of {report['total']:,} rows.{events}"]
    if report.get("cancelled"):
        lines.append(f"Cancelled after {report['sent']:,} rows; the rest were not sent.")
    refused = report.get("refused") or []
    if refused:
        lines.append(f"{len(refused):,} refused:")
        lines += [f"  row {r['row']}: {r['error']}" if r.get("row") else f"  {r['error']}" for r in refused[:limit]]
        if len(refused) > limit:
            lines.append(f"  … and {len(refused) - limit:,} more")
    return "\n".join(lines)
