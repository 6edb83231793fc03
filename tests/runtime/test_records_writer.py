"""Record writes are queued and committed in the background: other connections see them without a flush,
closing or exiting the process writes what is queued, and ids stay unique across stores and processes."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import select

from jitstudio.runtime.records.schema import records_table
from jitstudio.runtime.records import RecordStore

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_another_reader_sees_records_without_an_explicit_flush(tmp_path):
    with RecordStore(app_dir=tmp_path) as writer, RecordStore(app_dir=tmp_path) as reader:
        record_id = writer.begin(event="events.Live", input={"n": 1})
        assert wait_for(lambda: reader.count(status="running") == 1)
        writer.finish(record_id, status="success", output=2)
        assert wait_for(lambda: reader.count(status="success") == 1)
        assert reader.get(record_id).output == 2


def test_a_record_begun_and_finished_in_one_batch_is_written_once_finished(tmp_path):
    with RecordStore(app_dir=tmp_path) as store:
        record_id = store.begin(event="events.Quick", input=None)
        store.finish(record_id, status="fail", error="E: x", duration_ms=1.5)
        got = store.get(record_id)
        assert (got.status, got.error, got.duration_ms) == ("fail", "E: x", 1.5)
        assert store.count(status="running") == 0


def test_finishing_a_record_of_another_store_writes_directly(tmp_path):
    with RecordStore(app_dir=tmp_path) as first:
        record_id = first.begin(event="events.Shared", input=None)
        first.flush()
        with RecordStore(app_dir=tmp_path) as second:
            second.finish(record_id, status="success", output="done")
            assert second.get(record_id).status == "success"
        got = first.get(record_id)
        assert got.output == "done" and got.duration_ms >= 0


def test_close_writes_the_queue(tmp_path):
    store = RecordStore(app_dir=tmp_path)
    ids = [store.begin(event="events.Q", input=i) for i in range(50)]
    for record_id in ids[:25]:
        store.finish(record_id, status="success")
    store.close()
    with RecordStore(app_dir=tmp_path) as again:
        assert again.count() == 50 and again.count(status="success") == 25


def test_records_queued_when_the_process_exits_are_written(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from jitstudio.runtime.records import RecordStore
        store = RecordStore(app_dir=sys.argv[1])
        for i in range(20):
            store.finish(store.begin(event="events.Exit", input=i), status="success", output=i)
    """)
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=60)
    with RecordStore(app_dir=tmp_path) as store:
        assert store.count(event="events.Exit", status="success") == 20


def test_ids_are_unique_across_stores_and_bulk_inserts(tmp_path):
    with RecordStore(app_dir=tmp_path) as a, RecordStore(app_dir=tmp_path) as b:
        ids = []
        for i in range(300):
            ids.append(a.begin(event="events.A", input=i))
            ids.append(b.begin(event="events.B", input=i))
        a.insert_many({"event": "events.Bulk", "status": "success", "started_at": 1, "attempt": 1,
                       "is_async": False, "event_type": "", "sender": "", "operate": ""} for _ in range(100))
        a.flush()
        b.flush()
        with a._db.read() as conn:
            stored = list(conn.execute(select(records_table.c.id)).scalars())
        assert len(stored) == len(set(stored)) == 700
        assert set(ids) <= set(stored)


def test_running_records_of_a_process_that_died_are_failed(tmp_path):
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from jitstudio.runtime.records import RecordStore
        store = RecordStore(app_dir=sys.argv[1])
        store.begin(event="events.Killed", input=None)
        store.flush()
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=60)
    with RecordStore(app_dir=tmp_path) as store:
        mine = store.begin(event="events.Mine", input=None)
        assert store.fail_abandoned() == 1
        [killed] = store.page(event="events.Killed").records
        assert killed.status == "fail" and killed.error.startswith("Abandoned:")
        assert store.get(mine).status == "running"
        assert store.fail_abandoned() == 0


def test_a_database_from_before_a_column_was_added_is_upgraded(tmp_path):
    import sqlite3

    path = tmp_path / ".jitstudio" / "records.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE execution_records (id INTEGER PRIMARY KEY, event VARCHAR(255) NOT NULL,"
                     " event_type VARCHAR(64) NOT NULL, sender VARCHAR(255) NOT NULL, operate VARCHAR(64) NOT NULL,"
                     " status VARCHAR(16) NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT, duration_ms FLOAT,"
                     " input TEXT, output TEXT, error TEXT, traceback TEXT, steps TEXT, parent_id BIGINT,"
                     " root_id BIGINT, attempt INTEGER NOT NULL, is_async BOOLEAN NOT NULL, rerun_of BIGINT,"
                     " chain TEXT, request_id VARCHAR(64))")
        conn.execute("INSERT INTO execution_records VALUES (1, 'events.Old', '', '', '', 'success', 5, 6, 0.001,"
                     " 'null', NULL, NULL, NULL, NULL, NULL, NULL, 1, 0, NULL, '[\"events.Old\"]', NULL)")
    with RecordStore(app_dir=tmp_path) as store:
        assert store.get(1).event == "events.Old"
        new = store.begin(event="events.New", input=None)
        assert store.get(new).id > 1 and store.count() == 2
