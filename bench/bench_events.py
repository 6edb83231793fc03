"""What events cost a write, measured side by side in one process (SQLite in a temporary app folder).

    python bench/bench_events.py [--writes N] [--rounds R]

Prints, for each case, the best-of-rounds time per write with and without events and their ratio, then the drain
rate of queued async events. Targets: one sync no-op event with its record <= 1.3x; 100 events that do not
match <= 1.05x; one async event (outbox row) <= 1.3x; 10,000 queued no-op async events drain >= 2,000/s.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jitstudio.runtime import Runtime  # noqa: E402

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


def per_write(fn, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - started) / n


def compare(title: str, baseline, measured, writes: int, rounds: int, target: float) -> bool:
    per_write(baseline, writes // 4 or 1)  # warm up caches and compiled statements on both sides
    per_write(measured, writes // 4 or 1)
    base, test = [], []
    for _ in range(rounds):  # interleaved, so drift in the machine's speed hits both sides alike
        base.append(per_write(baseline, writes))
        test.append(per_write(measured, writes))
    # best of the rounds: what a write costs when nothing else competes for the machine
    b, t = min(base), min(test)
    ratio = t / b
    ok = ratio <= target
    print(f"{title:<58} {b * 1e6:8.0f} us  {t * 1e6:8.0f} us  {ratio:5.2f}x  (target <= {target}x) {'ok' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--queued", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(write_app(Path(tmp) / "bench"), async_worker=False)
        models = rt.app.models
        row = {"name": "n", "qty": 1, "status": "on"}
        busy_pk = models.Busy.create(row).id.value
        plain_pk = models.Plain.create(row).id.value
        print(f"{'case':<58} {'no events':>11}  {'events':>11}  ratio")
        results = [
            compare("create + 1 sync no-op event (with its record)", lambda i: models.Plain.create(row),
                    lambda i: models.SyncOne.create(row), args.writes, args.rounds, 1.3),
            compare("update + 100 events that do not match", lambda i: models.Plain.updateByPK(plain_pk, {"name": f"n{i}"}),
                    lambda i: models.Busy.updateByPK(busy_pk, {"name": f"n{i}"}), args.writes, args.rounds, 1.05),
            compare("create + 1 async event (outbox row, run later)", lambda i: models.Plain.create(row),
                    lambda i: models.AsyncOne.create(row), args.writes, args.rounds, 1.3),
        ]
        rt.drain()
        with rt.transaction() as conn:
            payload = {"args": [], "kwargs": {}, "chain": [], "parent": None, "request": None}
            for _ in range(args.queued):
                rt.outbox.add(conn, "events.AsyncNoop", "model", payload)
        started = time.perf_counter()
        rt.drain()
        rate = args.queued / (time.perf_counter() - started)
        ok = rate >= 2000
        print(f"{f'drain {args.queued:,} queued no-op async events':<58} {rate:8.0f} per second (target >= 2,000) {'ok' if ok else 'MISSED'}")
        rt.close()
    return 0 if all(results) and ok else 1


if __name__ == "__main__":
    sys.exit(main())
