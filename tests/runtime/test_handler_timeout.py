"""Handlers that never return: app.json runtime.handlerTimeoutSeconds and `--timeout` interrupt them, their
record fails naming the event, a sync write they belong to is rolled back, and the process stays usable."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import HandlerTimeout, Runtime
from jitstudio.runtime.execution.watchdog import WATCHDOG

MODELS = {"Item": 'name = datatypes.Stext(name="name")', "Log": 'text = datatypes.Stext(name="text")'}
SPIN = """
def customFunc(eventOutData):
    app.getElement("models.Log").create({"text": "before the spin"})
    while True:
        pass
"""
SLEEPY = """
import time


def customFunc(eventOutData):
    while True:
        time.sleep(0.05)
"""
SWALLOWS = """
def customFunc(eventOutData):
    while True:
        try:
            while True:
                pass
        except Exception:
            pass
"""
QUICK = """
def customFunc(eventOutData):
    app.getElement("models.Log").create({"text": "quick " + eventOutData.postData.name.value})
"""


def model_event(operate, **extra):
    return {"type": "events.ModelType", "sender": "models.Item", "operate": operate, "funcType": "Inner", **extra}


def spin_app(tmp_path, body, operate="AddAfter", **extra):
    return make_app(tmp_path / "app", models=MODELS, runtime={"handlerTimeoutSeconds": 0.5},
                    events={"Spin": (model_event(operate, **extra), body)})


@pytest.mark.parametrize("body", [SPIN, SLEEPY, SWALLOWS], ids=["busy loop", "sleep loop", "swallows Exception"])
def test_a_sync_handler_that_never_returns_fails_its_record_and_rolls_its_write_back(tmp_path, db_url, body):
    with Runtime(spin_app(tmp_path, body), db_url, async_worker=False) as rt:
        assert rt.handler_timeout == 0.5
        started = time.monotonic()
        with pytest.raises(HandlerTimeout, match=r"events\.Spin did not return within 0\.5 s"):
            rt.app.models.Item.create({"name": "stuck"})
        assert time.monotonic() - started < 5
        assert rt.app.models.Item.count() == 0 and rt.app.models.Log.count() == 0
        [record] = records_of(rt, "events.Spin")
        assert record.status == "fail"
        assert record.error == "HandlerTimeout: events.Spin did not return within 0.5 s"
        assert any(frame["in_app"] and frame["file"] == "events/Spin/inner.py" for frame in record.traceback), record.traceback
        # the process stays usable: the next write runs (and times out) the same way, other models are fine
        rt.app.models.Log.create({"text": "after"})
        assert rt.app.models.Log.count() == 1


def test_an_async_handler_that_never_returns_fails_after_the_write_committed(tmp_path, db_url):
    app = make_app(tmp_path / "app", models=MODELS, runtime={"handlerTimeoutSeconds": 0.5}, events={
        "Spin": (model_event("AddAfter", asyncType=True), SLEEPY), "Quick": (model_event("AddAfter", asyncType=True), QUICK)})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "kept"})
        assert rt.drain(timeout=30)
        assert rt.app.models.Item.count() == 1
        assert [r["text"] for r in rt.app.models.Log.query()["rowDatas"]] == ["quick kept"]
        [record] = records_of(rt, "events.Spin")
        assert (record.status, record.error) == ("fail", "HandlerTimeout: events.Spin did not return within 0.5 s")
        assert record.is_async


def test_no_limit_by_default_and_a_limit_set_on_the_runtime(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS, events={"Quick": (model_event("AddAfter"), QUICK)})
    with Runtime(app, async_worker=False) as rt:
        assert rt.handler_timeout is None
        rt.app.models.Item.create({"name": "a"})
    with Runtime(app, async_worker=False, handler_timeout=2) as rt:
        rt.app.models.Item.create({"name": "b"})
        assert [r.status for r in records_of(rt, "events.Quick")] == ["success", "success"]


def test_test_event_reports_the_timeout_and_a_service_call_is_limited_too(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS, events={"Spin": (model_event("AddAfter"), SPIN)},
                   services={"Slow": ({"functionList": [{"name": "wait", "args": []}]},
                                      "def wait(self):\n    while True:\n        pass\n")})
    with Runtime(app, async_worker=False, handler_timeout=0.3) as rt:
        outcome = rt.test_event("events.Spin", {"postData": {"name": "x"}})
        assert outcome.failed and outcome.error == "HandlerTimeout: events.Spin did not return within 0.3 s"
        with pytest.raises(HandlerTimeout, match=r"services\.Slow\.wait did not return within 0\.3 s"):
            rt.call("services.Slow.wait")


def test_a_nested_handler_interrupted_for_its_parent_names_the_parent(tmp_path):
    outer = """
def customFunc(eventOutData):
    app.getElement("models.Log").create({"text": "nested"})
"""
    inner = """
import time


def customFunc(eventOutData):
    while True:
        time.sleep(0.02)
"""
    app = make_app(tmp_path / "app", models=MODELS, events={
        "Outer": (model_event("AddAfter"), outer),
        "Inner": ({"type": "events.ModelType", "sender": "models.Log", "operate": "AddAfter", "funcType": "Inner"}, inner)})
    with Runtime(app, async_worker=False, handler_timeout=0.4) as rt:
        with pytest.raises(HandlerTimeout, match=r"events\.(Outer|Inner) did not return within 0\.4 s"):
            rt.app.models.Item.create({"name": "x"})
        assert rt.app.models.Item.count() == 0 and rt.app.models.Log.count() == 0
        assert all(r.status == "fail" for r in records_of(rt, "events.Inner") + records_of(rt, "events.Outer"))


def test_one_timer_thread_watches_handlers_on_several_threads(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS, events={"Spin": (model_event("AddAfter"), SLEEPY)})
    errors: list[BaseException] = []
    with Runtime(app, async_worker=False, handler_timeout=0.3) as rt:
        def write(n):
            try:
                rt.app.models.Item.create({"name": f"n{n}"})
            except HandlerTimeout as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(errors) == 4 and rt.app.models.Item.count() == 0
    watchers = [t for t in threading.enumerate() if t.name == "jitstudio-handler-watchdog"]
    assert len(watchers) == 1 and not WATCHDOG._guards


def jitstudio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jitstudio", *args], capture_output=True, text=True, timeout=120)


def test_the_commands_take_timeout(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS, events={"Spin": (model_event("AddAfter"), SPIN)})
    tested = jitstudio("event", "test", str(app), "events.Spin", "--payload", '{"postData": {"name": "x"}}',
                       "--timeout", "0.5")
    assert tested.returncode == 1, tested.stderr
    assert json.loads(tested.stdout)["error"] == "HandlerTimeout: events.Spin did not return within 0.5 s"
    created = jitstudio("data", str(app), "create", "Item", '{"name": "x"}', "--timeout", "0.5")
    assert created.returncode == 1 and "events.Spin did not return within 0.5 s" in created.stderr
    assert jitstudio("data", str(app), "list", "Item", "--json").stdout.strip() == "[]"
    bad = jitstudio("data", str(app), "create", "Item", '{"name": "x"}', "--timeout", "0")
    assert bad.returncode == 2 and "more than 0 seconds" in bad.stderr


STUCK_IN_C = """
import time


def customFunc(eventOutData):
    app.getElement("models.Log").create({"text": "written before it got stuck"})
    time.sleep(3600)
"""


def test_a_handler_stuck_in_one_c_call_ends_its_process_and_releases_the_database(tmp_path):
    app = make_app(tmp_path / "app", models=MODELS, events={"Stuck": (model_event("AddAfter"), STUCK_IN_C)})
    started = time.monotonic()
    stuck = subprocess.Popen([sys.executable, "-m", "jitstudio", "data", str(app), "create", "Item", '{"name": "x"}',
                              "--timeout", "0.5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # the handler holds the write lock while it sleeps, past its soft limit
    listed = jitstudio("data", str(app), "list", "Item", "--json")  # a reader does not need the write lock
    assert listed.returncode == 0 and json.loads(listed.stdout) == [], listed.stderr
    assert stuck.poll() is None, "the reader waited for the stuck writer to end"
    out, err = stuck.communicate(timeout=60)
    assert stuck.returncode == 70, err
    assert time.monotonic() - started < 20
    assert "events.Stuck did not return within 0.5 s and was still running" in err and "Traceback" not in err
    written = jitstudio("data", str(app), "create", "Log", '{"text": "after"}')  # the lock went with the process
    assert written.returncode == 0, written.stderr
    with Runtime(app, async_worker=False) as rt:
        assert rt.app.models.Item.count() == 0
        assert [r["text"] for r in rt.app.models.Log.query()["rowDatas"]] == ["after"]  # the stuck write rolled back
        [record] = records_of(rt, "events.Stuck")
        assert record.status == "fail" and record.error.startswith("HandlerHardTimeout: events.Stuck did not return")
