"""Problems: the app's problems in a dock (double-click opens the file at the line) and their count in the
status bar."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from ..docks import QtProblemsPane
from .api import Feature

if TYPE_CHECKING:
    from ...project import Project


class ProblemsFeature(Feature):
    name = "problems"

    def register(self) -> None:
        self.pane = QtProblemsPane()
        self.dock = self.api.add_dock("Problems", "problemsDock", self.pane)
        self.count_label = QLabel()
        self.api.add_status_widget(self.count_label)
        self.pane.sig_open_location.connect(self.api.open_location)
        self.pane.sig_count_changed.connect(self._show_counts)
        self.api.sig_project_changed.connect(self._project_changed)

    def _project_changed(self, project: Project) -> None:
        self.pane.set_problems(project.root, project.problems)

    def _show_counts(self, errors: int, warnings: int) -> None:
        self.count_label.setText(f"{errors} errors · {warnings} warnings")
        self.dock.setWindowTitle(f"Problems ({errors + warnings})" if errors + warnings else "Problems")
