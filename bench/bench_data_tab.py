"""Benchmark of a model page's Data tab at a million rows.

Seeds a copy of the example shop app with N orders (once per folder: a folder that already holds N orders is
reused), starts its data session (`jitstudio data DIR session`, a runtime process) through a QtDataClient and
shows a QtDataTab for models.Order, built directly on that client, offscreen. It reports:

- session start-up: the process started → its ready notice (`sig_ready`), on its own;
- first page on screen: `tab.load()` on a shown tab (the session already ready) → the first page's rows in the
  table and painted (one repaint); the first tab of the session, then the median over fresh tabs;
- first and deep page round trips: a `page` request through the client → its answer's callback, the deep one
  starting after the keyset position of the row 90 % deep, median of --pages each; in primary key order (the
  tab's own order), and (extra, not in the issue) sorted by Amount, a column without an index;
- the longest GUI-thread stall while the whole table is scrolled: the view scrolled to the bottom again and
  again until every row is loaded (or --scroll-rows / --scroll-seconds), stalls measured by a 5 ms heartbeat
  timer (its longest gap minus 5 ms) in a 1400x880 window, beside the most CPU time the GUI thread spent in one
  gap (the stall on an idle machine); also rows loaded per second and page latencies;
- one in-place edit to "what fired" shown: `setData` of an order's Status cell to "paid" (OrderStatusAudit
  runs in the write, OrderPaidNotify after it, async) → the strip under the table shown with the write's
  executions, median of --edits edits on different rows of a fresh tab; again (extra) on rows deep in the
  scrolled table, and the time until the async execution is shown too.

    QT_QPA_PLATFORM=offscreen python bench/bench_data_tab.py [--rows 1000000] [--dir DIR] [--runs 5]
        [--pages 20] [--edits 10] [--scroll-rows N] [--scroll-seconds S] [--no-scroll]

The seeded app is kept in DIR (default: a folder per row count under the temp dir) so later runs skip the
seeding. Exits 1 when a target is missed. `rows()` gives the figures as (name, median_s, best_s, target_s) rows,
for a script that runs every bench.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import case, delete, func, insert, select, update

from jitstudio.qt.data.client import QtDataClient
from jitstudio.qt.data.rows_model import PAGE_ROWS
from jitstudio.qt.data.tab import QtDataTab
from jitstudio.qt.theme import apply_theme
from jitstudio.runtime import Runtime
from jitstudio.runtime.values import to_json

from _heartbeat import Heartbeat

SHOP = REPO / "jitstudio" / "examples" / "shop"
MODEL = "models.Order"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "jitstudio-data-tab-bench"
SEED_BATCH = 20_000
DEEP = 0.9  # how deep the deep page starts, as a share of the rows
FIRST_PAGE_TARGET_MS = 150
DEEP_PAGE_TARGET_MS = 50
STALL_TARGET_MS = 50
EDIT_TARGET_MS = 300
STATUSES = ["draft", "paid", "shipped", "refunding", "refunded", "cancelled"]
WINDOW = (1400, 880)
PROGRESS_ROWS = 100_000  # a line on stderr each time scrolling passes this many more rows


# -- the app and its rows ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Positions:
    """Keyset positions (as the session's `after`) of the row DEEP into the table, per order."""
    by_pk: list
    by_amount: list
    depth: int


def copy_shop(app_dir: Path) -> None:
    """The shop app's files as they are in this checkout; the folder's database (.jitstudio) is kept."""
    app_dir.mkdir(parents=True, exist_ok=True)
    for child in app_dir.iterdir():
        if child.name != ".jitstudio":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(SHOP, app_dir, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"), dirs_exist_ok=True)


def open_runtime(app_dir: Path) -> Runtime:
    try:
        return Runtime(app_dir, async_worker=False)
    except Exception as exc:  # noqa: BLE001 - a database from an older shop schema: start it again
        print(f"the kept database cannot be opened ({exc}); seeding again", file=sys.stderr)
        shutil.rmtree(app_dir / ".jitstudio", ignore_errors=True)
        return Runtime(app_dir, async_worker=False)


def seed(rt: Runtime, count: int, products: int = 3) -> None:
    order = rt.model_tables[MODEL].table
    product = rt.model_tables["models.Product"].table
    rnd = random.Random(7)
    base = datetime.datetime(2026, 1, 1)
    with rt.engine.begin() as conn:
        conn.execute(delete(order))
        conn.execute(delete(product))
        batch = []
        for i in range(1, count + 1):
            when = base + datetime.timedelta(minutes=i)
            batch.append({"orderNo": f"SO{i:08d}", "customerId": rnd.randint(1, 500), "status": STATUSES[i % 6],
                          "amount": round(rnd.uniform(1, 999), 2), "note": None if i % 5 else f"note {i}",
                          "createdAt": when, "updatedAt": when})
            if len(batch) == SEED_BATCH:
                conn.execute(insert(order), batch)
                batch = []
        if batch:
            conn.execute(insert(order), batch)
        conn.execute(insert(product), [{"name": f"Product {i}", "sku": f"SKU-{i}", "price": 10 * i, "stock": 5 * i,
                                        "active": True} for i in range(1, products + 1)])


def unedit(rt: Runtime) -> None:
    """Give the orders the status they were seeded with again (the last run's edits set some to "paid")."""
    order = rt.model_tables[MODEL].table
    seeded = case({n: status for n, status in enumerate(STATUSES)}, value=order.c.id % len(STATUSES))
    with rt.engine.begin() as conn:
        conn.execute(update(order).where(order.c.status != seeded).values(status=seeded))


def prepare_app(app_dir: Path, count: int) -> tuple[float, Positions]:
    """Seconds spent seeding (0 when the folder already held `count` orders), and the deep keyset positions."""
    copy_shop(app_dir)
    rt = open_runtime(app_dir)
    try:
        order = rt.model_tables[MODEL].table
        with rt.engine.connect() as conn:
            have = conn.execute(select(func.count()).select_from(order)).scalar_one()
        seconds = 0.0
        if have != count:
            started = time.perf_counter()
            seed(rt, count)
            seconds = time.perf_counter() - started
        else:
            unedit(rt)
        depth = max(1, int(count * DEEP))
        with rt.engine.connect() as conn:
            pk = conn.execute(select(order.c.id).order_by(order.c.id).offset(depth - 1).limit(1)).scalar_one()
            by_amount = conn.execute(select(order.c.amount, order.c.id)
                                     .order_by(order.c.amount.is_(None), order.c.amount, order.c.id)
                                     .offset(depth - 1).limit(1)).one()
        return seconds, Positions([None, pk], to_json(list(by_amount)), depth)
    finally:
        rt.close()


# -- the GUI side --------------------------------------------------------------------------------------------

def application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qInstallMessageHandler(lambda _kind, _context, text: None if "propagateSizeHints" in text else print(text))
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    apply_theme(app, dark=False)
    return app


def wait_until(condition: Callable[[], object], timeout_s: float, what: str) -> None:
    """Process events until `condition()` holds; each return of processEvents is checked at once, so a wait
    adds no polling delay to what it times."""
    waker = QTimer(interval=50)  # WaitForMoreEvents returns at least this often, for the deadline
    waker.start()
    deadline = time.perf_counter() + timeout_s
    try:
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{what}: not within {timeout_s:.0f} s")
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        waker.stop()


def settle(seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, seconds + 5, "settling")


def start_session(app_dir: Path) -> tuple[QtDataClient, float]:
    """A ready data session on `app_dir`, and the ms from its process start to its ready notice."""
    client = QtDataClient(app_dir)
    ready: list[float] = []
    client.sig_ready.connect(lambda _models: ready.append(time.perf_counter()))
    client.sig_output.connect(lambda text: print(f"[session] {text.rstrip()}", file=sys.stderr) if text.strip() else None)
    started = time.perf_counter()
    client.start()
    wait_until(lambda: ready, 120, "the data session's ready notice")
    return client, (ready[0] - started) * 1000


def shown_tab(client: QtDataClient) -> QtDataTab:
    tab = QtDataTab(client, MODEL)
    tab.resize(*WINDOW)
    tab.show()
    settle(0.2)
    return tab


def counted(tab: QtDataTab) -> bool:
    return not tab.cancel_count.isVisibleTo(tab)


@dataclass
class FirstPage:
    ms: float
    count_ms: float  # load → the row count shown (counted in the background)
    stall_ms: float  # the longest GUI stall in that time
    stall_cpu_ms: float  # the most GUI-thread CPU time in one heartbeat gap then


def first_page_on_screen(client: QtDataClient, tab: QtDataTab) -> FirstPage:
    """tab.load() → its first page in the table and painted; then until the count is in."""
    heartbeat = Heartbeat()
    heartbeat.start()
    started = time.perf_counter()
    tab.load()
    wait_until(lambda: tab.rows is not None and tab.rows.rows, 60, "the first page")
    tab.table.viewport().repaint()
    ms = (time.perf_counter() - started) * 1000
    wait_until(lambda: counted(tab), 300, "the row count")
    count_ms = (time.perf_counter() - started) * 1000
    heartbeat.stop()
    return FirstPage(ms, count_ms, heartbeat.longest_stall, heartbeat.longest_cpu)


def close_tab(tab: QtDataTab) -> None:
    tab.close()
    tab.deleteLater()
    QApplication.sendPostedEvents(None, 0)


def page_round_trip(client: QtDataClient, after: list | None, order: dict) -> float:
    """ms from a `page` request to its answer's callback."""
    answered: list[tuple[float, dict]] = []
    started = time.perf_counter()
    client.request("page", lambda answer: answered.append((time.perf_counter(), answer)), model=MODEL, filter=None,
                   order=order, after=after, limit=PAGE_ROWS)
    wait_until(lambda: answered, 120, "a page's answer")
    at, answer = answered[0]
    if not answer.get("ok") or not answer.get("rows"):
        raise RuntimeError(f"the page request failed: {answer}")
    return (at - started) * 1000


@dataclass
class PageTimes:
    first_ms: list[float]
    deep_ms: list[float]


def page_times(client: QtDataClient, after: list, order: dict, count: int) -> PageTimes:
    """`count` first and deep pages, alternating, after one unmeasured warm-up of each."""
    page_round_trip(client, None, order)
    page_round_trip(client, after, order)
    times = PageTimes([], [])
    for _ in range(count):
        times.first_ms.append(page_round_trip(client, None, order))
        times.deep_ms.append(page_round_trip(client, after, order))
    return times


@dataclass
class Scroll:
    rows: int
    seconds: float
    stall_ms: float
    stall_cpu_ms: float
    p99_stall_ms: float
    stalls_over_target: int
    heartbeats: int
    page_ms: list[float] = field(default_factory=list)
    complete: bool = False

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def scroll_through(tab: QtDataTab, max_rows: int | None, max_seconds: float) -> Scroll:
    """Scroll the view to the bottom again and again, as a user holding the scroll bar there, until every row is
    loaded (or `max_rows` / `max_seconds`); the next scroll follows each page at once."""
    model, bar = tab.rows, tab.table.verticalScrollBar()
    assert model is not None
    limit = max_rows or sys.maxsize
    asked: list[float] = []
    page_ms: list[float] = []

    def loaded(count: int) -> None:
        if asked:
            page_ms.append((time.perf_counter() - asked.pop()) * 1000)
        if count % PROGRESS_ROWS < PAGE_ROWS:
            print(f"scrolling: {count:,} rows after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        QTimer.singleShot(0, step)

    def step() -> None:
        if model.is_loading() or model.fully_loaded() or len(model.rows) >= limit:
            return
        asked.clear()
        asked.append(time.perf_counter())
        if bar.value() == bar.maximum():
            model.fetchMore()
        else:
            bar.setValue(bar.maximum())
        if not model.is_loading():
            asked.clear()

    started = time.perf_counter()
    model.sig_loaded.connect(loaded)
    nudge = QTimer(interval=10)  # when a page came in through the view's own fetchMore, not a step
    nudge.timeout.connect(step)
    heartbeat = Heartbeat()
    heartbeat.start()
    nudge.start()
    step()
    try:
        wait_until(lambda: model.fully_loaded() or len(model.rows) >= limit
                   or time.perf_counter() - started > max_seconds, max_seconds + 120, "scrolling")
        wait_until(lambda: not model.is_loading(), 120, "the last page")
    finally:
        seconds = time.perf_counter() - started
        nudge.stop()
        heartbeat.stop()
        model.sig_loaded.disconnect(loaded)
    return Scroll(len(model.rows), seconds, heartbeat.longest_stall, heartbeat.longest_cpu, heartbeat.percentile_stall(0.99),
                  heartbeat.stalls_over(STALL_TARGET_MS), len(heartbeat.gaps), page_ms, model.fully_loaded())


@dataclass
class Edits:
    shown_ms: list[float]  # setData → the strip shown with the write's sync executions
    settled_ms: list[float]  # setData → the strip no longer waiting (the async execution shown too)
    stall_ms: float
    stall_cpu_ms: float
    executions_shown: int


def edit_rows(tab: QtDataTab, numbers: list[int]) -> Edits:
    """Set the Status of each row number to "paid", one edit at a time."""
    model, strip = tab.rows, tab.strip
    assert model is not None
    column = next(n for n, f in enumerate(model.fields) if f["name"] == "status")
    edits = Edits([], [], 0.0, 0.0, 0)
    heartbeat = Heartbeat()
    heartbeat.start()
    for number in numbers:
        strip.hide()
        strip.request = ""
        strip.tree.clear()
        started = time.perf_counter()
        if not model.setData(model.index(number, column), "paid"):
            raise RuntimeError(f"row {number} was not edited (already paid?)")
        wait_until(lambda: strip.isVisible() and strip.tree.topLevelItemCount() > 0, 60, "what the edit fired")
        edits.shown_ms.append((time.perf_counter() - started) * 1000)
        edits.executions_shown = strip.tree.topLevelItemCount()
        if tab.message.isVisible():
            raise RuntimeError(f"the edit was refused: {tab.message.text()}")
        wait_until(lambda: "waiting for async" not in strip.title.text(), 120, "the edit's async executions")
        edits.settled_ms.append((time.perf_counter() - started) * 1000)
    heartbeat.stop()
    edits.stall_ms, edits.stall_cpu_ms = heartbeat.longest_stall, heartbeat.longest_cpu
    return edits


def unpaid_rows(tab: QtDataTab, first: int, count: int) -> list[int]:
    """Row numbers from `first` on, spread out, whose status is not "paid" yet."""
    assert tab.rows is not None
    rows = tab.rows.rows
    numbers = [n for n in range(first, len(rows)) if rows[n].get("status") != "paid"]
    step = max(1, len(numbers) // count)
    return numbers[::step][:count]


# -- the figures ---------------------------------------------------------------------------------------------

@dataclass
class Figure:
    name: str
    values_ms: list[float]
    target_ms: float | None
    in_issue: bool = False  # one of the issue's four figures (the exit status and `rows()` go by these)

    @property
    def median(self) -> float:
        return statistics.median(self.values_ms)

    @property
    def best(self) -> float:
        return min(self.values_ms)

    def met(self) -> bool | None:
        return None if self.target_ms is None else self.median < self.target_ms


@dataclass
class Result:
    figures: list[Figure]  # the issue's figures first, then the extra ones
    notes: list[str]


def measure(app_dir: Path, count: int, runs: int, pages: int, edits: int, scroll_rows: int | None,
            scroll_seconds: float, scroll: bool) -> Result:
    seeded, positions = prepare_app(app_dir, count)
    notes = [f"{count:,} orders " + (f"seeded in {seeded:.1f} s" if seeded else f"(reused, {app_dir})")]
    application()
    client, startup_ms = start_session(app_dir)
    try:
        return _measure(client, positions, startup_ms, runs, pages, edits, scroll_rows, scroll_seconds, scroll, notes)
    finally:
        client.stop()


def _measure(client: QtDataClient, positions: Positions, startup_ms: float, runs: int, pages: int, edits: int,
             scroll_rows: int | None, scroll_seconds: float, scroll: bool, notes: list[str]) -> Result:
    firsts: list[FirstPage] = []
    tab = shown_tab(client)
    firsts.append(first_page_on_screen(client, tab))
    for _ in range(runs - 1):
        close_tab(tab)
        tab = shown_tab(client)
        firsts.append(first_page_on_screen(client, tab))
    notes.append(f"first page on screen: the session's first tab {firsts[0].ms:.1f} ms, then "
                 + ", ".join(f"{f.ms:.1f}" for f in firsts[1:]) + " ms; longest GUI stall until the count was in "
                 f"{max(f.stall_ms for f in firsts):.1f} ms (GUI CPU time {max(f.stall_cpu_ms for f in firsts):.1f} ms); "
                 f"count shown after {statistics.median(f.count_ms for f in firsts):.0f} ms (median; label: "
                 f"{tab.count_label.text()})")

    by_pk = page_times(client, positions.by_pk, {"field": None, "descending": False}, pages)
    by_amount = page_times(client, positions.by_amount, {"field": "amount", "descending": False}, max(3, pages // 4))
    fresh_edits = edit_rows(tab, unpaid_rows(tab, 0, edits))
    notes.append(f"edits on a fresh tab: {fresh_edits.executions_shown} execution(s) shown after the last edit, longest "
                 f"GUI stall {fresh_edits.stall_ms:.1f} ms (GUI CPU time {fresh_edits.stall_cpu_ms:.1f} ms)")

    depth = f"{positions.depth:,} deep"
    figures = [
        Figure("first page on screen (tab.load → rows painted)", [f.ms for f in firsts], FIRST_PAGE_TARGET_MS, True),
        Figure(f"deep page round trip ({depth}, by ID)", by_pk.deep_ms, DEEP_PAGE_TARGET_MS, True),
    ]
    scrolled = scroll_through(tab, scroll_rows, scroll_seconds) if scroll else None
    if scrolled is not None:
        covered = "" if scrolled.complete else f" ({scrolled.rows:,} rows)"
        figures += [Figure(f"longest GUI stall scrolling{covered}", [scrolled.stall_ms], STALL_TARGET_MS, True),
                    Figure("  the most GUI-thread CPU time in one of its gaps", [scrolled.stall_cpu_ms], None)]
    figures += [
        Figure("edit → what fired shown (fresh tab)", fresh_edits.shown_ms, EDIT_TARGET_MS, True),
        Figure("session start-up (process → ready)", [startup_ms], None),
        Figure("first page round trip (by ID)", by_pk.first_ms, None),
        Figure("first page round trip (by Amount, no index)", by_amount.first_ms, None),
        Figure(f"deep page round trip ({depth}, by Amount, no index)", by_amount.deep_ms, DEEP_PAGE_TARGET_MS),
    ]
    if scrolled is not None:
        notes.append(f"scrolled {scrolled.rows:,} rows in {scrolled.seconds:.1f} s ({scrolled.rows_per_s:,.0f} rows/s"
                     f"{'' if scrolled.complete else ', stopped before the end'}); page latency median "
                     f"{statistics.median(scrolled.page_ms or [0]):.1f} ms, last 20 pages "
                     f"{statistics.median(scrolled.page_ms[-20:] or [0]):.1f} ms; stall p99 {scrolled.p99_stall_ms:.1f} ms, "
                     f"{scrolled.stalls_over_target} of {scrolled.heartbeats:,} heartbeats over {STALL_TARGET_MS} ms")
        if scrolled.page_ms:
            figures.append(Figure("page while scrolling (fetchMore → rows in)", scrolled.page_ms, None))
        deep_edits = edit_rows(tab, unpaid_rows(tab, max(0, scrolled.rows - 2000), max(3, edits // 2)))
        figures.append(Figure(f"edit → what fired shown ({scrolled.rows:,} rows loaded, rows near the end)",
                              deep_edits.shown_ms, EDIT_TARGET_MS))
        notes.append(f"edits with {scrolled.rows:,} rows loaded: longest GUI stall {deep_edits.stall_ms:.1f} ms "
                     f"(GUI CPU time {deep_edits.stall_cpu_ms:.1f} ms)")
    figures.append(Figure("edit → async execution shown too (fresh tab)", fresh_edits.settled_ms, None))
    notes.append(f"peak memory (RSS) of the IDE process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    close_tab(tab)
    return Result(figures, notes)


def shown(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def table(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':<{width}}  {'median':>10}  {'best':>10}  {'n':>4}  {'target':>9}  met",
             "-" * (width + 48)]
    for f in figures:
        target = f"< {f.target_ms:.0f} ms" if f.target_ms is not None else ""
        met = {True: "yes", False: "NO", None: ""}[f.met()]
        lines.append(f"{f.name:<{width}}  {shown(f.median):>10}  {shown(f.best):>10}  {len(f.values_ms):>4}  "
                     f"{target:>9}  {met}")
    return "\n".join(lines)


def rows(table_rows: int = 1_000_000, app_dir: Path | None = None, runs: int = 5, pages: int = 20, edits: int = 10,
         scroll_rows: int | None = None, scroll_seconds: float = 1800) -> list[tuple[str, float, float, float | None]]:
    """(name, median_s, best_s, target_s) rows: the issue's four figures and session start-up."""
    app_dir = app_dir or DEFAULT_DIR / str(table_rows)
    result = measure(app_dir, table_rows, runs, pages, edits, scroll_rows, scroll_seconds, True)
    label = f"{table_rows:,} rows"
    return [(f"data tab: {f.name} ({label})", f.median / 1000, f.best / 1000,
             None if f.target_ms is None else f.target_ms / 1000)
            for f in result.figures if f.in_issue or f.name.startswith("session start-up")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="orders in the table")
    parser.add_argument("--dir", type=Path, help="app folder to seed and keep (default: one per row count in the "
                        "temp dir); reused when it holds --rows orders")
    parser.add_argument("--runs", type=int, default=5, help="fresh tabs whose first page is timed")
    parser.add_argument("--pages", type=int, default=20, help="first and deep page round trips")
    parser.add_argument("--edits", type=int, default=10, help="in-place edits timed")
    parser.add_argument("--scroll-rows", type=int, help="stop scrolling after this many rows (default: all)")
    parser.add_argument("--scroll-seconds", type=float, default=1800, help="stop scrolling after this long")
    parser.add_argument("--no-scroll", action="store_true", help="skip scrolling through the table")
    args = parser.parse_args()
    app_dir = args.dir or DEFAULT_DIR / str(args.rows)
    result = measure(app_dir, args.rows, args.runs, args.pages, args.edits, args.scroll_rows, args.scroll_seconds,
                     not args.no_scroll)
    for note in result.notes:
        print(note)
    print()
    print(table(result.figures))
    return 0 if all(f.met() is not False for f in result.figures if f.in_issue) else 1


if __name__ == "__main__":
    sys.exit(main())
