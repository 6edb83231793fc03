"""Execution records at scale, and the cost of recording an execution.

    python bench/bench_records.py [--records 1000000] [--db URL] [--keep DIR]

1. Generates the records (bulk insert) and reports the rate.
2. A page of 100 (newest first) at depth 0 and at the deepest page, for each filter, side by side:
   median latency and the deep/first ratio (target: <= 2x and under 5 ms).
3. Count, chart buckets and percentiles over the whole filtered set (the browser runs these in the background).
4. Pruning throughput (batches of 500).
5. run_recorded vs calling a small app handler bare (with and without the line tracer), including the
   background commit of the records.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jitstudio.runtime.records.schema import records_table as T  # noqa: E402
from jitstudio.runtime.records.synth import synthetic_rows  # noqa: E402
from jitstudio.runtime.execution import run_recorded  # noqa: E402
from jitstudio.runtime.records import Cursor, Filters, RecordStore  # noqa: E402

FILTERS = {
    "none": {},
    "event": {"event": "events.Event03"},
    "status=fail": {"status": "fail"},
    "event+status": {"event": "events.Event03", "status": "fail"},
    "event+since": {"event": "events.Event03", "since": time.time() - 20 * 86_400},
}


def median_ms(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def deepest_cursor(store: RecordStore, filters: dict) -> tuple[Cursor | None, int]:
    """The cursor after which exactly the last 100 matching records remain, and how deep that is."""
    f = Filters(**filters)
    stmt = select(T.c.started_at, T.c.id).where(*f.clauses()).order_by(T.c.started_at, T.c.id).offset(100).limit(1)
    with store._db.read() as conn:
        row = conn.execute(stmt, f.params()).first()
    total = store.count(**filters)
    return (Cursor(row.started_at, row.id) if row else None), total - 100


def bench_pages(store: RecordStore, repeat: int) -> None:
    print(f"\n{'filter':<14}{'depth':>10}{'first page':>13}{'deep page':>12}{'ratio':>8}{'deep full':>12}")
    for name, filters in FILTERS.items():
        cursor, depth = deepest_cursor(store, filters)
        first = median_ms(lambda: store.page(**filters, limit=100, full=False), repeat)
        deep = median_ms(lambda: store.page(**filters, after=cursor, limit=100, full=False), repeat)
        deep_full = median_ms(lambda: store.page(**filters, after=cursor, limit=100), repeat // 2)
        print(f"{name:<14}{depth:>10,}{first:>11.2f}ms{deep:>10.2f}ms{deep / first:>7.2f}x{deep_full:>10.2f}ms")


def bench_aggregates(store: RecordStore) -> None:
    print(f"\n{'filter':<14}{'count':>12}{'count ms':>10}{'histogram ms':>14}{'p50/p95 ms':>12}")
    for name, filters in FILTERS.items():
        t0 = time.perf_counter()
        n = store.count(**filters)
        counted = (time.perf_counter() - t0) * 1000
        f = Filters(**filters)
        hist = median_ms(lambda: store.histogram(f, buckets=60), 3)
        pct = median_ms(lambda: store.duration_percentiles(f), 3)
        print(f"{name:<14}{n:>12,}{counted:>10.1f}{hist:>14.1f}{pct:>12.1f}")


def bench_prune(store: RecordStore, n: int) -> None:
    keep = n - min(100_000, n // 10)
    t0 = time.perf_counter()
    deleted = store.prune(max_count=keep, batch=500)
    elapsed = time.perf_counter() - t0
    rate = deleted / elapsed
    print(f"\nprune to the newest {keep:,}: {deleted:,} deleted in {elapsed:.2f} s = {rate:,.0f} records/s")


HANDLER = """
    from services.Prices.service import total


    def customFunc(order):
        items = order["items"]
        amount = total(items)
        if amount > 1000:
            raise ValueError("too much")
        return {"amount": amount, "count": len(items)}
"""
SERVICE = """
    def total(items):
        amount = 0
        for item in items:
            amount += item["price"] * item["qty"]
        return amount
"""


def bench_overhead(app: Path, store: RecordStore, rounds: int) -> None:
    for rel, source in (("events/Check/inner.py", HANDLER), ("services/Prices/service.py", SERVICE)):
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(textwrap.dedent(source))
    sys.path.insert(0, str(app))
    from events.Check.inner import customFunc  # type: ignore[import-not-found]

    order = {"id": 1, "items": [{"price": 3, "qty": 2}, {"price": 5, "qty": 1}, {"price": 1, "qty": 9}]}

    def bare():
        customFunc(order)

    def recorded(trace: bool):
        def run():
            run_recorded(store, event="events.Check", event_type="events.ModelType", sender="models.Order",
                         operate="AddAfter", input=order, call=lambda: customFunc(order), app_dir=app, trace=trace)
        return run

    def per_call_us(fn) -> tuple[float, float]:
        """(wall, CPU) microseconds per call; CPU counts every thread of the process (the record writer)."""
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            fn()
        store.flush()
        return (time.perf_counter() - wall) / rounds * 1e6, (time.process_time() - cpu) / rounds * 1e6

    results: dict[str, list[tuple[float, float]]] = {"bare": [], "recorded": [], "recorded+traced": []}
    for _ in range(5):
        results["bare"].append(per_call_us(bare))
        results["recorded"].append(per_call_us(recorded(False)))
        results["recorded+traced"].append(per_call_us(recorded(True)))
    base_wall = statistics.median(w for w, _ in results["bare"])
    base_cpu = statistics.median(c for _, c in results["bare"])
    print(f"\nper execution of a 6-line handler calling a service ({rounds} calls x 5 rounds, interleaved;")
    print("records committed by the background writer, final flush included):")
    print(f"  {'':<16}{'wall us':>9}{'overhead':>10}{'cpu us':>9}{'overhead':>10}")
    for name, values in results.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"  {name:<16}{wall:>9.1f}{wall - base_wall:>10.1f}{cpu:>9.1f}{cpu - base_cpu:>10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--db", help="a SQLAlchemy URL (default: a SQLite file in a temporary app folder)")
    parser.add_argument("--keep", help="use this folder (reuses its records database when already filled)")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jitstudio-bench-records-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = RecordStore(args.db, app_dir=folder)
    print(f"database: {store.url if args.db else folder / '.jitstudio' / 'records.db'}")
    existing = store.count()
    if existing < args.records:
        t0 = time.perf_counter()
        written = store.insert_many(synthetic_rows(args.records - existing, end_us=None))
        elapsed = time.perf_counter() - t0
        print(f"generated {written:,} records in {elapsed:.1f} s ({written / elapsed:,.0f}/s)")
    with store._db.write() as conn:
        conn.exec_driver_sql("ANALYZE" if store.is_sqlite else f"ANALYZE {T.name}")
    total = store.count()
    print(f"records: {total:,}")
    bench_pages(store, args.repeat)
    bench_aggregates(store)
    bench_prune(store, total)
    bench_overhead(folder / "app", store, rounds=2000)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
