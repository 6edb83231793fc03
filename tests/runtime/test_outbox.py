"""Async events: only after commit, durable across a killed process, run and recorded once; threads."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import text

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import Runtime

MODELS = {"Item": 'name = datatypes.Stext(name="name")', "Seen": 'itemId = datatypes.Numeric(name="itemId", decimal=0)'}
SEE = """
def customFunc(eventOutData):
    pk = eventOutData.postData.id.value
    found = app.getElement("models.Item").getByPK(pk)
    app.getElement("models.Seen").create({"itemId": pk if found else -1})
    return pk
"""


def async_app(tmp_path):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter", "funcType": "Inner", "asyncType": True}
    return make_app(tmp_path / "app", models=MODELS, events={"See": (spec, SEE)})


def test_async_handlers_run_after_commit_and_see_the_committed_row(tmp_path, db_url):
    app = async_app(tmp_path)
    with Runtime(app, db_url, async_worker=False) as rt:
        with rt.transaction():
            rt.app.models.Item.create({"name": "a"})
            assert rt.pending_async() == 0  # another connection cannot see the uncommitted outbox row
        assert rt.pending_async() == 1
        assert records_of(rt, "events.See") == []
        assert rt.drain(10)
        assert [r["itemId"] for r in rt.app.models.Seen.query()["rowDatas"]] == [1]


def test_a_rolled_back_write_queues_nothing(tmp_path, db_url):
    app = async_app(tmp_path)
    with Runtime(app, db_url, async_worker=False) as rt:
        with pytest.raises(KeyError):
            with rt.transaction():
                rt.app.models.Item.create({"name": "a"})
                raise KeyError("caller gave up")
        assert rt.pending_async() == 0 and rt.app.models.Item.count() == 0


def test_the_background_worker_runs_queued_events(tmp_path, db_url):
    app = async_app(tmp_path)
    with Runtime(app, db_url) as rt:
        rt.app.models.Item.create({"name": "a"})
        assert rt.drain(10)
        assert len(records_of(rt, "events.See", "success")) == 1


CHILD = """
import sys, time
from jitstudio.runtime import Runtime
rt = Runtime(sys.argv[1], sys.argv[2] or None, async_worker=False)
rt.app.models.Item.create({"name": "committed"})
print("committed", flush=True)
time.sleep(60)
"""


def wait_until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_process_killed_after_commit_has_its_events_run_by_the_next_long_running_process(tmp_path, db_url):
    app = async_app(tmp_path)
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(app), db_url or ""],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "committed", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    with Runtime(app, db_url, async_worker=False) as rt:  # a command that queued nothing waits for nothing
        assert rt.pending_async() == 1
        assert rt.drain(0.5)
        assert rt.pending_async() == 1
    with Runtime(app, db_url) as rt:
        assert wait_until(lambda: rt.pending_async() == 0)
    with Runtime(app, db_url) as rt:  # opening again runs nothing twice
        time.sleep(0.3)
        rt.records.flush()
        runs = records_of(rt, "events.See")
        assert [(r.status, r.output) for r in runs] == [("success", 1)]
        assert [r["itemId"] for r in rt.app.models.Seen.query()["rowDatas"]] == [1]


def test_eight_threads_writing_with_events_lose_nothing(tmp_path, db_url):
    sync = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter", "funcType": "Inner"}
    app = make_app(tmp_path / "app", models=MODELS, events={
        "See": ({**sync, "asyncType": True}, SEE),
        "Count": (sync, "def customFunc(eventOutData):\n    return eventOutData.postData.id.value\n"),
    })
    errors: list[BaseException] = []
    per_thread = 15
    with Runtime(app, db_url) as rt:
        def writer(n):
            try:
                for i in range(per_thread):
                    rt.app.models.Item.create({"name": f"t{n}-{i}"})
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert rt.drain(60)
        total = 8 * per_thread
        assert rt.app.models.Item.count() == total
        assert len(records_of(rt, "events.Count", "success")) == total
        assert len(records_of(rt, "events.See", "success")) == total
        assert sorted(r["itemId"] for r in rt.app.models.Seen.query(size=None)["rowDatas"]) == list(range(1, total + 1))
