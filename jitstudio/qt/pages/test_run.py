"""QtTestRunPanel: a payload editor prefilled for the event, Run / Stop, and the result of the run, with a
link to its execution record. Close (or Escape) hides the panel; the next Test run shows it again.

The event runs in a separate runtime process (`python -m jitstudio event test …`), never in the IDE. A run
that is stopped has its execution closed as failed at once."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, QStyle, QToolButton, QVBoxLayout, QWidget,
)

from ..icons import icon, standard
from ..records._format import status_text_color
from ..runner import RuntimeRunner, event_test_args, has_cli_command, parse_result
from ..widgets.code_editor import CodeEditor
from ..workers import Worker


def fired_by_record(app_dir: Path, record_id: int) -> list[dict]:
    """The executions of the request a record belongs to (on a worker thread: it reads the record store)."""
    from ...runtime.datasession import record_summary
    from ...runtime.records import RecordStore

    with RecordStore(app_dir=app_dir) as store:
        request = store.get(record_id).request_id
        return [record_summary(r) for r in store.by_request(request)] if request else []


def record_link(record_id: int) -> str:
    return f'<a href="record:{record_id}">record {record_id}</a>'


class QtTestRunPanel(QFrame):
    sig_runner_started = Signal(object, str)  # RuntimeRunner, title
    sig_result = Signal(dict)
    sig_open_record = Signal(int)  # an execution record's id: show it in the record browser
    sig_open_event_record = Signal(str, int)  # an execution the run fired: its event and record id

    def __init__(self, root: Path, full_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.root, self.full_name = Path(root), full_name
        self.runner = RuntimeRunner(self)
        self.runner.sig_finished.connect(self._finished)
        self.runner.sig_records_closed.connect(self._records_closed)
        self.last_result: dict | None = None
        self.payload = CodeEditor(language="json")
        self.payload.setObjectName("payloadEditor")
        self.run_button = QPushButton(icon("play"), "Run", objectName="runTest")
        self.stop_button = QPushButton(icon("stop"), "Stop", objectName="stopTest", enabled=False)
        self.status = QLabel("Edit the payload and press Run.", objectName="hint", textFormat=Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.status.linkActivated.connect(self._link_activated)
        self.close_button = QToolButton(objectName="closeTestRun", autoRaise=True)
        self.close_button.setIcon(standard(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setToolTip("Close the test run panel (Esc); the next Test run opens it again")
        self.close_button.clicked.connect(self.hide)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.hide, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.result = QPlainTextEdit(readOnly=True, objectName="testResult")
        self.result.setFont(self.payload.font())
        self.result.setPlaceholderText("The result (record id, status, output, error) appears here.")
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Test run", objectName="sectionTitle"))
        bar.addWidget(self.status, 1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.stop_button)
        bar.addWidget(self.close_button)
        from ..data.fired_strip import QtFiredStrip

        self.fired = QtFiredStrip()
        self.fired.setObjectName("testRunFired")
        self.fired.sig_open_record.connect(self.sig_open_event_record)
        self.fired.hide()
        split = QSplitter()
        left, right = QWidget(), QWidget()
        for box, title, widget in ((left, "Payload (JSON)", self.payload), (right, "Result", self.result)):
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QLabel(title, objectName="hint"))
            lay.addWidget(widget)
            split.addWidget(box)
        split.addWidget(self.fired)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    def set_payload(self, payload: dict | list) -> None:
        self.payload.set_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")

    def payload_value(self) -> dict | list | None:
        try:
            value = json.loads(self.payload.text() or "{}")
        except ValueError as exc:
            self.status.setText(f"The payload is not valid JSON: {exc}")
            return None
        if not isinstance(value, (dict, list)):
            self.status.setText("The payload must be a JSON object (or a list of arguments).")
            return None
        return value

    def run(self) -> bool:
        payload = self.payload_value()
        if payload is None:
            return False
        if not has_cli_command("event"):
            self.status.setText("This installation has no runtime (`jitstudio event test` is missing).")
            return False
        self.start(event_test_args(self.root, self.full_name, payload))
        return True

    def start(self, args: list[str], program: str | None = None) -> None:
        """Start the runtime process with these arguments (the interpreter's, unless program is given)."""
        self.result.clear()
        self.last_result = None
        self.runner.start(args, cwd=self.root, program=program, app_dir=self.root)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText("Running in the runtime process…")
        self.sig_runner_started.emit(self.runner, f"Test run of {self.full_name}")

    def stop(self) -> None:
        self.status.setText("Stopping…")
        self.runner.stop()

    def _finished(self, code: int, how: str) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if how == "stopped":
            self.status.setText("Stopped.")
            self.result.setPlainText("The run was stopped before it finished.")
            return
        result = parse_result(self.runner.stdout)
        if result is None:
            self.status.setText(f"The runtime process {how} (exit code {code}) without a result; see Run output.")
            self.result.setPlainText(self.runner.stdout)
            return
        self.last_result = result
        status = str(result.get("status", "finished"))
        record = result.get("recordId", result.get("record_id"))
        color = status_text_color(status).name()
        link = f" — {record_link(record)}" if isinstance(record, int) else ""
        self.status.setText(f"<span style='color:{color}'><b>{status}</b></span>{link}")
        self.result.setPlainText(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        if isinstance(record, int):
            self._show_fired(record)
        self.sig_result.emit(result)

    def _show_fired(self, record_id: int) -> None:
        """List what the run fired (the executions of its request), as the Data tab does after a write."""
        self._fired_record = record_id
        worker = Worker(functools.partial(fired_by_record, self.root, record_id))
        worker.signals.returned.connect(self._fired)
        worker.start()

    def _fired(self, records: list[dict]) -> None:
        self.fired.show()
        self.fired.show_write(f"Test run (record {self._fired_record})", "", records, True)

    def _records_closed(self, ids: list[int]) -> None:
        """The executions the stopped run left running were closed as failed: say so, with links."""
        if ids:
            links = ", ".join(record_link(record_id) for record_id in ids)
            self.status.setText(f"Stopped — {links} closed as <b>failed</b>.")

    def _link_activated(self, href: str) -> None:
        if href.startswith("record:"):
            self.sig_open_record.emit(int(href.partition(":")[2]))

    def shutdown(self) -> None:
        if self.runner.is_running():
            self.runner.stop()
            if self.runner.process is not None and not self.runner.process.waitForFinished(1500):
                self.runner.process.kill()
                self.runner.process.waitForFinished(1000)
