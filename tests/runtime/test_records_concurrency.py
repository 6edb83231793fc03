"""Many writers at once: eight threads (and two processes) recording executions while others read and prune;
no record is lost, none is left running, and nobody sees "database is locked"."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from jitstudio.runtime.execution import run_recorded
from jitstudio.runtime.records import RecordStore

from _records_support import BACKENDS, make_store

THREADS = 8
PER_THREAD = 40
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    yield from make_store(request.param, tmp_path)


def test_eight_threads_record_nested_executions_while_readers_page(store, tmp_path):
    errors: list[BaseException] = []
    done = threading.Event()
    start = threading.Barrier(THREADS + 1)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                def child(i=i):
                    if i % 5 == 0:
                        raise ValueError(f"writer {n} item {i}")
                    return i

                def parent(i=i):
                    return run_recorded(store, event="events.Child", input={"n": n, "i": i}, call=child,
                                        app_dir=tmp_path).status

                run_recorded(store, event=f"events.W{n}", input={"n": n, "i": i}, call=parent, app_dir=tmp_path)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def reader() -> None:
        try:
            start.wait()
            while not done.is_set():
                page = store.page(status="fail", limit=20)
                for record in page.records:
                    assert record.status == "fail"
                store.count(event="events.Child")
                store.histogram(buckets=5)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    watcher = threading.Thread(target=reader)
    for t in threads + [watcher]:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()

    assert not errors, errors
    total = THREADS * PER_THREAD
    assert store.count() == 2 * total
    assert store.count(status="running") == 0
    assert store.count(event="events.Child", status="fail") == THREADS * (PER_THREAD // 5)
    for n in range(THREADS):
        parents = store.page(event=f"events.W{n}", limit=PER_THREAD + 1).records
        assert len(parents) == PER_THREAD
        for record in parents:
            [child] = store.children(record.id)
            assert child.input == record.input and child.request_id == record.request_id


def test_two_processes_and_their_threads_write_one_sqlite_file(tmp_path):
    script = textwrap.dedent(f"""
        import sys, threading
        sys.path.insert(0, {str(ROOT)!r})
        from jitstudio.runtime.records import RecordStore
        store = RecordStore(app_dir=sys.argv[1])
        def work(k):
            for i in range(100):
                rid = store.begin(event="events.P" + sys.argv[2], input={{"k": k, "i": i}})
                store.finish(rid, status="success", output=i)
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    """)
    RecordStore(app_dir=tmp_path).close()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(p)], stderr=subprocess.PIPE, text=True)
             for p in range(2)]
    with RecordStore(app_dir=tmp_path) as store:
        while any(p.poll() is None for p in procs):
            store.prune(max_count=10_000, batch=50)
            store.page(limit=50)
        failures = [p.stderr.read() for p in procs if p.wait() != 0]
        assert not failures, failures
        assert store.count(event="events.P0") == 400 and store.count(event="events.P1") == 400
        assert store.count(status="running") == 0
