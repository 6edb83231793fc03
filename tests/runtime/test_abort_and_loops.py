"""Before handlers that abort, After handlers that roll back, async failures that don't, and the loop guard."""
from __future__ import annotations

import pytest

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import Runtime

MODELS = {
    "Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)',
    "Log": 'text = datatypes.Stext(name="text")',
}
REFUSE = """
def customFunc(eventOutData):
    if (eventOutData.postData.value.get("qty") or 0) < 0:
        raise ValueError("qty may not be negative")
"""
LOG_THEN_FAIL = """
def customFunc(eventOutData):
    app.getElement("models.Log").create({"text": "seen " + eventOutData.postData.name.value})
    if eventOutData.postData.name.value == "bad":
        raise RuntimeError("after handler refused " + eventOutData.postData.name.value)
"""
ALWAYS_FAIL = """
def customFunc(eventOutData):
    raise RuntimeError("async handler failed")
"""


def model_event(operate, **extra):
    return {"type": "events.ModelType", "sender": "models.Item", "operate": operate, "funcType": "Inner", **extra}


def test_before_handler_aborts_the_write_and_the_caller_gets_its_message(tmp_path, db_url):
    app = make_app(tmp_path / "app", models=MODELS, events={
        "AddGuard": (model_event("AddBefore"), REFUSE), "UpdateGuard": (model_event("UpdateBefore"), REFUSE)})
    with Runtime(app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        with pytest.raises(ValueError, match="qty may not be negative"):
            items.create({"name": "x", "qty": -1})
        assert items.count() == 0
        pk = items.create({"name": "x", "qty": 1}).id.value
        with pytest.raises(ValueError, match="qty may not be negative"):
            items.updateByPK(pk, {"qty": -5, "name": "changed"})
        assert items.getByPK(pk).value["qty"] == 1 and items.getByPK(pk).name.value == "x"
        failed = records_of(rt, "events.AddGuard", "fail")
        assert len(failed) == 1 and "qty may not be negative" in failed[0].error
        assert len(records_of(rt, "events.UpdateGuard", "fail")) == 1


def test_after_handler_that_raises_rolls_back_the_write_and_its_own_writes(tmp_path, db_url):
    app = make_app(tmp_path / "app", models=MODELS, events={"Audit": (model_event("AddAfter"), LOG_THEN_FAIL)})
    with Runtime(app, db_url, async_worker=False) as rt:
        items, log = rt.app.models.Item, rt.app.models.Log
        items.create({"name": "good"})
        with pytest.raises(RuntimeError, match="after handler refused bad"):
            items.create({"name": "bad"})
        assert [r["name"] for r in items.query()["rowDatas"]] == ["good"]
        assert [r["text"] for r in log.query()["rowDatas"]] == ["seen good"]
        assert [r.status for r in records_of(rt, "events.Audit")] == ["fail", "success"]


def test_a_failing_nested_write_caught_by_a_service_undoes_only_itself(tmp_path, db_url):
    service = """
def run(self):
    Item = app.getElement("models.Item")
    Item.create({"name": "kept"})
    try:
        Item.create({"name": "bad"})
    except RuntimeError:
        pass
    return Item.count()
"""
    app = make_app(tmp_path / "app", models=MODELS, events={"Audit": (model_event("AddAfter"), LOG_THEN_FAIL)},
                   services={"Svc": ({"functionList": [{"name": "run", "title": "Run"}]}, service)})
    with Runtime(app, db_url, async_worker=False) as rt:
        assert rt.call("services.Svc.run") == 1
        assert [r["text"] for r in rt.app.models.Log.query()["rowDatas"]] == ["seen kept"]


def test_a_service_call_is_one_unit_of_work(tmp_path, db_url):
    service = """
def run(self):
    Item = app.getElement("models.Item")
    Item.create({"name": "first", "qty": 1})
    Item.create({"name": "second", "qty": -1})
"""
    app = make_app(tmp_path / "app", models=MODELS, events={"AddGuard": (model_event("AddBefore"), REFUSE)},
                   services={"Svc": ({"functionList": [{"name": "run", "title": "Run"}]}, service)})
    with Runtime(app, db_url, async_worker=False) as rt:
        with pytest.raises(ValueError, match="negative"):
            rt.call("services.Svc.run")
        assert rt.app.models.Item.count() == 0
        call = records_of(rt, "services.Svc.run")[0]
        assert call.status == "fail"
        assert [c.event for c in rt.records.children(call.id)] == ["events.AddGuard", "events.AddGuard"]


def test_async_failures_never_touch_the_write_and_retry_with_backoff(tmp_path, db_url):
    app = make_app(tmp_path / "app", models=MODELS, events={
        "Flaky": (model_event("AddAfter", asyncType=True, retry=2, retryBackoffSeconds=0.05), ALWAYS_FAIL)})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "x"})
        assert rt.app.models.Item.count() == 1
        assert rt.drain(10)
        runs = sorted(records_of(rt, "events.Flaky"), key=lambda r: r.attempt)
        assert [(r.attempt, r.status) for r in runs] == [(1, "fail"), (2, "fail"), (3, "fail")]
        assert runs[1].started_us - runs[0].ended_us >= 40_000
        assert rt.app.models.Item.count() == 1


LOOP = """
def customFunc(eventOutData):
    row = eventOutData.postData
    app.getElement("models.Item").updateByPK(row.id.value, {"qty": (row.qty.value or 0) + 1})
"""
PING = """
def customFunc(eventOutData):
    row = eventOutData.postData
    app.getElement("models.Log").create({"text": "from " + str(row.id.value)})
"""
PONG = """
def customFunc(eventOutData):
    app.getElement("models.Item").create({"name": "again", "qty": 0})
"""


@pytest.mark.parametrize("is_async", [False, True])
def test_an_event_that_re_enters_itself_stops_at_the_configured_depth(tmp_path, db_url, is_async):
    app = make_app(tmp_path / "app", models=MODELS, runtime={"eventChainDepth": 5},
                   events={"Bump": (model_event("UpdateAfter", asyncType=is_async), LOOP)})
    with Runtime(app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        pk = items.create({"name": "x", "qty": 0}).id.value
        items.updateByPK(pk, {"qty": 1})
        assert rt.drain(20)
        runs = records_of(rt, "events.Bump")
        assert len(runs) == 6
        stopped = [r for r in runs if r.status == "fail"]
        assert len(stopped) == 1
        assert "events.Bump → events.Bump → events.Bump → events.Bump → events.Bump → events.Bump …" in stopped[0].error
        assert items.getByPK(pk).qty.value == 6


def test_a_loop_through_two_events_and_two_models_is_named_in_full(tmp_path, db_url):
    app = make_app(tmp_path / "app", models=MODELS, runtime={"eventChainDepth": 4}, events={
        "Ping": (model_event("AddAfter"), PING),
        "Pong": ({"type": "events.ModelType", "sender": "models.Log", "operate": "AddAfter", "funcType": "Inner"}, PONG),
    })
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "start"})
        failed = records_of(rt, "events.Ping", "fail") + records_of(rt, "events.Pong", "fail")
        assert len(failed) == 1
        assert "events.Ping → events.Pong → events.Ping → events.Pong → events.Ping …" in failed[0].error
