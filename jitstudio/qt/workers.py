"""Running a function off the GUI thread and getting its result back on it: QRunnables on a QThreadPool that
report through a QObject made on the GUI thread, so what is connected to it runs there.

A worker leaves process-wide state alone: unlike superqt's workers it does not capture warnings with
`warnings.catch_warnings`, which swaps the filters and `showwarning` and is not safe with several at once."""
from __future__ import annotations

import traceback
from typing import Any, Callable, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    started = Signal()
    returned = Signal(object)  # what the work returned
    errored = Signal(object)  # the exception it raised
    finished = Signal()


class Worker(QRunnable):
    """`fn()` on a pool thread: `returned` with its result (unless it was asked to quit) or `errored` with
    the exception it raised, then `finished`. Subclasses add signals with a `WorkerSignals` subclass."""

    running: ClassVar[set[Worker]] = set()

    def __init__(self, fn: Callable[[], Any], signals: WorkerSignals | None = None):
        super().__init__()
        self.fn = fn
        self.signals = signals if signals is not None else WorkerSignals()
        self._abort_requested = False

    @property
    def abort_requested(self) -> bool:
        return self._abort_requested

    def quit(self) -> None:
        self._abort_requested = True

    def start(self, pool: QThreadPool | None = None) -> None:
        """Run on `pool` (the global pool by default), kept alive until it has finished."""
        Worker.running.add(self)
        self.signals.finished.connect(lambda: Worker.running.discard(self))
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:
        self.signals.started.emit()
        try:
            result = self.fn()
            if not self.abort_requested:
                self.signals.returned.emit(result)
        except Exception as exc:  # reported to the GUI thread, never lost in the pool
            self.signals.errored.emit(exc)
        self.signals.finished.emit()


def error_text(error: BaseException) -> str:
    """The traceback of an error a worker raised, as text."""
    return "".join(traceback.format_exception(error))


def run_in_thread(fn: Callable[[], Any], on_done: Callable[[Any], None],
                  on_failed: Callable[[str], None] | None = None) -> Worker:
    """Run fn in the global thread pool; on_done gets its result, on_failed its traceback, on the GUI thread."""
    worker = Worker(fn)
    worker.signals.returned.connect(on_done)
    if on_failed is not None:
        worker.signals.errored.connect(lambda error: on_failed(error_text(error)))
    worker.start()
    return worker


def wait_for_workers(msecs: int = 5000) -> bool:
    """Ask the running workers to stop and wait for them; False when some are still running."""
    for worker in list(Worker.running):
        worker.quit()
    return QThreadPool.globalInstance().waitForDone(msecs)
