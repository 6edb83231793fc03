"""Running a function off the GUI thread and getting its result back on it."""
from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    sig_done = Signal(object)
    sig_failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception:  # reported to the GUI thread, never lost in the pool
            self.relay.sig_failed.emit(traceback.format_exc())
            return
        self.relay.sig_done.emit(result)


_live: set[_Relay] = set()


def run_in_thread(fn: Callable[[], Any], on_done: Callable[[Any], None],
                  on_failed: Callable[[str], None] | None = None) -> _Relay:
    """Run fn in the global thread pool; on_done/on_failed are called on the GUI thread."""
    relay = _Relay()
    _live.add(relay)

    def finish(_=None):
        _live.discard(relay)

    relay.sig_done.connect(on_done)
    relay.sig_done.connect(finish)
    if on_failed is not None:
        relay.sig_failed.connect(on_failed)
    relay.sig_failed.connect(finish)
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return relay


def wait_for_workers(msecs: int = 5000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
