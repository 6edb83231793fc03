"""QtRunOutputPane: what the runtime process prints, with Stop."""
from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ..icons import icon
from ..runner import RuntimeRunner

MAX_BLOCKS = 20_000


class QtRunOutputPane(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner: RuntimeRunner | None = None
        self.status = QLabel("Nothing running", objectName="hint")
        self.stop_button = QPushButton(icon("stop"), "Stop", enabled=False)
        self.clear_button = QPushButton("Clear")
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setMaximumBlockCount(MAX_BLOCKS)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText("Output of test runs and app runs appears here.")
        self.clear_button.clicked.connect(self.text.clear)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.stop_button)
        bar.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.text)

    def attach(self, runner: RuntimeRunner, title: str) -> None:
        """Show a runner's output from now on; Stop stops it."""
        if self.runner is not None:
            for signal, slot in ((self.runner.sig_output, self.append), (self.runner.sig_finished, self._finished),
                                 (self.runner.sig_records_closed, self._records_closed)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            try:
                self.stop_button.clicked.disconnect()
            except (RuntimeError, TypeError):
                pass
        self.runner = runner
        runner.sig_output.connect(self.append)
        runner.sig_finished.connect(self._finished)
        runner.sig_records_closed.connect(self._records_closed)
        self.stop_button.clicked.connect(runner.stop)
        self.stop_button.setEnabled(True)
        self.status.setText(f"Running: {title}")
        self.append(f"── {title}\n")

    def append(self, chunk: str) -> None:
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        self.text.insertPlainText(chunk)
        self.text.moveCursor(QTextCursor.MoveOperation.End)

    def _finished(self, code: int, how: str) -> None:
        self.stop_button.setEnabled(False)
        self.status.setText(f"Process {how} (exit code {code})")
        self.append(f"\n── process {how}, exit code {code}\n")

    def _records_closed(self, ids: list[int]) -> None:
        if ids:
            names = ", ".join(f"#{record_id}" for record_id in ids)
            self.append(f"── the execution{'s' * (len(ids) > 1)} it left running ({names}) closed as failed\n")
