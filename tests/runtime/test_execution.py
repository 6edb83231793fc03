"""run_recorded: one record per execution, failures with app tracebacks, nested executions linked through the
context (parent, root, chain, request), and the explicit `step()` API."""
from __future__ import annotations

import importlib.util
import sys
import textwrap
import uuid

import pytest

from jitstudio.runtime.execution import current_chain, current_execution, run_recorded, step
from jitstudio.runtime.records import RecordStore

from _records_support import BACKENDS, make_store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    yield from make_store(request.param, tmp_path)


def load_app_module(app_dir, relpath: str, source: str):
    path = app_dir / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    name = f"app_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_success_records_input_output_and_timing(store, tmp_path):
    outcome = run_recorded(store, event="events.Ok", event_type="events.NormalType", sender="services.S.ev",
                           operate="publish", input={"n": 2}, call=lambda: {"double": 4}, app_dir=tmp_path)
    assert outcome.ok and outcome.status == "success" and outcome.value == {"double": 4}
    assert outcome.unwrap() == {"double": 4}
    record = store.get(outcome.record_id)
    assert (record.event, record.event_type, record.sender, record.operate) == \
        ("events.Ok", "events.NormalType", "services.S.ev", "publish")
    assert record.status == "success" and record.input == {"n": 2} and record.output == {"double": 4}
    assert record.duration_ms >= 0 and record.ended_at >= record.started_at
    assert record.parent_id is None and record.root_id == record.id and record.chain == ["events.Ok"]
    assert record.request_id and current_execution() is None and current_chain() == ()


def test_failure_is_recorded_with_app_frames_and_returned_not_raised(store, tmp_path):
    handler = load_app_module(tmp_path, "events/Check/inner.py", """
        def validate(row):
            if row["price"] < 0:
                raise ValueError("price must not be negative")

        def customFunc(row):
            validate(row)
            return row
    """)
    outcome = run_recorded(store, event="events.Check", input={"price": -1},
                           call=lambda: handler.customFunc({"price": -1}), app_dir=tmp_path)
    assert outcome.status == "fail" and isinstance(outcome.exception, ValueError) and outcome.value is None
    with pytest.raises(ValueError, match="negative"):
        outcome.unwrap()
    record = store.get(outcome.record_id)
    assert record.status == "fail" and record.error == "ValueError: price must not be negative"
    app_frames = [f for f in record.traceback if f["in_app"]]
    assert [(f["file"], f["function"], f["line"]) for f in app_frames] == \
        [("events/Check/inner.py", "customFunc", 7), ("events/Check/inner.py", "validate", 4)]
    assert app_frames[-1]["code"] == 'raise ValueError("price must not be negative")'
    assert not any(f["file"].endswith("/runtime/execution.py") for f in record.traceback)
    assert all(not f["in_app"] for f in record.traceback if f not in app_frames)


def test_nested_executions_inherit_parent_root_chain_and_request(store, tmp_path):
    seen = {}

    def grandchild():
        seen["grandchild"] = (current_execution().record_id, current_chain())

    def child():
        seen["child"] = current_execution().record_id
        run_recorded(store, event="events.C", input=None, call=grandchild, app_dir=tmp_path)
        return "child done"

    def root():
        seen["root"] = current_execution().record_id
        inner = run_recorded(store, event="events.B", input=None, call=child, app_dir=tmp_path)
        assert current_chain() == ("events.A",)
        return inner.value

    outcome = run_recorded(store, event="events.A", input=None, call=root, app_dir=tmp_path)
    assert outcome.value == "child done"
    a, b, c = store.get(seen["root"]), store.get(seen["child"]), store.get(seen["grandchild"][0])
    assert seen["grandchild"][1] == ("events.A", "events.B", "events.C")
    assert (b.parent_id, c.parent_id) == (a.id, b.id)
    assert {a.root_id, b.root_id, c.root_id} == {a.id}
    assert c.chain == ["events.A", "events.B", "events.C"] and b.chain == ["events.A", "events.B"]
    assert a.request_id == b.request_id == c.request_id
    assert [r.id for r in store.children(a.id)] == [b.id]
    assert [r.id for r in store.by_request(a.request_id)] == [a.id, b.id, c.id]
    event_steps = [s for s in a.steps if s["kind"] == "event"]
    assert [(s["title"], s["info"]["recordId"], s["status"]) for s in event_steps] == [("events.B", b.id, "success")]


def test_a_resumed_async_execution_takes_its_parent_explicitly(store, tmp_path):
    parent = run_recorded(store, event="events.Sync", input=None, call=lambda: current_chain(), app_dir=tmp_path)
    parent_record = store.get(parent.record_id)
    later = run_recorded(store, event="events.Async", input=None, call=lambda: current_chain(), app_dir=tmp_path,
                         is_async=True, attempt=2, parent_id=parent.record_id, chain=parent_record.chain,
                         request_id=parent_record.request_id)
    assert later.value == ("events.Sync", "events.Async")
    record = store.get(later.record_id)
    assert (record.parent_id, record.root_id, record.is_async, record.attempt) == \
        (parent.record_id, parent.record_id, True, 2)
    assert record.request_id == parent_record.request_id


def test_rerun_links_to_the_original(store, tmp_path):
    first = run_recorded(store, event="events.R", input={"x": 1}, call=lambda: 1 / 0, app_dir=tmp_path)
    again = run_recorded(store, event="events.R", input=store.get(first.record_id).input, call=lambda: 1,
                         app_dir=tmp_path, rerun_of=first.record_id)
    assert store.get(again.record_id).rerun_of == first.record_id
    assert [r.id for r in store.reruns(first.record_id)] == [again.record_id]


def test_keyboard_interrupt_is_recorded_and_raised_again(store, tmp_path):
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_recorded(store, event="events.K", input=None, call=interrupted, app_dir=tmp_path)
    record = store.page(limit=1).records[0]
    assert record.status == "fail" and record.error == "KeyboardInterrupt"
    assert current_execution() is None


def test_unserialisable_values_are_recorded_not_fatal(store, tmp_path):
    class Opaque:
        def __repr__(self):
            return "<Opaque>"

    outcome = run_recorded(store, event="events.O", input={"o": Opaque(), "b": b"\x00\x01"}, call=lambda: Opaque(),
                           app_dir=tmp_path)
    record = store.get(outcome.record_id)
    assert record.input == {"o": "<Opaque>", "b": "<2 bytes base64:AAE=>"} and record.output == "<Opaque>"


def test_step_details_of_any_type_are_recorded(store, tmp_path):
    from decimal import Decimal

    class Key:
        def __repr__(self):
            return "Key(7)"

    def handler():
        with step("data", "models.Order.get", pk=Key(), amount=Decimal("2.5")):
            pass

    outcome = run_recorded(store, event="events.D", input=None, call=handler, app_dir=tmp_path)
    assert store.get(outcome.record_id).steps[0]["info"] == {"pk": "Key(7)", "amount": 2.5}


def test_step_outside_an_execution_is_a_no_op():
    with step("data", "create models.Order", rows=1) as s:
        s.set(id=3)
    assert current_execution() is None


def test_step_records_kind_info_status_and_error(store, tmp_path):
    def handler():
        with step("data", "create models.Order", model="models.Order") as s:
            s.set(rowId=7)
        with pytest.raises(LookupError):
            with step("service", "services.Pay.charge"):
                raise LookupError("card declined")
        with step("message", "notify"):
            pass

    outcome = run_recorded(store, event="events.S", input=None, call=handler, app_dir=tmp_path)
    steps = store.get(outcome.record_id).steps
    assert [(s["kind"], s["title"], s["status"]) for s in steps] == [
        ("data", "create models.Order", "success"), ("service", "services.Pay.charge", "fail"),
        ("message", "notify", "success")]
    assert steps[0]["info"] == {"model": "models.Order", "rowId": 7}
    assert steps[1]["error"] == "LookupError: card declined"


def test_untraced_execution_still_records(tmp_path):
    with RecordStore(app_dir=tmp_path) as store:
        outcome = run_recorded(store, event="events.N", input=None, call=lambda: 5, app_dir=None, trace=False)
        record = store.get(outcome.record_id)
        assert record.status == "success" and record.output == 5 and record.steps is None
        with step("data", "ignored"):
            pass
