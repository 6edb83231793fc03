"""Running what the outbox holds: a batch at a time, on a background thread in long-running processes, or
until nothing is left (`drain`) before a command exits. The worker knows nothing of events: it is handed a
function that runs one queued item and says whether (and when) to try it again."""
from __future__ import annotations

import logging
import threading
import time
from contextlib import AbstractContextManager
from typing import Callable

from .store import Outbox

__all__ = ["BATCH", "OutboxWorker", "RunItem"]

log = logging.getLogger(__name__)

BATCH = 256

# (event fullName, payload text, attempt number) -> None when done, or the delay before the next attempt
RunItem = Callable[[str, str, int], "float | None"]


class OutboxWorker:
    def __init__(self, outbox: Outbox, run_item: RunItem, context: Callable[[], AbstractContextManager]):
        """`context()` is entered around the worker thread's life (it makes the app's runtime the one app code
        reaches there)."""
        self.outbox = outbox
        self._run_item = run_item
        self._context = context
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_batch(self, limit: int = BATCH) -> int:
        """Claim and run up to `limit` due rows; returns how many ran."""
        rows = self.outbox.claim(limit)
        if not rows:
            return 0
        done: list[int] = []
        retry: list[tuple[int, int, float]] = []
        for row in rows:
            again = self._run_item(row.event, row.payload, row.attempt + 1)
            if again is None:
                done.append(row.id)
            else:
                retry.append((row.id, row.attempt + 1, again))
        self.outbox.settle(done, retry)
        return len(rows)

    def drain(self, timeout: float | None = None) -> bool:
        """Run queued executions (including those they queue in turn) until none is left; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._context():
            while True:
                if self.run_batch():
                    continue
                if self.outbox.pending() == 0:
                    return True
                due = self.outbox.next_due()
                pause = 0.01 if due is None else min(max(due - time.time(), 0.001), 0.25)
                if deadline is not None and time.monotonic() + pause > deadline:
                    return False
                time.sleep(pause)

    # -- the background thread (long-running processes) ----------------------------------------------------

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="jitstudio-async-events", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.outbox.wake()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

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
