"""QtProblemsPane: the project's problems; double-click opens the file at the line."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..icons import icon

if TYPE_CHECKING:
    from ...project import Problem

LOCATION_ROLE = Qt.ItemDataRole.UserRole + 1


class QtProblemsPane(QWidget):
    sig_open_location = Signal(str, int, int)  # absolute path, line, column
    sig_count_changed = Signal(int, int)  # errors, warnings

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.root: Path | None = None
        self.summary = QLabel("No problems", objectName="hint")
        self.table = QTreeWidget(rootIsDecorated=False, uniformRowHeights=True, alternatingRowColors=True)
        self.table.setHeaderLabels(["Problem", "File", "Line"])
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def set_problems(self, root: Path, problems: list[Problem]) -> None:
        self.root = Path(root)
        self.table.clear()
        for problem in problems:
            item = QTreeWidgetItem([problem.message, problem.path, f"{problem.line}:{problem.col}"])
            item.setIcon(0, icon("error" if problem.severity == "error" else "warning"))
            item.setToolTip(0, str(problem))
            item.setData(0, LOCATION_ROLE, (problem.path, problem.line, problem.col))
            self.table.addTopLevelItem(item)
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        self.summary.setText("No problems" if not problems else f"{errors} errors, {warnings} warnings — double-click to open")
        self.sig_count_changed.emit(errors, warnings)

    def count(self) -> int:
        return self.table.topLevelItemCount()

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path, line, col = item.data(0, LOCATION_ROLE)
        if self.root is not None:
            self.sig_open_location.emit(str(self.root / path), line, col)
