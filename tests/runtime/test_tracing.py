"""The execution path of a small app: statements with counts, a nested service call, a loop, explicit steps
and nested events in place, the failing line, handled and re-raised exceptions, and the size limits."""
from __future__ import annotations

import json
import sys
import uuid

import pytest

from jitstudio.runtime.execution import run_recorded, step
from jitstudio.runtime.records import RecordStore
from jitstudio.runtime.execution.tracing import new_tracer

from test_execution import load_app_module

SERVICE = """
    class PriceSvc:
        def total(self, items):
            amount = 0
            for item in items:
                amount += item["price"] * item["qty"]
            return amount
"""

HANDLER = """
    import json


    def customFunc(order, svc, save):
        items = order["items"]
        total = svc.total(items)
        save(order["id"], json.dumps(items))
        for n in range(3):
            total += n
        if total > order["limit"]:
            raise ValueError(f"total {total} over limit")
        return total
"""


def save(row_id, text):
    """What the data API does around a write: an explicit data step."""
    with step("data", "update models.Order", rowId=row_id):
        json.loads(text)


@pytest.fixture
def store(tmp_path):
    with RecordStore(app_dir=tmp_path) as s:
        yield s


@pytest.fixture
def app(tmp_path):
    service = load_app_module(tmp_path, "services/PriceSvc/service.py", SERVICE)
    handler = load_app_module(tmp_path, "events/OrderCheck/inner.py", HANDLER)
    return handler, service.PriceSvc()


def statements(node) -> dict[int, dict]:
    return {c["line"]: c for c in node["children"] if c["kind"] == "statement"}


def run(store, tmp_path, call):
    outcome = run_recorded(store, event="events.OrderCheck", input=None, call=call, app_dir=tmp_path)
    return outcome, store.get(outcome.record_id).steps


def test_step_tree_of_a_handler_with_a_service_call_a_loop_and_a_failing_line(store, tmp_path, app):
    handler, svc = app
    order = {"id": 9, "limit": 10, "items": [{"price": 2, "qty": 3}, {"price": 1, "qty": 4}]}
    outcome, steps = run(store, tmp_path, lambda: handler.customFunc(order, svc, save))
    assert outcome.status == "fail"
    [func] = steps
    assert (func["kind"], func["title"], func["file"], func["status"]) == \
        ("call", "customFunc", "events/OrderCheck/inner.py", "fail")
    assert set(statements(func)[6]) == {"kind", "status", "startMs", "durationMs", "count", "line", "file", "code"}
    assert statements(func)[6]["file"] == "events/OrderCheck/inner.py"
    assert func["error"] == "ValueError: total 13 over limit"
    lines = statements(func)
    assert sorted(lines) == [6, 7, 8, 9, 10, 11, 12]
    assert lines[6]["code"] == 'items = order["items"]' and lines[6]["count"] == 1
    assert (lines[9]["count"], lines[10]["count"]) == (4, 3)
    assert lines[12]["status"] == "fail" and lines[12]["error"] == "ValueError: total 13 over limit"
    assert all(lines[n]["status"] == "success" for n in range(6, 12))

    [call] = lines[7]["children"]
    assert (call["kind"], call["title"], call["file"], call["count"]) == \
        ("call", "PriceSvc.total", "services/PriceSvc/service.py", 1)
    svc_lines = statements(call)
    assert svc_lines[5]["count"] == 3 and svc_lines[6]["count"] == 2
    assert svc_lines[6]["code"] == 'amount += item["price"] * item["qty"]'

    [data] = lines[8]["children"]
    assert (data["kind"], data["title"], data["info"], data["status"]) == \
        ("data", "update models.Order", {"rowId": 9}, "success")
    assert "children" not in data, "the data API and json are not app code"
    for node in (func, call, lines[7]):
        assert node["durationMs"] >= 0 and node["startMs"] >= 0
    json.dumps(steps)


def test_the_path_of_a_successful_run(store, tmp_path, app):
    handler, svc = app
    outcome, steps = run(store, tmp_path, lambda: handler.customFunc({"id": 1, "limit": 100, "items": []}, svc, save))
    assert outcome.value == 3
    [func] = steps
    assert func["status"] == "success" and "error" not in func
    assert statements(func)[13]["code"] == "return total"


def test_nested_event_is_a_step_with_its_record_id(store, tmp_path):
    module = load_app_module(tmp_path, "events/Outer/inner.py", """
        def customFunc(fire):
            before = 1
            fire()
            return before
    """)
    inner = load_app_module(tmp_path, "events/Inner/inner.py", """
        def customFunc():
            x = 2
            return x
    """)
    ids = []

    def fire():
        ids.append(run_recorded(store, event="events.Inner", input=None, call=inner.customFunc,
                                app_dir=tmp_path).record_id)

    outcome, steps = run(store, tmp_path, lambda: module.customFunc(fire))
    fire_line = statements(steps[0])[4]
    [nested] = fire_line["children"]
    assert (nested["kind"], nested["title"], nested["info"]) == ("event", "events.Inner", {"recordId": ids[0]})
    inner_steps = store.get(ids[0]).steps
    assert statements(inner_steps[0])[3]["code"] == "x = 2"
    assert not any(c["kind"] == "call" for c in fire_line["children"]), "the child's statements stay in its record"


def test_handled_exception_marks_the_line_but_not_the_function(store, tmp_path):
    module = load_app_module(tmp_path, "events/H/inner.py", """
        def customFunc(row):
            try:
                value = row["missing"]
            except KeyError:
                value = 0
            return value
    """)
    outcome, steps = run(store, tmp_path, lambda: module.customFunc({}))
    assert outcome.value == 0
    lines = statements(steps[0])
    assert lines[4]["status"] == "fail" and lines[4]["error"] == "KeyError: 'missing'"
    assert steps[0]["status"] == "success" and lines[6]["status"] == "success"


def test_an_exception_leaving_through_finally_fails_the_call(store, tmp_path):
    module = load_app_module(tmp_path, "services/F/service.py", """
        def risky():
            try:
                raise RuntimeError("boom")
            finally:
                cleaned = True

        def customFunc():
            risky()
    """)
    outcome, steps = run(store, tmp_path, module.customFunc)
    assert outcome.status == "fail"
    [func] = steps
    [risky] = statements(func)[9]["children"]
    assert risky["status"] == "fail" and risky["error"] == "RuntimeError: boom"
    assert func["status"] == "fail"


def test_explicit_steps_in_a_loop_fold_after_ten(store, tmp_path):
    module = load_app_module(tmp_path, "events/L/inner.py", """
        from jitstudio.runtime.execution import step

        def customFunc():
            for n in range(25):
                with step("data", "create models.Log", n=n):
                    pass
    """)
    _outcome, steps = run(store, tmp_path, module.customFunc)
    creates = statements(steps[0])[6]["children"]
    assert len(creates) == 10 and [c["count"] for c in creates] == [1] * 9 + [16]
    assert creates[0]["info"] == {"n": 0} and creates[9]["info"] == {"n": 9}


def test_tree_size_is_capped_with_a_note(tmp_path):
    module = load_app_module(tmp_path, "events/Big/inner.py", "\n".join(
        ["def customFunc():"] + [f"    v{i} = {i}" for i in range(50)] + ["    return v49"]))
    tracer = new_tracer(tmp_path, max_steps=20)
    tracer.start()
    try:
        module.customFunc()
    finally:
        tracer.stop()
    tree = tracer.tree()
    assert tree[-1]["kind"] == "note" and tree[-1]["count"] == 32
    assert len(statements(tree[0])) == 19


def test_recursion_is_limited_in_depth(tmp_path):
    module = load_app_module(tmp_path, "services/R/service.py", """
        def down(n):
            return 0 if n == 0 else 1 + down(n - 1)
    """)
    tracer = new_tracer(tmp_path, max_depth=5)
    tracer.start()
    try:
        assert module.down(30) == 30
    finally:
        tracer.stop()
    depth, node = 0, tracer.tree()[0]
    while node:
        depth += 1
        calls = [c for s in node["children"] for c in s.get("children", []) if c["kind"] == "call"]
        node = calls[0] if calls else None
    assert depth == 5


def test_the_previous_trace_function_is_restored(store, tmp_path, app):
    handler, svc = app
    calls = []

    def outer_tracer(frame, event, arg):
        calls.append(event)
        return None

    sys.settrace(outer_tracer)
    try:
        run(store, tmp_path, lambda: handler.customFunc({"id": 1, "limit": 100, "items": []}, svc, save))
        assert sys.gettrace() is outer_tracer
    finally:
        sys.settrace(None)


def test_data_steps_do_not_trace_app_code_they_call_unless_asked(store, tmp_path):
    module = load_app_module(tmp_path, "services/T/service.py", """
        def helper():
            y = 1
            return y
    """)

    def handler():
        with step("data", "query"):
            module.helper()
        with step("service", "services.T.helper"):
            module.helper()

    _outcome, steps = run(store, tmp_path, handler)
    data, service = steps
    assert "children" not in data
    assert [c["title"] for c in service["children"]] == ["helper"]


def test_a_statement_over_several_lines_is_one_step(store, tmp_path):
    module = load_app_module(tmp_path, "services/M/service.py", """
        def build(rows):
            out = []
            for row in rows:
                out.append({
                    "id": row,
                    "double": row * 2,
                })
            if (len(out) > 1
                    and out[0]["id"] == 0):
                return out
            return []
    """)
    _outcome, steps = run(store, tmp_path, lambda: module.build([0, 1, 2]))
    lines = statements(steps[0])
    assert sorted(lines) == [3, 4, 5, 9, 11]
    assert lines[5]["count"] == 3
    assert lines[5]["code"] == 'out.append({ "id": row, "double": row * 2, })'
    assert lines[9]["code"] == 'if (len(out) > 1 and out[0]["id"] == 0):' and lines[9]["count"] == 1


def test_comprehensions_belong_to_their_statement_and_imports_are_marked(store, tmp_path):
    package = f"helpers_{uuid.uuid4().hex[:8]}"
    load_app_module(tmp_path, f"{package}/tax.py", """
        def tax(x):
            return x // 10
    """)
    sys.path.insert(0, str(tmp_path))
    try:
        module = load_app_module(tmp_path, "events/C/inner.py", f"""
            def customFunc(values):
                from {package}.tax import tax
                taxes = [tax(v) for v in values if v > 0]
                return sorted(taxes, key=lambda t: -t)
        """)
        _outcome, steps = run(store, tmp_path, lambda: module.customFunc([10, 0, 30]))
    finally:
        sys.path.remove(str(tmp_path))
        for name in (f"{package}.tax", package):
            sys.modules.pop(name, None)
    lines = statements(steps[0])
    imports = [c for c in lines[3].get("children", []) if c["kind"] == "import"]
    assert [i["title"] for i in imports] == [f"{package}/tax.py"]
    [tax] = lines[4]["children"]
    assert (tax["kind"], tax["title"], tax["count"]) == ("call", "tax", 2)
    assert "children" not in lines[5], "the key lambda is part of its statement"
