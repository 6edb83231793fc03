"""QtDataClient: the IDE's end of an app's data session (`jitstudio data DIR session`), a runtime process
that owns the app's database and runs its handlers. Requests go out as JSON lines and their answers come
back to the callback given with each; the GUI thread only reads whole lines as they arrive.

The process starts on the first request and is restarted (requests made meanwhile wait) when the app's
files change, so handlers and fields are always the ones on disk."""
from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from ...cli._process import runtime_args
from ..runner import runtime_environment

Answer = Callable[[dict], object]
STOP_AFTER_MS = 3000


def session_args(root: Path) -> list[str]:
    return runtime_args(["data", str(root), "session"])


class QtDataClient(QObject):
    sig_ready = Signal(dict)  # the models: {fullName: {title, primaryKey, fields}}
    sig_fired = Signal(str, list, bool)  # request id, its executions so far, whether they are all done
    sig_output = Signal(str)  # what the app's code printed, and the session's own messages
    sig_ended = Signal(str)  # why the session ended on its own (killed, crashed); not sent for stop()

    def __init__(self, root: Path, parent: QObject | None = None, program: str | None = None,
                 args: list[str] | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.program, self.args = program, args
        self.models: dict[str, dict] = {}
        self.process: QProcess | None = None
        self._ready = False
        self._ids = itertools.count(1)
        self._answers: dict[int, Answer] = {}
        self._queued: list[dict] = []
        self._buffer = b""
        self._restart_wanted = False

    # -- requests ------------------------------------------------------------------------------------------

    def request(self, op: str, answer: Answer | None = None, *, owner: QObject | None = None, **fields: Any) -> int:
        """Send one request; `answer` is called with its answer on the GUI thread, unless its `owner` (by
        default the object whose method it is) has been deleted by then. Returns the request's id."""
        ident = next(self._ids)
        message = {"id": ident, "op": op, **fields}
        if answer is not None:
            owner = owner if owner is not None else getattr(answer, "__self__", None)
            self._answers[ident] = _owned(answer, owner) if isinstance(owner, QObject) else answer
        if self._ready:
            self._send(message)
        else:
            self._queued.append(message)
            self.start()
        return ident

    def forget(self, ident: int) -> None:
        """Drop the callback of a request whose answer is no longer wanted."""
        self._answers.pop(ident, None)

    def is_ready(self) -> bool:
        return self._ready

    def _send(self, message: dict) -> None:
        assert self.process is not None
        self.process.write((json.dumps(message, ensure_ascii=False, default=str) + "\n").encode("utf-8"))

    # -- the process ---------------------------------------------------------------------------------------

    def start(self) -> None:
        if self.process is not None:
            return
        process = QProcess(self)
        process.setProcessEnvironment(runtime_environment())
        process.setWorkingDirectory(str(self.root))
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(lambda p=process: self._read_stderr(p))
        process.finished.connect(lambda code, _status, p=process: self._ended(p, code))
        process.errorOccurred.connect(lambda error, p=process: self._failed(p, error))
        self.process, self._ready, self._buffer = process, False, b""
        process.start(self.program or sys.executable, self.args or session_args(self.root))

    def restart(self) -> None:
        """Start a new session on the app as it is on disk now (once the requests sent have their answers);
        requests made meanwhile wait for it."""
        if self.process is None:
            return
        if self._ready and self._answers:
            self._restart_wanted = True
            return
        self._restart_wanted = False
        waiting, answers = list(self._queued), dict(self._answers)
        self.stop()
        self._queued, self._answers = waiting, answers
        self.start()

    def stop(self) -> None:
        """End the session (its stdin closes; it finishes its writes and exits)."""
        process, self.process, self._ready = self.process, None, False
        self._queued.clear()
        if process is None:
            return
        self._answers.clear()
        process.closeWriteChannel()
        if not process.waitForFinished(STOP_AFTER_MS):
            process.kill()
            process.waitForFinished(1000)
        process.deleteLater()

    def _read(self) -> None:
        process = self.sender()
        if process is not self.process or process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        failed: Exception | None = None
        for line in lines:
            if line.strip():
                try:
                    self._message(line)
                except Exception as exc:  # noqa: BLE001 - the other answers of the chunk still go through
                    failed = failed or exc
        if failed is not None:
            raise failed

    def _read_stderr(self, process: QProcess) -> None:
        if shiboken6.isValid(self):
            self.sig_output.emit(bytes(process.readAllStandardError()).decode("utf-8", "replace"))

    def _message(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            self.sig_output.emit(line.decode("utf-8", "replace") + "\n")
            return
        notice = message.get("notice")
        if notice == "ready":
            self.models = message.get("models") or {}
            self._ready = True
            queued, self._queued = self._queued, []
            for waiting in queued:
                self._send(waiting)
            self.sig_ready.emit(self.models)
        elif notice == "fired":
            self.sig_fired.emit(str(message.get("request")), list(message.get("records") or []), bool(message.get("settled")))
        elif notice == "failed":
            self.sig_output.emit(str(message.get("error", "")) + "\n")
        else:
            answer = self._answers.pop(message.get("id"), None)
            if answer is not None:
                answer(message)
            if self._restart_wanted and not self._answers:
                self.restart()

    def _ended(self, process: QProcess, code: int) -> None:
        if not shiboken6.isValid(self) or process is not self.process:
            return  # an old session, or this client being destroyed with the window (its process with it)
        self.process, self._ready = None, False
        waiting = [self._answers.pop(m["id"]) for m in self._queued if m["id"] in self._answers]
        waiting += list(self._answers.values())
        self._answers.clear()
        self._queued.clear()
        reason = f"the data session ended (exit code {code}); see Run output for why"
        for answer in waiting:
            answer({"ok": False, "kind": "session", "error": reason})
        self.sig_ended.emit(reason)
        QTimer.singleShot(0, process.deleteLater)

    def _failed(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and process is self.process:
            self._ended(process, -1)


def _owned(answer: Answer, owner: QObject) -> Answer:
    """`answer`, skipped once `owner` is deleted (a page closed while its request was on the way)."""
    def call(message: dict) -> object:
        return answer(message) if shiboken6.isValid(owner) else None
    return call
