"""RecordsBackend: every read and write of the record store runs on a private thread pool, never the GUI thread.

A task is a function of the store run by a worker (`jitstudio.qt.workers`); its result (or the traceback it
raised) comes back on the GUI thread. A task whose ticket was dropped (the filters changed, the page closed) is
still run to the end but its result is thrown away; long counts and exports also watch a `threading.Event` and
stop early.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from ..workers import Worker, WorkerSignals, error_text

if TYPE_CHECKING:
    from ...runtime.records import RecordStore

POOL_THREADS = 4


class _TaskSignals(WorkerSignals):
    progress = Signal(int, int)


class Ticket:
    """A submitted task: `drop()` discards its result; `cancel` is set for tasks that can stop early."""

    def __init__(self):
        self.cancel = threading.Event()
        self.worker: StoreTask | None = None
        self.dropped = False
        self.finished = False

    def drop(self) -> None:
        self.dropped = True
        self.cancel.set()

    @property
    def pending(self) -> bool:
        return not self.finished and not self.dropped

    def progress(self, done: int, total: int) -> None:
        """Report progress from the worker thread."""
        if not self.dropped and self.worker is not None:
            self.worker.signals.progress.emit(done, total)


class StoreTask(Worker):
    """`task(store)`, or `task(store, ticket)`, on the backend's pool; a dropped ticket returns nothing."""

    signals: _TaskSignals

    def __init__(self, backend: "RecordsBackend", task: Callable, ticket: Ticket, with_ticket: bool):
        super().__init__(self._in_store, signals=_TaskSignals())
        self.backend, self.task, self.ticket, self.with_ticket = backend, task, ticket, with_ticket
        ticket.worker = self

    @property
    def abort_requested(self) -> bool:
        return self._abort_requested or self.ticket.dropped

    def _in_store(self) -> Any:
        if self.ticket.dropped:
            return None
        store = self.backend.store()
        return self.task(store, self.ticket) if self.with_ticket else self.task(store)


def store_source(source: str | os.PathLike) -> tuple[str | None, Path | None]:
    """(records URL, app folder) for a page opened on a URL or on an app folder. The app folder of a SQLite
    URL at APP/.jitstudio/records.db is known too (to open files of tracebacks and to re-run)."""
    text = str(source)
    if "://" not in text:
        return None, Path(text).resolve()
    if text.startswith("sqlite:///"):
        db = Path(text[len("sqlite:///"):])
        if db.parent.name == ".jitstudio" and (db.parent.parent / "app.json").is_file():
            return text, db.parent.parent.resolve()
    return text, None


class RecordsBackend(QObject):
    """Owns the page's record store (opened lazily on a worker thread) and the pool its tasks run on."""

    def __init__(self, source: str | os.PathLike, parent: QObject | None = None):
        super().__init__(parent)
        self.url, self.app_dir = store_source(source)
        self._store: RecordStore | None = None
        self._store_lock = threading.Lock()
        self._closed = False
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(POOL_THREADS)
        self._tickets: set[Ticket] = set()

    def store(self) -> RecordStore:
        """The store, opened on first use; only ever called on worker threads."""
        with self._store_lock:
            if self._closed:
                raise RuntimeError("the record browser was closed")
            if self._store is None:
                from ...runtime.records import RecordStore

                self._store = RecordStore(self.url, app_dir=self.app_dir if self.url is None else None)
            return self._store

    def submit(self, fn: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
               on_failed: Callable[[str], None] | None = None, *, on_progress: Callable[[int, int], None] | None = None,
               with_ticket: bool = False) -> Ticket:
        """Run `fn(store)` (or `fn(store, ticket)` with `with_ticket`) on the pool; the callbacks run on the GUI
        thread unless the ticket was dropped first."""
        ticket = Ticket()
        if self._closed:
            ticket.drop()
            return ticket
        task = StoreTask(self, fn, ticket, with_ticket)
        self._tickets.add(ticket)

        def done(result: Any) -> None:
            self._finish(ticket)
            if not ticket.dropped and on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            self._finish(ticket)
            if not ticket.dropped and on_failed is not None:
                on_failed(error_text(error))

        task.signals.returned.connect(done)
        task.signals.errored.connect(failed)
        task.signals.finished.connect(lambda: self._finish(ticket))
        if on_progress is not None:
            task.signals.progress.connect(lambda d, t: None if ticket.dropped else on_progress(d, t))
        self.pool.start(task)
        return ticket

    def _finish(self, ticket: Ticket) -> None:
        ticket.finished = True
        self._tickets.discard(ticket)

    def busy(self) -> bool:
        return bool(self._tickets)

    def close(self, wait_ms: int = 3000) -> None:
        """Drop every task, let the running ones stop, and release the store; later tasks never run."""
        self._closed = True
        for ticket in list(self._tickets):
            ticket.drop()
        self.pool.clear()
        self.pool.waitForDone(wait_ms)
        with self._store_lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()
