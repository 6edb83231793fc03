"""Failed executions at a glance: a count for the status bar, and counts per event for badges in the tree."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QToolButton

from .watcher import QtFailureWatcher


class QtFailureIndicator(QObject):
    """Watches an app's records and shows its failures of the last 24 hours; clicking opens them."""

    sig_open_failures = Signal()
    sig_counts_changed = Signal(dict)  # event fullName → failed executions in the last 24 hours

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.watcher: QtFailureWatcher | None = None
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setStyleSheet("QToolButton { color: palette(bright-text); font-weight: 600; }")
        self.button.setToolTip("Failed executions in the last 24 hours — click to open them")
        self.button.clicked.connect(self.sig_open_failures)
        self.button.hide()

    def watch(self, root: Path) -> None:
        """Watch the records of the app in `root` from `start()` on."""
        self.stop()
        self.watcher = QtFailureWatcher(root, self)
        self.watcher.sig_failures_changed.connect(self._show)

    def start(self) -> None:
        if self.watcher is not None and not self.watcher.timer.isActive():
            self.watcher.start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        self._show({})

    def _show(self, failures: dict) -> None:
        total = sum(failures.values())
        self.button.setText(f"⚠ {total} failed (24 h)")
        self.button.setVisible(total > 0)
        self.sig_counts_changed.emit(failures)
