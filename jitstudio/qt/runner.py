"""The runtime process: app code runs in a separate Python process the IDE starts and can stop."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from .workers import Worker

KILL_AFTER_MS = 1500
APP_RUN_KILL_AFTER_MS = 10_000  # an app run drains its async events before it exits
# the error of an execution left running by a runtime process that ended this way
LEFT_RUNNING_ERRORS = {
    "stopped": "Stopped: the run was stopped from the IDE before this execution finished",
    "crashed": "Abandoned: the runtime process crashed before this execution finished",
}


def has_cli_command(name: str) -> bool:
    from .. import cli

    return name in cli.commands()


def event_test_args(root: Path, full_name: str, payload) -> list[str]:
    """`jitstudio event test DIR EVENT --payload JSON`, as arguments for sys.executable (source install or bundle)."""
    from ..cli._process import runtime_args

    return runtime_args(["event", "test", str(root), full_name, "--payload", json.dumps(payload, ensure_ascii=False, default=str)])


def runtime_environment() -> QProcessEnvironment:
    """The environment of a runtime process: this one's, unbuffered UTF-8 output, and this jitstudio importable."""
    env = QProcessEnvironment.systemEnvironment()
    env.insert("PYTHONUNBUFFERED", "1")
    env.insert("PYTHONIOENCODING", "utf-8")
    root = str(Path(__file__).resolve().parents[2])
    env.insert("PYTHONPATH", root + (":" + env.value("PYTHONPATH") if env.contains("PYTHONPATH") else ""))
    return env


def parse_result(stdout: str) -> dict | None:
    """The JSON object the runtime prints as its result: the whole output, or else its last JSON line."""
    text = stdout.strip()
    if not text:
        return None
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else {"output": value}
    except ValueError:
        pass
    start = text.rfind("\n{")
    while start != -1:
        try:
            value = json.loads(text[start + 1:])
            if isinstance(value, dict):
                return value
        except ValueError:
            pass
        start = text.rfind("\n{", 0, start)
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def close_left_running(app_dir: Path, pid: int, error: str) -> list[int]:
    """Close as failed, with `error`, the executions that the ended process `pid` left running (on a worker
    thread: it writes to the app's record store). Returns their ids."""
    from ..runtime.records import RecordStore

    with RecordStore(app_dir=app_dir) as store:
        return store.fail_stopped(pid, error)


class RuntimeRunner(QObject):
    """One runtime process at a time. Output streams as it comes; a stuck process is terminated, then killed.
    Given the app it runs (`start(app_dir=…)`), the executions a stopped or crashed process left running
    are closed as failed at once (`sig_records_closed` with their ids), not when the runtime next starts."""

    sig_started = Signal()
    sig_output = Signal(str)
    sig_finished = Signal(int, str)  # exit code, how it ended: "finished" | "stopped" | "crashed" | "failed to start"
    sig_records_closed = Signal(object)  # list of the ids of the executions the ended process had left running

    def __init__(self, parent: QObject | None = None, kill_after_ms: int = KILL_AFTER_MS):
        super().__init__(parent)
        self.process: QProcess | None = None
        self.pid = 0
        self.app_dir: Path | None = None
        self.stdout = ""
        self._stopping = False
        self._kill_timer = QTimer(self, singleShot=True, interval=kill_after_ms)
        self._kill_timer.timeout.connect(self._kill)

    def is_running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def start(self, args: list[str], cwd: Path | None = None, program: str | None = None, *,
              app_dir: Path | None = None) -> None:
        """Start the process; `app_dir` is the app whose executions it records."""
        if self.is_running():
            raise RuntimeError("a runtime process is already running; stop it first")
        self.stdout, self._stopping, self.app_dir = "", False, app_dir
        process = QProcess(self)
        process.setProcessEnvironment(runtime_environment())
        if cwd is not None:
            process.setWorkingDirectory(str(cwd))
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process = process
        process.start(program or sys.executable, args)
        self.pid = process.processId()  # gone from the QProcess once it has ended
        self.sig_started.emit()

    def stop(self) -> None:
        """Ask the process to end; kill it if it has not ended shortly after."""
        if not self.is_running():
            return
        self._stopping = True
        self.process.terminate()
        self._kill_timer.start()

    def _kill(self) -> None:
        if self.is_running():
            self.process.kill()

    def _read_stdout(self) -> None:
        chunk = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        self.stdout += chunk
        self.sig_output.emit(chunk)

    def _read_stderr(self) -> None:
        self.sig_output.emit(bytes(self.process.readAllStandardError()).decode("utf-8", "replace"))

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._kill_timer.stop()
        if self._stopping:
            how = "stopped"
        elif status == QProcess.ExitStatus.CrashExit:
            how = "crashed"
        else:
            how = "finished"
        self.sig_finished.emit(code, how)
        if how in LEFT_RUNNING_ERRORS and self.app_dir is not None and self.pid:
            self._close_left_running(self.app_dir, self.pid, LEFT_RUNNING_ERRORS[how])

    def _close_left_running(self, app_dir: Path, pid: int, error: str) -> None:
        worker = Worker(lambda: close_left_running(app_dir, pid, error))
        worker.signals.returned.connect(self.sig_records_closed)
        worker.signals.errored.connect(self._not_closed)
        worker.start()

    def _not_closed(self, error: BaseException) -> None:
        self.sig_output.emit(f"\nCould not close the executions the process left running: {error}\n")

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._kill_timer.stop()
            self.sig_finished.emit(-1, "failed to start")
