"""Running what the outbox holds: a few rows per claim on background threads in long-running processes (one
in a server, K in `jitstudio worker`), or what this process queued (`drain`) before a command exits. The
worker knows nothing of events: it is handed a function that runs one queued item and says whether (and
when) to try it again. While rows run, a renewer thread keeps their leases alive."""
from __future__ import annotations

import logging
import signal
import threading
import time
from contextlib import AbstractContextManager
from typing import Callable, Protocol

from .store import Outbox

__all__ = ["CLAIM", "OutboxWorker", "RunItem"]

log = logging.getLogger(__name__)

CLAIM = 4
PRUNE_EVERY_SECONDS = 3600.0
STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)

# (event fullName, payload text, attempt number, job id) -> None when done, or the delay before the next attempt
RunItem = Callable[[str, str, int, "str | None"], "float | None"]
SETTLE_EACH_AFTER = 0.002  # seconds: a run this long is settled at once, shorter ones with the rest of the claim


class JobRecords(Protocol):
    """What a queue needs of the execution records: to commit them (a queued job is finished once its
    record is), whether an attempt of a job already finished, and to mark a stopped attempt abandoned."""

    def flush(self) -> None: ...
    def job_succeeded(self, job_id: str) -> bool: ...
    def fail_job_attempts(self, job_id: str) -> int: ...


def job_id_of(row) -> str:
    """A queued row's job id for its records: its id, and when it was queued (a table made before ids were
    kept unique may give a finished row's id to a new one)."""
    return f"outbox:{row.id}.{int(row.created_at * 1_000_000)}"


class OutboxWorker:
    """The embedded queue: the outbox and the threads that run it, with the interface `JobQueue` shares."""

    kind = "outbox"
    drains = True

    def __init__(self, outbox: Outbox, run_item: RunItem, context: Callable[[], AbstractContextManager],
                 records: JobRecords, *, prune: Callable[[], object] | None = None):
        """`context()` is entered around each worker thread's life (it makes the app's runtime the one app code
        reaches there)."""
        self.outbox = outbox
        self._run_item = run_item
        self._context = context
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        self._renewer: threading.Thread | None = None
        self._records = records
        self._prune = prune

    def enqueue(self, event: str, kind: str, payload: dict) -> None:
        self.outbox.enqueue(event, kind, payload)

    def pending(self) -> int:
        return self.outbox.pending()

    def queued_here(self) -> bool:
        return self.outbox.queued_here()

    def run_worker(self, concurrency: int, *, graceful_timeout: float | None = None) -> None:
        """Run queued executions on `concurrency` threads until SIGINT/SIGTERM (called from the main thread);
        each thread finishes the row it runs (up to `graceful_timeout` seconds) and hands back the rest."""
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
        try:
            self.start(concurrency)
            next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
            while not stop.wait(0.5):
                if self._prune is not None and time.monotonic() >= next_prune:
                    next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
                    try:
                        self._prune()
                    except Exception:  # noqa: BLE001 - pruning is retried at the next period
                        log.exception("pruning execution records failed")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if not self.stop(graceful_timeout if graceful_timeout is not None else 30.0):
                log.warning("stopped with async events still running; their leases run out and another "
                            "process runs them again")

    def run_batch(self, limit: int = CLAIM) -> int:
        """Claim and run up to `limit` due rows; returns how many ran.

        A row is finished once its execution record is committed: the row is deleted after that, and a row
        claimed again after a crash whose job already has a successful record is deleted without running.
        Records are committed after each run that took a while, else once for the claim's quick runs."""
        with self.outbox.connection() as conn:
            return self._run_claim(conn, limit)

    def _run_claim(self, conn, limit: int) -> int:
        token, rows = self.outbox.claim(limit, conn)
        if not rows:
            return 0
        self._hold(token)
        ran = 0
        finished: list[int] = []
        try:
            for row in rows:
                if self._stop.is_set() and ran:
                    self.outbox.release(token, [r.id for r in rows[ran:]])
                    break
                ran += 1
                job_id = job_id_of(row)
                if row.attempt > 1:
                    if self._records.job_succeeded(job_id):
                        finished.append(row.id)
                        continue
                    self._records.fail_job_attempts(job_id)
                started = time.monotonic()
                again = self._run_item(row.event, row.payload, row.attempt, job_id)
                if again is None:
                    finished.append(row.id)
                if again is not None or time.monotonic() - started >= SETTLE_EACH_AFTER:
                    self._settle(conn, token, finished)
                if again is not None:
                    self.outbox.retry(token, row.id, again, conn)
        finally:
            try:
                self._settle(conn, token, finished)
            finally:
                with self._held_lock:
                    self._held.discard(token)
        return ran

    def _settle(self, conn, token: str, finished: list[int]) -> None:
        """Commit the records of the runs so far, then delete their rows."""
        self._records.flush()
        if finished:
            self.outbox.done(token, finished, conn)
            finished.clear()

    def drain(self, timeout: float | None = None) -> bool:
        """Run what this process queued (and what those runs queue in turn) until none of it is left to wait
        for; rows another live process holds are its to finish. False on timeout."""
        if not self.drains or not self.outbox.queued_here():
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._context():
            while True:
                if self.run_batch():
                    continue
                due = self.outbox.mine_left()
                if due is None:
                    return True
                pause = min(max(due - time.time(), 0.001), 0.25)
                if deadline is not None and time.monotonic() + pause > deadline:
                    return False
                time.sleep(pause)

    # -- leases ------------------------------------------------------------------------------------------

    def _hold(self, token: str) -> None:
        with self._held_lock:
            self._held.add(token)
            if self._renewer is None or not self._renewer.is_alive():
                self._renewer = threading.Thread(target=self._renew_loop, name="jitstudio-queue-leases", daemon=True)
                self._renewer.start()

    def _renew_loop(self) -> None:
        every = max(self.outbox.lease / 3, 0.05)
        while not self._stop.wait(every):
            with self._held_lock:
                tokens = list(self._held)
            if tokens:
                try:
                    self.outbox.renew(tokens)
                except Exception:  # noqa: BLE001 - a missed renewal is retried at the next tick
                    log.exception("renewing the leases of running async events failed")

    # -- background threads (long-running processes) -----------------------------------------------------

    def start(self, threads: int = 1) -> None:
        """Run queued executions on `threads` background threads until `stop()`."""
        self._threads = [t for t in self._threads if t.is_alive()]
        if self._threads:
            return
        self._stop.clear()
        for n in range(threads):
            thread = threading.Thread(target=self._loop, name=f"jitstudio-async-events-{n + 1}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the threads: each finishes the row it runs and hands back the rest of its claim. False when
        a thread was still running a handler after `timeout` seconds."""
        self._stop.set()
        self.outbox.wake()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        stopped = not any(t.is_alive() for t in self._threads)
        self._threads = [t for t in self._threads if t.is_alive()]
        return stopped

    def _loop(self) -> None:
        failures = 0
        with self._context():
            while not self._stop.is_set():
                try:
                    ran = self.run_batch()
                    failures = 0
                except Exception:  # noqa: BLE001 - a database hiccup must not end the worker; retry shortly
                    failures += 1
                    log.exception("running queued async events failed (attempt %d in a row); retrying", failures)
                    self._stop.wait(min(0.5 * failures, 5.0))
                    continue
                if not ran:
                    self.outbox.wait(0.5)
