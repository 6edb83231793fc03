"""Model events: every timing × sync/async × Inner/Global × specific fields × filter, on SQLite and PostgreSQL."""
from __future__ import annotations

import itertools

import pytest

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import Runtime

OPERATES = ("AddBefore", "AddAfter", "UpdateBefore", "UpdateAfter", "DeleteBefore", "DeleteAfter", "FieldUpdateAfter")
FILTER = "Q(Q('status', '=', 'on'))"
HANDLER = """
def customFunc(eventOutData):
    return {"model": eventOutData.model.value, "optType": eventOutData.optType.value,
            "prev": eventOutData.prevData.value, "post": eventOutData.postData.value}
"""
SERVICE = """
def handle(self, eventOutData):
    return {"model": eventOutData.model.value, "optType": eventOutData.optType.value,
            "prev": eventOutData.prevData.value, "post": eventOutData.postData.value}
"""
COMBOS = list(itertools.product(OPERATES, (False, True), ("Inner", "Global"), (True, False), (True, False)))


def event_name(operate, is_async, func, fields, filtered):
    return f"{operate}_{'a' if is_async else 's'}_{func[0]}_{'F' if fields else 'A'}_{'Q' if filtered else 'N'}"


@pytest.fixture
def matrix_app(tmp_path):
    events = {}
    for operate, is_async, func, fields, filtered in COMBOS:
        spec = {"type": "events.ModelType", "sender": "models.Item", "operate": operate, "funcType": func,
                "asyncType": is_async, "enable": 1, "fields": ["qty"] if fields else [], "filter": FILTER if filtered else ""}
        if func == "Global":
            spec["func"] = "services.Hooks.handle"
        events[event_name(operate, is_async, func, fields, filtered)] = (spec, HANDLER if func == "Inner" else None)
    return make_app(
        tmp_path / "matrix",
        models={"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)\n'
                        'status = datatypes.Stext(name="status")'},
        services={"Hooks": ({"functionList": [{"name": "handle", "title": "Handle"}]}, SERVICE)},
        events=events,
    )


# What each write does: the timings it touches, whether qty changed, whether the filter passes.
STEPS = [
    ("create", ("AddBefore", "AddAfter", "FieldUpdateAfter"), True, True),
    ("rename", ("UpdateBefore", "UpdateAfter", "FieldUpdateAfter"), False, True),
    ("requantify", ("UpdateBefore", "UpdateAfter", "FieldUpdateAfter"), True, False),
    ("delete", ("DeleteBefore", "DeleteAfter", "FieldUpdateAfter"), True, False),
]


def expected_runs(operate, fields, filtered) -> int:
    return sum(1 for _, operates, qty_changed, passes in STEPS
               if operate in operates and (not fields or qty_changed) and (not filtered or passes))


def test_every_timing_mode_handler_fields_and_filter(matrix_app, db_url):
    with Runtime(matrix_app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        row = items.create({"name": "a", "qty": 1, "status": "on"})
        pk = row.id.value
        items.updateByPK(pk, {"name": "b"})
        items.updateByPK(pk, {"qty": 2, "status": "off"})
        assert items.deleteByPK(pk) == 1
        assert rt.drain(30)
        for combo in COMBOS:
            operate, is_async, func, fields, filtered = combo
            name = f"events.{event_name(*combo)}"
            records = records_of(rt, name)
            assert len(records) == expected_runs(operate, fields, filtered), name
            assert all(r.status == "success" for r in records), [r.error for r in records]
            assert all(r.is_async == is_async for r in records)


def test_payloads_carry_model_operate_and_snapshots(matrix_app, db_url):
    with Runtime(matrix_app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        pk = items.create({"name": "a", "qty": 1, "status": "on"}).id.value
        items.updateByPK(pk, {"name": "b"})
        items.deleteByPK(pk)
        rt.drain(30)
        add = records_of(rt, "events.AddAfter_s_I_A_N")[0].output
        assert add["model"] == "models.Item" and add["optType"] == "AddAfter"
        assert add["prev"] == {} and add["post"]["id"] == pk and add["post"]["name"] == "a"
        update = records_of(rt, "events.UpdateAfter_a_G_A_N")[0].output
        assert update["optType"] == "UpdateAfter"
        assert (update["prev"]["name"], update["post"]["name"]) == ("a", "b")
        deleted = records_of(rt, "events.DeleteBefore_s_G_A_N")[0].output
        assert deleted["post"] == {} and deleted["prev"]["name"] == "b"
        # FieldUpdateAfter says which write it follows
        kinds = sorted(r.output["optType"] for r in records_of(rt, "events.FieldUpdateAfter_s_I_A_N"))
        assert kinds == ["AddAfter", "DeleteAfter", "UpdateAfter"]


def test_disabled_events_never_fire_and_trigger_event_0_suppresses(tmp_path, db_url):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter", "funcType": "Inner"}
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")'},
                   events={"On": ({**spec, "enable": 1}, HANDLER), "Off": ({**spec, "enable": 0}, HANDLER)})
    with Runtime(app, db_url, async_worker=False) as rt:
        rt.app.models.Item.create({"name": "x"})
        rt.app.models.Item.create({"name": "y"}, triggerEvent=0)
        assert len(records_of(rt, "events.On")) == 1
        assert records_of(rt, "events.Off") == []


def test_filter_by_filter_writes_fire_nothing_but_every_other_path_does(tmp_path, db_url):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "FieldUpdateAfter", "funcType": "Inner"}
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)'},
                   events={"Any": (spec, HANDLER)})
    with Runtime(app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        a = items.create({"name": "a", "qty": 1})                         # 1
        a.qty.value = 5
        a.save()                                                           # 2
        items.updateOrAdd("Q(Q('name', '=', 'a'))", {"qty": 6})            # 3
        items.updateOrAdd("Q(Q('name', '=', 'z'))", {"name": "z", "qty": 1})  # 4
        many = items.createOrUpdateMany([{"name": "m1"}, {"id": a.id.value, "name": "a2"}])  # 5, 6
        assert len(many) == 2
        many[0].delete()                                                   # 7
        assert len(records_of(rt, "events.Any")) == 7
        assert items.updateByFilter("Q(Q('qty', '>=', 1))", {"qty": 0}) == 2
        assert items.deleteByFilter("Q(Q('qty', '=', 0))") == 2
        assert len(records_of(rt, "events.Any")) == 7
        assert items.count() == 0


def test_a_before_handler_that_fills_a_field_lets_later_events_see_it(tmp_path, db_url):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddBefore", "funcType": "Inner"}
    fill = "def customFunc(eventOutData):\n    eventOutData.postData.status.value = 'on'\n"
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")\nstatus = datatypes.Stext(name="status")\n'
                                                     'code = datatypes.Numeric(name="code", decimal=0)'}, events={
        "A_Fill": (spec, fill),
        "B_Check": ({**spec, "filter": FILTER}, HANDLER),
        "C_Code": ({**spec, "filter": "Q(Q('code', '=', '7'))"}, HANDLER),
    })
    with Runtime(app, db_url, async_worker=False) as rt:
        row = rt.app.models.Item.create({"name": "x", "code": 7})
        assert row.status.value == "on"
        [checked] = records_of(rt, "events.B_Check")
        assert checked.output["post"]["status"] == "on"
        assert len(records_of(rt, "events.C_Code")) == 1  # '7' equals 7 as the filter language compares
