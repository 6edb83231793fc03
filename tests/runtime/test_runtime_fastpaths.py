"""The shortcuts of the event path give exactly what the general code gives: the execution path written as
JSON text, flat values encoded without the walk, model events queued as plain rows, records written in
batches (finished in place, by the thread that fills a batch), and events selected in declaration order."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, time
from decimal import Decimal

from _runtime_support import make_app
from jitstudio.runtime import Runtime
from jitstudio.runtime.execution import step
from jitstudio.runtime.values.jsonable import _ENCODER, dumps, to_jsonable
from jitstudio.runtime.events.queue import dumps as outbox_dumps, loads as outbox_loads, model_event_ref
from jitstudio.runtime.records import RecordStore
from jitstudio.runtime.records.store import _json
from jitstudio.runtime.execution.tracing import Tracer, new_tracer
from jitstudio.runtime.values import JitDict, RowData, model_event_payload

from test_execution import load_app_module

HANDLER = """
    def helper(n):
        return n * 2


    def customFunc(rows, save):
        total = 0
        for row in rows:
            total += helper(row["n"])
        save(total)
        text = "quote \\" and é"
        try:
            {}["missing"]
        except KeyError:
            pass
        if total > 5:
            raise ValueError(f"total {total} is too big")
        return total
"""


def save(total):
    with step("data", "update models.Order", rowId=total, when=datetime(2024, 1, 2), amount=Decimal("2.50")):
        pass


def traced(tmp_path, call, **limits) -> Tracer:
    tracer = new_tracer(tmp_path, **limits)
    tracer.start()
    try:
        call()
    except ValueError as exc:
        tracer.stop()
        tracer.finish(exc)
    else:
        tracer.stop()
    return tracer


def test_the_path_as_json_text_is_the_encoded_tree(tmp_path):
    module = load_app_module(tmp_path, "events/Path/inner.py", HANDLER)
    for rows in ([{"n": 1}], [{"n": 1}, {"n": 2}, {"n": 3}]):
        tracer = traced(tmp_path, lambda: module.customFunc(rows, save))
        assert tracer.tree_json() == _json(tracer.tree())
    capped = traced(tmp_path, lambda: module.customFunc([{"n": 0}] * 40, save), max_steps=6)
    assert capped.omitted and capped.tree_json() == _json(capped.tree())
    assert new_tracer(tmp_path).tree_json() == "[]"


def test_flat_values_are_encoded_as_the_walk_encodes_them():
    rng = random.Random(7)
    scalars = [None, True, False, 0, -1, 2**63 - 1, -2**63, 2**64, 1.5, float("nan"), float("inf"), "", "text", "é\"\\\n",
               "x" * 4_001, datetime(2024, 5, 6, 7, 8, 9), date(2024, 1, 1), time(1, 2, 3), Decimal("1.10"),
               Decimal("3"), Decimal("1e400"), Decimal("NaN"), [1, 2], {"deep": {"er": 1}}, b"bytes", {1, 2}]
    keys = ["a", "b", "id", "k" * 201, "", 1, True, None]
    for _ in range(2_000):
        def flat(depth):
            value = {}
            for _ in range(rng.randint(0, 6)):
                choice = rng.random()
                key = rng.choice(keys)
                value[key] = flat(depth + 1) if depth == 0 and choice < 0.3 else rng.choice(scalars)
            return value
        value = flat(0)
        assert dumps(value) == _ENCODER.encode(to_jsonable(value)), value
    big = {f"k{i}": "y" * 300 for i in range(250)}
    assert dumps(big) == _ENCODER.encode(to_jsonable(big))
    assert dumps(big, budget=1_000) == _ENCODER.encode(to_jsonable(big, budget=1_000))


def test_a_model_event_is_queued_as_plain_rows_and_read_back_as_its_payload(tmp_path):
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")'})
    with Runtime(app, async_worker=False) as rt:
        api = rt.model("models.Item")
        prev, post = {"id": 1, "name": "a"}, {"id": 1, "name": "b", "when": datetime(2024, 1, 2, 3, 4)}
        for queued in (model_event_ref("models.Item", "UpdateAfter", prev, post),
                       model_event_payload(api, "UpdateAfter", prev, post)):
            text = outbox_dumps({"args": [queued], "kwargs": {}})
            assert '"$jit":"model-event"' in text
            [payload] = outbox_loads(text, rt.model_api_or_none)["args"]
            assert type(payload) is JitDict and payload.model.value == "models.Item"
            assert payload.optType.value == "UpdateAfter" and payload.prevData.value == prev
            assert type(payload.postData) is RowData and payload.postData.value == post
            assert payload.postData._model is api
        old_format = outbox_dumps({"args": [JitDict({"model": "models.Item", "rows": RowData(post, api)})]})
        assert '"$jit":"dict"' in old_format
        [decoded] = outbox_loads(old_format, rt.model_api_or_none)["args"]
        assert decoded.rows.value == post


def test_records_are_written_once_finished_or_updated_when_their_batch_went_first(tmp_path):
    with RecordStore(app_dir=tmp_path) as store:
        writer = store._writer
        early = store.begin(event="events.Early", input={"n": 1})
        store.flush()
        assert store.get(early).status == "running"
        ids = [store.begin(event="events.Batch", input={"n": n}) for n in range(3)]
        for record_id in ids:
            store.finish(record_id, status="success", output=record_id)
        store.finish(early, status="fail", error="ValueError: late")
        assert [kind for kind, _ in writer._ops] == ["begin"] * 3 + ["finish"]
        assert [store.get(i).status for i in ids] == ["success"] * 3 and store.get(ids[0]).output == ids[0]
        assert (store.get(early).status, store.get(early).error) == ("fail", "ValueError: late")


def test_an_execution_path_given_as_a_function_is_encoded_when_written(tmp_path):
    made = []
    with RecordStore(app_dir=tmp_path) as store:
        first = store.begin(event="events.Path")
        store.finish(first, status="success", steps_json=lambda: made.append(1) or '[{"kind": "note"}]')
        assert not made, "not encoded on the handler's thread"
        assert store.get(first).steps == [{"kind": "note"}] and made == [1]
        second = store.begin(event="events.Path")
        store.flush()
        store.finish(second, status="fail", steps_json=lambda: 1 / 0)
        [note] = store.get(second).steps
        assert note["kind"] == "note" and note["title"] == "execution path not written: ZeroDivisionError: division by zero"


def test_events_of_a_timing_run_in_declaration_order_whatever_selects_them(tmp_path):
    log = "def customFunc(eventOutData):\n    app.getElement('models.Log').create({'text': '%s'})\n"
    events = {}
    for n, extra in enumerate([{}, {"fields": ["qty"]}, {"filter": "Q(Q('name', '=', 'a'))"}, {"fields": ["name"]},
                               {"filter": "Q(Q('qty', '>', 1))"}, {"filter": "Q(Q('name', '=', 'b'))"}, {}]):
        events[f"E{n}"] = ({"type": "events.ModelType", "sender": "models.Item", "operate": "UpdateAfter",
                            "funcType": "Inner", **extra}, log % f"E{n}")
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)',
                                             "Log": 'text = datatypes.Stext(name="text")'}, events=events)
    with Runtime(app, async_worker=False) as rt:
        pk = rt.app.models.Item.create({"name": "b", "qty": 1}).id.value
        rt.app.models.Item.updateByPK(pk, {"name": "a", "qty": 2})
        texts = [r["text"] for r in rt.app.models.Log.query(orderList=[["id", 1]], size=None)["rowDatas"]]
        assert texts == ["E0", "E1", "E2", "E3", "E4", "E6"]
        assert json.loads(json.dumps(texts)) == texts
