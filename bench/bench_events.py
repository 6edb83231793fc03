"""What events cost a write, measured side by side in one process (SQLite in a temporary app folder).

    python bench/bench_events.py [--writes N] [--rounds R] [--queued Q]

For each case, rounds of N writes without events and N writes with them alternate (so a change in the
machine's speed hits both sides alike); printed are the median time per write of each side over the rounds,
the ratio of the medians, and the ratio of CPU time (this process, all threads: it includes the execution
records written in the background). Then the sync case is taken apart in place (the execution-path tracer:
recording on the handler's thread, and building the path's tree and JSON when the record is written; the
execution record; and the rest: matching, the eventOutData, running the handler). Last, the drain rate of
queued no-op async events (median of 3 drains). The tracer backend in use is printed first (JITSTUDIO_TRACER
chooses it, see jitstudio/runtime/execution/tracing.py).

Targets: one sync no-op event with its record <= 1.2x; 100 events that do not match <= 1.05x; one async
event (outbox row) <= 1.3x; 10,000 queued no-op async events drain >= 2,000/s.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jitstudio.runtime import Runtime  # noqa: E402
from jitstudio.runtime.events.queue import model_event_ref  # noqa: E402
try:
    from jitstudio.runtime.execution.tracing import backend_in_use  # noqa: E402
except ImportError:  # code from before the tracer had backends (bench/run_all.py --before)
    def backend_in_use() -> str:
        return "settrace"
from jitstudio.runtime.records import RecordStore  # noqa: E402

FIELDS = 'name = datatypes.Stext(name="name")\n    qty = datatypes.Numeric(name="qty", decimal=0)\n    status = datatypes.Stext(name="status")'
NOOP = "def customFunc(eventOutData):\n    return None\n"


def write_app(root: Path) -> Path:
    def put(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    put(root / "app.json", json.dumps({"name": "bench", "title": "bench", "runtime": {}}))
    for model in ("Plain", "SyncOne", "AsyncOne", "Busy", "Other"):
        put(root / "models" / model / "e.json", json.dumps({"title": model, "type": "models.NormalType"}))
        put(root / "models" / model / "model.py", "from datatypes.Meta import datatypes\nfrom models.NormalType import NormalModel\n\n\n"
            f"class {model}(NormalModel):\n    id = datatypes.AutoInt(name=\"id\", primaryKey=1)\n    {FIELDS}\n")

    def event(name: str, **spec) -> None:
        put(root / "events" / name / "e.json", json.dumps({"title": name, "type": "events.ModelType", "funcType": "Inner",
                                                           "enable": 1, **spec}))
        put(root / "events" / name / "inner.py", NOOP)
        put(root / "events" / name / "__init__.py", "from .inner import customFunc\n")

    event("SyncNoop", sender="models.SyncOne", operate="AddAfter")
    event("AsyncNoop", sender="models.AsyncOne", operate="AddAfter", asyncType=True)
    operates = ("UpdateBefore", "UpdateAfter", "FieldUpdateAfter")
    for i in range(100):
        kind = i % 3
        if kind == 0:    # another model
            event(f"Other{i}", sender="models.Other", operate=operates[(i // 3) % 3])
        elif kind == 1:  # a field the write does not change
            event(f"Fields{i}", sender="models.Busy", operate=operates[(i // 3) % 3], fields=["qty"])
        else:            # a filter the row fails
            event(f"Filter{i}", sender="models.Busy", operate=operates[(i // 3) % 3], filter=f"Q(Q('status', '=', 'never{i}'))")
    return root


def timed(fn, n: int, settle=None) -> tuple[float, float]:
    """(wall, CPU) seconds per call of `fn(i)` over n calls; `settle()` runs inside the timing at the end."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        fn(i)
    if settle is not None:
        settle()
    return (time.perf_counter() - wall) / n, (time.process_time() - cpu) / n


def ratios(baseline, measured, writes: int, rounds: int, settle) -> tuple[float, float, float, float]:
    """(median seconds per write without events, with them, ratio of CPU medians, lowest ratio of one round)."""
    timed(baseline, writes // 4 or 1, settle)  # warm up caches and compiled statements on both sides
    timed(measured, writes // 4 or 1, settle)
    base, test = [], []
    for _ in range(rounds):
        base.append(timed(baseline, writes, settle))
        test.append(timed(measured, writes, settle))
    b, t = statistics.median(w for w, _ in base), statistics.median(w for w, _ in test)
    cpu = statistics.median(c for _, c in test) / statistics.median(c for _, c in base)
    return b, t, cpu, min(m[0] / n[0] for m, n in zip(test, base))


def compare(title: str, baseline, measured, writes: int, rounds: int, target: float, settle) -> bool:
    b, t, cpu, _lowest = ratios(baseline, measured, writes, rounds, settle)
    ratio = t / b
    ok = ratio <= target
    print(f"{title:<50} {b * 1e6:7.0f} us {t * 1e6:7.0f} us  {ratio:5.2f}x  {cpu:5.2f}x   <= {target}x  {'ok' if ok else 'MISSED'}")
    return ok


class _NoRecords:
    """Stands in for the record store to measure a write without its execution record (never in the app)."""

    def __init__(self) -> None:
        self.last = 0

    def begin(self, **_fields) -> int:
        self.last += 1
        return self.last

    def finish(self, *_args, **_fields) -> None:
        return None


def sync_breakdown(rt: Runtime, writes: int, rounds: int) -> None:
    """The sync case's extra time per write taken apart in place: the same write measured with its execution
    path recorded but not built (the record keeps "[]"), with the path switched off (rt.trace_paths), and then
    also without its record, side by side with the plain write. The differences are the tracer (recording on
    the handler's thread, and building the path's tree and JSON when the record is written), the record, and
    the rest (matching, eventOutData, running the handler, its outcome)."""
    models, row, records = rt.app.models, {"name": "n", "qty": 1, "status": "on"}, rt.records

    no_records = _NoRecords()

    def unbuilt_finish(record_id: int, **fields) -> None:
        if fields.get("steps_json") is not None:
            fields["steps_json"] = "[]"
        RecordStore.finish(records, record_id, **fields)

    def variant(trace: bool, record: bool, build: bool = True):
        def write(_i):
            rt.trace_paths = trace
            if not record:  # the store the dispatcher holds, with its writes switched off for this write
                records.begin, records.finish = no_records.begin, no_records.finish
            elif not build:
                records.finish = unbuilt_finish
            try:
                models.SyncOne.create(row)
            finally:
                rt.trace_paths = True
                records.__dict__.pop("begin", None), records.__dict__.pop("finish", None)
        return write

    sides = {"plain": lambda i: models.Plain.create(row), "bare": variant(False, False),
             "record": variant(False, True), "recorded": variant(True, True, build=False), "full": variant(True, True)}
    for fn in sides.values():
        timed(fn, writes // 4 or 1, records.flush)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, fn in sides.items():
            times[name].append(timed(fn, writes, records.flush)[0])
    m = {name: statistics.median(values) for name, values in times.items()}
    print(f"  of which (measured in place, median): execution-path tracer {(m['full'] - m['record']) * 1e6:.0f} us "
          f"(recording {(m['recorded'] - m['record']) * 1e6:.0f} us + building the path {(m['full'] - m['recorded']) * 1e6:.0f} us), "
          f"execution record {(m['record'] - m['bare']) * 1e6:.0f} us, matching + eventOutData + running the "
          f"handler {(m['bare'] - m['plain']) * 1e6:.0f} us")


def drain_rate(rt: Runtime, queued: int) -> float:
    row = {"id": 1, "name": "n", "qty": 1, "status": "on"}
    payload = {"args": [model_event_ref("models.AsyncOne", "AddAfter", {}, row)], "kwargs": {}, "chain": [],
               "parent": None, "request": None}
    with rt.transaction():
        for _ in range(queued):
            rt.queue.enqueue("events.AsyncNoop", "model", payload)
    started = time.perf_counter()
    rt.drain()
    rt.records.flush()
    return queued / (time.perf_counter() - started)


SYNC_TARGET, UNMATCHED_TARGET, ASYNC_TARGET = 1.2, 1.05, 1.3


def rows(writes: int = 300, rounds: int = 21) -> list[tuple[str, float, float, float]]:
    """(name, ratio of the medians, lowest ratio of one round, target) of the three write cases."""
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(write_app(Path(tmp) / "bench"), async_worker=False)
        models, row = rt.app.models, {"name": "n", "qty": 1, "status": "on"}
        busy_pk = models.Busy.create(row).id.value
        plain_pk = models.Plain.create(row).id.value
        cases = [
            (f"create + 1 sync no-op event and its record, vs no event ({backend_in_use()} tracer)",
             lambda i: models.Plain.create(row), lambda i: models.SyncOne.create(row), rt.records.flush, SYNC_TARGET),
            ("update + 100 events that do not match, vs no events",
             lambda i: models.Plain.updateByPK(plain_pk, {"name": f"n{i}"}),
             lambda i: models.Busy.updateByPK(busy_pk, {"name": f"n{i}"}), None, UNMATCHED_TARGET),
            ("create + 1 async event (its outbox row), vs no event",
             lambda i: models.Plain.create(row), lambda i: models.AsyncOne.create(row), None, ASYNC_TARGET),
        ]
        out = []
        for name, baseline, measured, settle, target in cases:
            b, t, _cpu, lowest = ratios(baseline, measured, writes, rounds, settle)
            out.append((name, t / b, lowest, target))
        rt.drain()
        rt.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--queued", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(write_app(Path(tmp) / "bench"), async_worker=False)
        models = rt.app.models
        row = {"name": "n", "qty": 1, "status": "on"}
        busy_pk = models.Busy.create(row).id.value
        plain_pk = models.Plain.create(row).id.value
        print(f"execution-path tracer backend: {backend_in_use()} (Python {sys.version.split()[0]})")
        print(f"{'case (median per write)':<50} {'no events':>10} {'events':>10}  {'ratio':>6} {'cpu':>6}   target")
        sync_ok = compare(
            "create + 1 sync no-op event (with its record)", lambda i: models.Plain.create(row),
            lambda i: models.SyncOne.create(row), args.writes, args.rounds, SYNC_TARGET, rt.records.flush)
        sync_breakdown(rt, args.writes, args.rounds)
        busy_ok = compare(
            "update + 100 events that do not match", lambda i: models.Plain.updateByPK(plain_pk, {"name": f"n{i}"}),
            lambda i: models.Busy.updateByPK(busy_pk, {"name": f"n{i}"}), args.writes, args.rounds, UNMATCHED_TARGET, None)
        async_ok = compare(
            "create + 1 async event (outbox row, run later)", lambda i: models.Plain.create(row),
            lambda i: models.AsyncOne.create(row), args.writes, args.rounds, ASYNC_TARGET, None)
        rt.drain()
        rate = statistics.median(drain_rate(rt, args.queued) for _ in range(3))
        drain_ok = rate >= 2000
        print(f"{f'drain {args.queued:,} queued no-op async events':<50} {rate:8.0f} per second (target >= 2,000) "
              f"{'ok' if drain_ok else 'MISSED'}")
        rt.close()
    return 0 if sync_ok and busy_ok and async_ok and drain_ok else 1


if __name__ == "__main__":
    sys.exit(main())
