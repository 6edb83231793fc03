"""Benchmark of the execution-record browser at a million records.

Generates the records (once; pass --dir to reuse a folder), opens the records page offscreen and reports:
the longest stall of the GUI thread while the page opens (from its construction to its first rows shown,
in fresh processes so that each opening is the first of its process, as the IDE's first records page is),
the first-page latency, the deep-page latency (a page requested near the end of the list → its rows
shown), the time to count, and the longest stall of the GUI thread while the whole list is scrolled to its
end. Stalls are measured by a 5 ms heartbeat timer (target: none over 50 ms).

    QT_QPA_PLATFORM=offscreen python bench/bench_records_browser.py [--records 1000000] [--dir DIR]
        [--opening-runs 5] [--no-scroll]

`rows()` gives the figures as (name, median_s, min_s, target_s) rows, for a script that runs every bench.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jitstudio.qt.records import QtRecordsPage
from jitstudio.qt.records._model import PAGE_SIZE
from jitstudio.qt.records.sample import synthetic_records
from jitstudio.qt.theme import apply_theme
from jitstudio.runtime.records.schema import now_us
from jitstudio.runtime.records import RecordStore

from _heartbeat import Heartbeat

STALL_TARGET_MS = 50
OPENING_RUNS = 5
DEFAULT_DIR = Path(tempfile.gettempdir()) / "jitstudio-records-bench"


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


@dataclass
class Opening:
    stall_ms: float  # the longest GUI stall from the page's construction to its first rows shown
    stall_cpu_ms: float  # the most GUI-thread CPU time in one of those stalls
    first_rows_ms: float
    settled_stall_ms: float  # the longest stall until the count, chart, event list and detail widgets are in
    settled_ms: float


def open_measured(app: QApplication, app_dir: Path, page_size: int = PAGE_SIZE) -> tuple[QtRecordsPage, Opening]:
    """Open the records page on `app_dir` with the heartbeat running."""
    heartbeat = Heartbeat()
    heartbeat.start()
    opened = time.perf_counter()
    page = QtRecordsPage(app_dir, live_interval_ms=1000, page_size=page_size)
    page.resize(1400, 880)
    page.show()
    wait(app, lambda: page.model.rowCount() > 0)
    first_rows_ms = (time.perf_counter() - opened) * 1000
    stall_ms, stall_cpu_ms = heartbeat.longest, heartbeat.longest_cpu
    wait(app, lambda: page.count is not None and page.chart.chart is not None and page.detail.has_json_views
         and not any(page.pending(name) for name in ("chart", "events", "failures")))
    settled_ms = (time.perf_counter() - opened) * 1000
    heartbeat.stop()
    return page, Opening(stall_ms, stall_cpu_ms, first_rows_ms, heartbeat.longest, settled_ms)


def application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(lambda _kind, _context, text: None if "propagateSizeHints" in text else print(text))
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app, dark=False)
    return app


def in_fresh_process(app_dir: Path, *args: str) -> dict:
    """This bench run on `app_dir` in a new process with `args`; what it printed as its last line (JSON)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    done = subprocess.run([sys.executable, __file__, "--dir", str(app_dir), *args], capture_output=True, text=True,
                          env=env, timeout=1800)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"bench process failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def openings(app_dir: Path, runs: int = OPENING_RUNS) -> list[Opening]:
    return [Opening(**in_fresh_process(app_dir, "--opening-only")) for _ in range(runs)]


def rows(records: int = 1_000_000, app_dir: Path | None = None, runs: int = OPENING_RUNS,
         scroll: bool = True) -> list[tuple[str, float, float, float | None]]:
    """(name, median_s, min_s, target_s) rows: the stall while the page opens, its first rows, and (with
    `scroll`) the longest stall while scrolling the whole list, each in processes of their own."""
    app_dir = app_dir or DEFAULT_DIR / str(records)
    app_dir.mkdir(parents=True, exist_ok=True)
    ensure_records(app_dir, records)
    opened = openings(app_dir, runs)
    label = f"{records:,} records"
    stalls = [o.stall_ms / 1000 for o in opened]
    firsts = [o.first_rows_ms / 1000 for o in opened]
    out = [(f"records page: longest GUI stall while opening ({label})", statistics.median(stalls), min(stalls),
            STALL_TARGET_MS / 1000),
           (f"records page: first rows shown ({label})", statistics.median(firsts), min(firsts), None)]
    if scroll:
        stall = in_fresh_process(app_dir, "--records", str(records), "--scroll-only")["scroll_stall_ms"] / 1000
        out.append((f"records page: longest GUI stall scrolling to the end ({label}, one run)", stall, stall,
                    STALL_TARGET_MS / 1000))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, help="app folder to keep the generated records in (reused)")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help="rows per keyset page")
    parser.add_argument("--opening-runs", type=int, default=OPENING_RUNS, help="fresh processes that open the page")
    parser.add_argument("--no-scroll", action="store_true", help="measure the opening only")
    parser.add_argument("--opening-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scroll-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    app_dir = args.dir or Path(tempfile.mkdtemp(prefix="records-bench-"))
    app_dir.mkdir(parents=True, exist_ok=True)
    if args.opening_only:
        app = application()
        page, opening = open_measured(app, app_dir, args.page_size)
        page.shutdown()
        print(json.dumps(asdict(opening)))
        return 0
    generated = ensure_records(app_dir, args.records)
    if not args.scroll_only:
        print(f"records: {args.records:,}" + (f" (generated in {generated:.1f} s)" if generated else " (reused)"))
        opened = openings(app_dir, args.opening_runs)
        stalls = sorted(o.stall_ms for o in opened)
        print(f"opening, longest stall:  {statistics.median(stalls):8.1f} ms  median of {len(opened)} fresh processes "
              f"(min {stalls[0]:.1f}, max {stalls[-1]:.1f}; construction → first rows; target < {STALL_TARGET_MS} ms)")
        print(f"opening, GUI CPU time:   {statistics.median(o.stall_cpu_ms for o in opened):8.1f} ms  median of the "
              f"most the GUI thread computed between two heartbeats (what the stalls are on an idle machine)")
        print(f"opening, first rows:     {statistics.median(o.first_rows_ms for o in opened):8.1f} ms  median")
        print(f"opening, until settled:  {statistics.median(o.settled_stall_ms for o in opened):8.1f} ms  longest stall, "
              f"median (count, chart, event list and detail in: {statistics.median(o.settled_ms for o in opened):.0f} ms)")
        if args.no_scroll:
            return 0 if statistics.median(stalls) < STALL_TARGET_MS else 1

    app = application()
    page, opening = open_measured(app, app_dir, args.page_size)
    count_ms = opening.settled_ms
    heartbeat = Heartbeat()
    heartbeat.start()
    latencies, total_s = scroll_to_end(app, page)
    scroll_stall, scroll_cpu = heartbeat.longest, heartbeat.longest_cpu
    gaps = sorted(heartbeat.gaps)
    heartbeat.stop()
    page.shutdown()
    if args.scroll_only:
        print(json.dumps({"scroll_stall_ms": scroll_stall}))
        return 0 if scroll_stall <= STALL_TARGET_MS else 1
    deep = latencies[-20:]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"first page shown:        {opening.first_rows_ms:8.1f} ms  (page opened → first {page.model.page_size} rows)")
    print(f"count shown:             {count_ms:8.1f} ms  ({page.count:,} records, in the background, with the chart)")
    print(f"page latency, median:    {statistics.median(latencies):8.1f} ms  over {len(latencies):,} pages")
    print(f"page latency, p95:       {latencies and sorted(latencies)[int(len(latencies) * 0.95) - 1]:8.1f} ms")
    print(f"deep page latency:       {statistics.median(deep):8.1f} ms  (median of the last {len(deep)} pages, "
          f"rows {page.model.rowCount() - len(deep) * page.model.page_size:,}+)")
    print(f"scrolled to the end:     {total_s:8.1f} s   ({page.model.rowCount():,} rows loaded)")
    print(f"longest GUI stall:       {scroll_stall:8.1f} ms  while scrolling (heartbeat p99 "
          f"{gaps[int(len(gaps) * 0.99)]:.1f} ms; most GUI CPU time in one: {scroll_cpu:.1f} ms; "
          f"target ≤ {STALL_TARGET_MS} ms)")
    over = sum(1 for gap in gaps if gap > STALL_TARGET_MS)
    print(f"stalls over {STALL_TARGET_MS} ms:       {over:8d}     of {len(gaps):,} heartbeats")
    print(f"peak memory (RSS):       {rss_mb:8.0f} MB")
    return 0 if scroll_stall <= STALL_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
