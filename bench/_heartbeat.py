"""A heartbeat on the GUI thread for the benches that measure stalls: a 5 ms timer whose longest gap between
ticks, minus 5 ms, is the longest stall. The GUI thread's CPU time in each gap is kept too: on a busy machine a
gap is longer than the work in it."""
from __future__ import annotations

import time

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

HEARTBEAT_MS = 5


class Heartbeat:
    """See the module's docstring."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=HEARTBEAT_MS, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.cpu_gaps: list[float] = []
        self._last = 0
        self._last_cpu = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self.cpu_gaps.clear()
        self.clock.start()
        self._last, self._last_cpu = self.clock.nsecsElapsed(), time.thread_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now, cpu = self.clock.nsecsElapsed(), time.thread_time()
        self.gaps.append((now - self._last) / 1e6)
        self.cpu_gaps.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    @property
    def longest(self) -> float:
        """The longest gap between two ticks (ms)."""
        return max(self.gaps, default=0.0)

    @property
    def longest_stall(self) -> float:
        return max(max(self.gaps, default=HEARTBEAT_MS) - HEARTBEAT_MS, 0.0)

    @property
    def longest_cpu(self) -> float:
        """The most CPU time the GUI thread spent between two ticks (ms): the stall on an idle machine."""
        return max(self.cpu_gaps, default=0.0)

    def stalls_over(self, ms: float) -> int:
        return sum(1 for gap in self.gaps if gap - HEARTBEAT_MS > ms)

    def percentile_stall(self, share: float) -> float:
        gaps = sorted(self.gaps) or [HEARTBEAT_MS]
        return max(gaps[min(len(gaps) - 1, int(len(gaps) * share))] - HEARTBEAT_MS, 0.0)
