"""Benchmark of the execution-record browser at a million records.

Generates the records (once; pass --dir to reuse a folder), opens the records page offscreen and reports:
the first-page latency (page opened → first rows shown), the deep-page latency (a page requested near the
end of the list → its rows shown), the time to count, and the longest stall of the GUI thread while the
whole list is scrolled to its end, measured by a 5 ms heartbeat timer (target: no stall over 50 ms).

    QT_QPA_PLATFORM=offscreen python bench/bench_records_browser.py [--records 1000000] [--dir DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from jitstudio.qt.records import QtRecordsPage
from jitstudio.qt.records._model import PAGE_SIZE
from jitstudio.qt.records.sample import synthetic_records
from jitstudio.qt.theme import apply_theme
from jitstudio.runtime.records.schema import now_us
from jitstudio.runtime.records import RecordStore

HEARTBEAT_MS = 5
STALL_TARGET_MS = 50


def ensure_records(app: Path, count: int) -> float:
    """Seconds spent generating (0 when the folder already holds `count` records)."""
    (app / "app.json").write_text('{"name": "bench", "title": "Bench"}')
    with RecordStore(app_dir=app) as store:
        have = store.count()
        if have == count:
            return 0.0
        if have:
            store.prune(max_count=0)
        started = time.perf_counter()
        store.insert_many(synthetic_records(count, newest_us=now_us(), spacing_us=2_000_000), batch=50_000)
        return time.perf_counter() - started


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=HEARTBEAT_MS, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self._last = now

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)


def wait(app: QApplication, condition, timeout_s: float = 600) -> None:
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    poll = QTimer(interval=20)
    poll.timeout.connect(lambda: loop.quit() if condition() or time.perf_counter() > deadline else None)
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the records page did not get there in time")


def scroll_to_end(app: QApplication, page: QtRecordsPage) -> tuple[list[float], float]:
    """Scroll like a user dragging to the bottom again and again; returns each page's latency (ms) and the
    total seconds. A page's latency runs from the moment the view asks for it to its rows being shown."""
    model, bar = page.model, page.table.verticalScrollBar()
    latencies: list[float] = []
    asked: list[float] = []
    model.sig_page_loaded.connect(lambda _n: asked and latencies.append((time.perf_counter() - asked.pop()) * 1000))
    stepper = QTimer(interval=10)

    def step() -> None:
        if model.is_fetching() or not model.has_more():
            return
        asked.append(time.perf_counter())
        if bar.value() == bar.maximum():
            model.fetchMore()
        else:
            bar.setValue(bar.maximum())
        if not model.is_fetching():
            asked.pop()

    stepper.timeout.connect(step)
    started = time.perf_counter()
    stepper.start()
    wait(app, lambda: not model.has_more() and not model.is_fetching())
    stepper.stop()
    return latencies, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, help="app folder to keep the generated records in (reused)")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="rows per keyset page")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app_dir = args.dir or Path(tempfile.mkdtemp(prefix="records-bench-"))
    app_dir.mkdir(parents=True, exist_ok=True)
    generated = ensure_records(app_dir, args.records)
    print(f"records: {args.records:,}" + (f" (generated in {generated:.1f} s)" if generated else " (reused)"))

    qInstallMessageHandler(lambda _kind, _context, text: None if "propagateSizeHints" in text else print(text))
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app, dark=False)
    heartbeat = Heartbeat()
    heartbeat.start()
    opened = time.perf_counter()
    page = QtRecordsPage(app_dir, live_interval_ms=1000, page_size=args.page_size)
    page.resize(1400, 880)
    page.show()
    wait(app, lambda: page.model.rowCount() > 0)
    first_page_ms = (time.perf_counter() - opened) * 1000
    wait(app, lambda: page.count is not None)
    count_ms = (time.perf_counter() - opened) * 1000
    open_stall = heartbeat.longest

    heartbeat.start()
    latencies, total_s = scroll_to_end(app, page)
    scroll_stall = heartbeat.longest
    gaps = sorted(heartbeat.gaps)
    heartbeat.stop()
    deep = latencies[-20:]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"first page shown:        {first_page_ms:8.1f} ms  (page opened → first {page.model.page_size} rows)")
    print(f"count shown:             {count_ms:8.1f} ms  ({page.count:,} records, in the background)")
    print(f"page latency, median:    {statistics.median(latencies):8.1f} ms  over {len(latencies):,} pages")
    print(f"page latency, p95:       {latencies and sorted(latencies)[int(len(latencies) * 0.95) - 1]:8.1f} ms")
    print(f"deep page latency:       {statistics.median(deep):8.1f} ms  (median of the last {len(deep)} pages, "
          f"rows {page.model.rowCount() - len(deep) * page.model.page_size:,}+)")
    print(f"scrolled to the end:     {total_s:8.1f} s   ({page.model.rowCount():,} rows loaded)")
    print(f"longest GUI stall:       {scroll_stall:8.1f} ms  while scrolling (opening: {open_stall:.1f} ms; "
          f"heartbeat p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms; target ≤ {STALL_TARGET_MS} ms)")
    over = sum(1 for gap in gaps if gap > STALL_TARGET_MS)
    print(f"stalls over {STALL_TARGET_MS} ms:       {over:8d}     of {len(gaps):,} heartbeats")
    print(f"peak memory (RSS):       {rss_mb:8.0f} MB")
    page.shutdown()
    return 0 if scroll_stall <= STALL_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
