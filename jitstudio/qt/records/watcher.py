"""QtFailureWatcher: failed executions per event over the last 24 hours, for badges in the element tree and a
count in the status bar, kept current while the runtime runs (whether or not a records page is open)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ._tasks import RecordsBackend, Ticket

if TYPE_CHECKING:
    from ...runtime.records import RecordStore

WATCH_INTERVAL_MS = 2000
FAILURE_WINDOW_S = 24 * 3600


def recent_failures(store: RecordStore, known_latest: int | None) -> tuple[int | None, dict[str, int] | None]:
    """(newest start time, failures per event in the 24 hours before it), the failures only when the newest
    start time moved since `known_latest` (one index lookup otherwise)."""
    latest = store.latest_started_us()
    if latest == known_latest:
        return latest, None
    return latest, ({} if latest is None else store.failures_by_event(since=latest / 1e6 - FAILURE_WINDOW_S))


class QtFailureWatcher(QObject):
    sig_failures_changed = Signal(dict)  # event fullName → failed executions in the last 24 hours
    sig_total_changed = Signal(int)

    def __init__(self, records_url_or_app_dir: str | os.PathLike, parent: QObject | None = None,
                 interval_ms: int = WATCH_INTERVAL_MS):
        super().__init__(parent)
        self.backend = RecordsBackend(records_url_or_app_dir, self)
        self.failures: dict[str, int] = {}
        self._latest: int | None = None
        self._ticket: Ticket | None = None
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.check()
        self.timer.start()

    def check(self) -> None:
        if self._ticket is not None and self._ticket.pending:
            return
        known = self._latest
        self._ticket = self.backend.submit(lambda store: recent_failures(store, known), self._checked)

    def _checked(self, result: tuple[int | None, dict[str, int] | None]) -> None:
        self._latest, failures = result
        if failures is None or failures == self.failures:
            return
        self.failures = failures
        self.sig_failures_changed.emit(dict(failures))
        self.sig_total_changed.emit(sum(failures.values()))

    def stop(self) -> None:
        self.timer.stop()
        self.backend.close()
