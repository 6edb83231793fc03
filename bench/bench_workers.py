"""Async events drained by `jitstudio worker` processes, side by side in one run.

    python bench/bench_workers.py [--pg URL] [--events N] [--slow-events M] [--workers 1,2,4]

For each queue (procrastinate on PostgreSQL when --pg or $JITSTUDIO_TEST_PG_URL names a server; the embedded
outbox on SQLite always) and each worker count, the workers are started and ready first, then the events are
queued in one transaction, and the time from that commit until none is left is measured. Printed: events per
second for no-op handlers and for 50 ms handlers (each worker runs one event at a time), and the speed-up
over one worker. Target: 2 workers >= 1.8x one worker on 50 ms handlers.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from jitstudio.runtime import Runtime  # noqa: E402

HANDLERS = {
    "Noop": "def customFunc(eventOutData):\n    return None\n",
    "Slow": "import time\n\n\ndef customFunc(eventOutData):\n    time.sleep(0.05)\n",
}


def write_app(root: Path) -> Path:
    def put(path: Path, body: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")

    put(root / "app.json", json.dumps({"name": "benchw", "title": "bench", "runtime": {}}))
    for name, handler in HANDLERS.items():
        put(root / "models" / name / "e.json", json.dumps({"title": name, "type": "models.NormalType"}))
        put(root / "models" / name / "model.py", "from datatypes.Meta import datatypes\nfrom models.NormalType import NormalModel\n\n\n"
            f"class {name}(NormalModel):\n    id = datatypes.AutoInt(name=\"id\", primaryKey=1)\n    name = datatypes.Stext(name=\"name\")\n")
        put(root / "events" / f"On{name}" / "e.json", json.dumps({
            "title": name, "type": "events.ModelType", "sender": f"models.{name}", "operate": "AddAfter",
            "funcType": "Inner", "enable": 1, "asyncType": True}))
        put(root / "events" / f"On{name}" / "inner.py", handler)
        put(root / "events" / f"On{name}" / "__init__.py", "from .inner import customFunc\n")
    return root


def start_workers(app: Path, env: dict, count: int) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-m", "jitstudio", "worker", str(app), "--concurrency", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(count)]
    for proc in procs:
        line = proc.stdout.readline()
        if not line.startswith('{"event": "worker"'):
            raise SystemExit(f"a worker did not start: {line}{proc.stderr.read()}")
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.communicate(timeout=60)


def rate(rt: Runtime, model: str, events: int) -> float:
    api = rt.app.models.__getattr__(model)
    with rt.transaction():
        for n in range(events):
            api.create({"name": f"e{n}"})
    started = time.perf_counter()
    while rt.pending_async():
        time.sleep(0.01)
    return events / (time.perf_counter() - started)


def fresh_database(server: str) -> str:
    name = f"benchw_{uuid.uuid4().hex[:8]}"
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return server.rsplit("/", 1)[0] + "/" + name


def bench_queue(label: str, app: Path, db: str | None, worker_counts: list[int], sizes: dict[str, int]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JITSTUDIO_DB_URL"}
    if db:
        env["JITSTUDIO_DB_URL"] = db
    with Runtime(app, db, async_worker=False) as rt:
        base: dict[str, float] = {}
        for count in worker_counts:
            procs = start_workers(app, env, count)
            try:
                cells = []
                for model, events in sizes.items():
                    per_second = rate(rt, model, events)
                    base.setdefault(model, per_second)
                    cells.append(f"{per_second:8.0f}/s ({per_second / base[model]:.2f}x)")
            finally:
                stop_workers(procs)
            print(f"{label:<28} {count} worker{'s' if count > 1 else ' '}   no-op {cells[0]}   50 ms {cells[1]}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("JITSTUDIO_TEST_PG_URL"), help="a PostgreSQL server URL")
    parser.add_argument("--events", type=int, default=1000, help="no-op events per measurement")
    parser.add_argument("--slow-events", type=int, default=120, help="50 ms events per measurement")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    sizes = {"Noop": args.events, "Slow": args.slow_events}
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg:
            bench_queue("procrastinate (PostgreSQL)", write_app(Path(tmp) / "pg"), fresh_database(args.pg), counts, sizes)
        bench_queue("outbox (SQLite)", write_app(Path(tmp) / "sqlite"), None, counts, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
