"""Actions on records that need more than a click: re-running in the runtime process, pruning, confirming."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QMessageBox, QSpinBox, QVBoxLayout, QWidget,
)

from ...runtime.records import ExecutionRecord
from ..runner import RuntimeRunner, event_test_args, parse_result


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def rerun_args(app_dir: Path, record: ExecutionRecord) -> list[str]:
    """`python -m jitstudio event test DIR EVENT --payload INPUT --rerun-of ID`: the same input, the current code."""
    return event_test_args(app_dir, record.event, record.input) + ["--rerun-of", str(record.id)]


class RerunController(QObject):
    """Re-runs one execution at a time in a runtime process; the runtime records the new execution, linked."""

    sig_started = Signal(int)  # the id being re-run
    sig_runner_started = Signal(object, str)  # RuntimeRunner, title (for the IDE's Run output pane)
    sig_finished = Signal(int, object, str)  # re-run id, new record id or None, message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = RuntimeRunner(self)
        self.runner.sig_finished.connect(self._finished)
        self.output = ""
        self.runner.sig_output.connect(self._collect)
        self._record_id: int | None = None

    def is_running(self) -> bool:
        return self.runner.is_running()

    def rerun(self, app_dir: Path, record: ExecutionRecord) -> None:
        if self.is_running():
            raise RuntimeError("a re-run is already under way")
        self._record_id = record.id
        self.output = ""
        self.runner.start(rerun_args(app_dir, record), cwd=app_dir, app_dir=app_dir)
        self.sig_started.emit(record.id)
        self.sig_runner_started.emit(self.runner, f"Re-run #{record.id} {record.event}")

    def stop(self) -> None:
        self.runner.stop()

    def _collect(self, chunk: str) -> None:
        self.output += chunk

    def _finished(self, code: int, how: str) -> None:
        result = parse_result(self.runner.stdout) or {}
        new_id = result.get("recordId")
        if new_id is not None:
            status = result.get("status", "")
            message = f"Re-run of #{self._record_id} recorded as #{new_id}: {status}"
            if result.get("error"):
                message += f" — {result['error']}"
        else:
            lines = [line for line in self.output.strip().splitlines() if line.strip()]
            message = f"Re-run of #{self._record_id} {how} (exit {code})" + (f": {lines[-1]}" if lines else "")
        self.sig_finished.emit(self._record_id or 0, new_id, message)


class QtPruneDialog(QDialog):
    """Delete executions older than N days and/or all but the newest N."""

    def __init__(self, parent: QWidget | None = None, max_age_days: int = 30, max_count: int = 100_000):
        super().__init__(parent)
        self.setWindowTitle("Prune execution records")
        self.by_age = QCheckBox("Delete executions older than", checked=True)
        self.days = QSpinBox(minimum=0, maximum=36_500, value=max_age_days, suffix=" days")
        self.by_count = QCheckBox("Keep only the newest", checked=False)
        self.count = QSpinBox(minimum=0, maximum=1_000_000_000, value=max_count, singleStep=1000)
        self.count.setGroupSeparatorShown(True)
        grid = QGridLayout()
        grid.addWidget(self.by_age, 0, 0)
        grid.addWidget(self.days, 0, 1)
        grid.addWidget(self.by_count, 1, 0)
        grid.addWidget(self.count, 1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Prune")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(QLabel("Deleted executions cannot be brought back.", objectName="hint"))
        layout.addWidget(buttons)

    def limits(self) -> tuple[float | None, int | None]:
        return (self.days.value() if self.by_age.isChecked() else None,
                self.count.value() if self.by_count.isChecked() else None)
