"""Running a function off the GUI thread and getting its result back on it, on superqt's workers."""
from __future__ import annotations

import traceback
from typing import Any, Callable

from superqt.utils import FunctionWorker, WorkerBase, create_worker


class SharedStateSafeRun(WorkerBase):
    """For superqt workers: `run()` without superqt's capture of warnings into `warned`. That capture swaps
    the process-wide warnings filters and `showwarning` with `warnings.catch_warnings`, which is not safe
    with several workers at once: the last to finish can leave another's `showwarning` behind, so every later
    warning of the IDE goes to a finished worker. The other signals are emitted as superqt does."""

    def run(self) -> None:
        self.started.emit()
        self._running = True
        try:
            result = self.work()
            if not self.abort_requested:
                self.returned.emit(result)
        except Exception as exc:  # reported to the GUI thread, never lost in the pool
            self.errored.emit(exc)
        self._running = False
        self.finished.emit()
        self._finished.emit(self)


class Worker(SharedStateSafeRun, FunctionWorker):
    """superqt's FunctionWorker, run as `SharedStateSafeRun` says."""


def error_text(error: BaseException) -> str:
    """The traceback of an error a worker raised, as text."""
    return "".join(traceback.format_exception(error))


def run_in_thread(fn: Callable[[], Any], on_done: Callable[[Any], None],
                  on_failed: Callable[[str], None] | None = None) -> Worker:
    """Run fn in the global thread pool; on_done gets its result, on_failed its traceback, on the GUI thread."""
    failed = (lambda error: on_failed(error_text(error))) if on_failed is not None else (lambda _error: None)
    return create_worker(fn, _worker_class=Worker, _connect={"returned": on_done, "errored": failed}, _start_thread=True)


def wait_for_workers(msecs: int = 5000) -> bool:
    """Ask the running workers to stop and wait for them; False when some are still running."""
    try:
        WorkerBase.await_workers(msecs)
    except RuntimeError:
        return False
    return True
