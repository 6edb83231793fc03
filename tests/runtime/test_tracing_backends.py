"""The two tracer backends record the same execution path (sys.monitoring on Python 3.12+, sys.settrace
everywhere): the same handlers traced by both give equal step trees, timings aside. Also: a tracer records
only its own thread, tracers nest, the path built in parts on the handler's thread equals the one built at
once, and functions written alike in two files stay apart."""
from __future__ import annotations

import sys
import threading
import uuid

import pytest

from jitstudio.runtime.execution import run_recorded, step, tracing
from jitstudio.runtime.execution.tracing import SettraceTracer, Tracer, new_tracer
from jitstudio.runtime.records import RecordStore

from test_execution import load_app_module

HAS_MONITORING = sys.version_info >= (3, 12)
BACKENDS = ["settrace", "monitoring"] if HAS_MONITORING else ["settrace"]
needs_monitoring = pytest.mark.skipif(not HAS_MONITORING, reason="sys.monitoring is Python 3.12+")

SERVICE = """
    class Prices:
        def total(self, items):
            amount = 0
            for item in items:
                amount += item["price"] * item["qty"]
            return amount

        def checked(self, amount):
            if amount < 0:
                raise ValueError("negative")
            return amount
"""

HANDLER = """
    from jitstudio.runtime.execution import step


    def numbers(n):
        for i in range(n):
            yield i * 2


    def risky(flag):
        try:
            if flag:
                raise KeyError("missing")
        finally:
            done = True


    def down(n):
        return 0 if n == 0 else 1 + down(n - 1)


    def customFunc(order, prices, fire):
        total = prices.total(order["items"])
        for n in range(3): total += n
        doubled = [v for v in numbers(4)]
        squares = list(x * x for x in doubled)
        try:
            risky(True)
        except KeyError:
            total += 1
        try:
            prices.checked(-1)
        except ValueError as exc:
            message = str(exc)
        with step("data", "update models.Order", rowId=order["id"]):
            prices.total([{"price": 1, "qty": 1}])
        with step("service", "services.Prices.total"):
            prices.total(order["items"])
        depth = down(8)
        fire()
        while total < 40: total += 7
        if order["fail"]:
            risky(True)
        return total + depth + sum(squares)
"""


def timeless(steps: list[dict]) -> list[dict]:
    """The steps without their times (and nested events without their record ids)."""
    return [{**{k: v for k, v in s.items() if k not in ("startMs", "durationMs", "children", "info")},
             **({"info": {k: v for k, v in s["info"].items() if k != "recordId"}} if "info" in s else {}),
             **({"children": timeless(s["children"])} if "children" in s else {})} for s in steps]


@pytest.fixture
def store(tmp_path):
    with RecordStore(app_dir=tmp_path) as s:
        yield s


@pytest.fixture
def app(tmp_path):
    prices = load_app_module(tmp_path, "services/Prices/service.py", SERVICE).Prices()
    handler = load_app_module(tmp_path, "events/Order/inner.py", HANDLER)
    nested = load_app_module(tmp_path, "events/Nested/inner.py", """
        def customFunc():
            x = 1
            for i in range(2):
                x += i
            return x
    """)
    return handler, prices, nested


def traced_run(store, tmp_path, app, backend: str, monkeypatch, fail: bool = False) -> tuple[list, list]:
    handler, prices, nested = app
    monkeypatch.setattr(tracing, "BACKEND", backend)
    inner_ids = []

    def fire():
        inner_ids.append(run_recorded(store, event="events.Nested", call=nested.customFunc, app_dir=tmp_path).record_id)

    order = {"id": 7, "fail": fail, "items": [{"price": 2, "qty": 3}, {"price": 5, "qty": 1}]}
    outcome = run_recorded(store, event="events.Order", call=lambda: handler.customFunc(order, prices, fire),
                           app_dir=tmp_path)
    assert outcome.failed == fail
    steps = store.get(outcome.record_id).steps
    return steps, store.get(inner_ids[0]).steps


@pytest.mark.parametrize("fail", [False, True])
@needs_monitoring
def test_both_backends_record_the_same_path(store, tmp_path, app, monkeypatch, fail):
    by_settrace = traced_run(store, tmp_path, app, "settrace", monkeypatch, fail)
    by_monitoring = traced_run(store, tmp_path, app, "monitoring", monkeypatch, fail)
    assert timeless(by_monitoring[0]) == timeless(by_settrace[0])
    assert timeless(by_monitoring[1]) == timeless(by_settrace[1])
    by_settrace_again = traced_run(store, tmp_path, app, "settrace", monkeypatch, fail)
    assert timeless(by_settrace_again[0]) == timeless(by_settrace[0]), "the first run of each code object is no different"


def statements(node: dict) -> dict[str, dict]:
    return {s["code"]: s for s in node["children"] if s["kind"] == "statement"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_path_of_the_handler(store, tmp_path, app, monkeypatch, backend):
    steps, nested = traced_run(store, tmp_path, app, backend, monkeypatch, fail=True)
    [func] = steps
    assert (func["title"], func["status"], func["error"]) == ("customFunc", "fail", "KeyError: 'missing'")
    lines = statements(func)
    assert lines["for n in range(3): total += n"]["count"] == 4, "a loop on one line runs its line again"
    assert lines["while total < 40: total += 7"]["count"] >= 3
    [call] = [c for c in lines["risky(True)"]["children"] if c["kind"] == "call"]
    assert (call["title"], call["status"]) == ("risky", "fail")
    checked = lines["prices.checked(-1)"]
    assert checked["status"] == "fail" and checked["error"] == "ValueError: negative"
    [data] = lines['with step("data", "update models.Order", rowId=order["id"]):']["children"]
    assert data["kind"] == "data" and data["info"] == {"rowId": 7} and "children" not in data
    [service] = lines['with step("service", "services.Prices.total"):']["children"]
    assert [c["title"] for c in service["children"]] == ["Prices.total"]
    [event] = lines["fire()"]["children"]
    assert event["kind"] == "event" and event["title"] == "events.Nested"
    assert {s["code"]: s["count"] for s in nested[0]["children"]} == \
        {"x = 1": 1, "for i in range(2):": 3, "x += i": 2, "return x": 1}
    assert lines["if order[\"fail\"]:"]["status"] == "success"


@pytest.mark.parametrize("backend", BACKENDS)
def test_depth_and_size_limits(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    module = load_app_module(tmp_path, "services/R/service.py", """
        def down(n):
            return 0 if n == 0 else 1 + down(n - 1)

        def many():
            total = 0
            for i in range(30):
                total += down(1)
            return total
    """)
    tracer = new_tracer(tmp_path, max_depth=3)
    assert tracer.backend == backend
    tracer.start()
    try:
        module.down(10)
    finally:
        tracer.stop()
    depth, node = 0, tracer.tree()[0]
    while node:
        depth += 1
        node = next((c for s in node["children"] for c in s.get("children", []) if c["kind"] == "call"), None)
    assert depth == 3

    capped = new_tracer(tmp_path, max_steps=5)
    capped.start()
    try:
        module.many()
    finally:
        capped.stop()
    tree = capped.tree()
    assert tree[-1]["kind"] == "note" and capped.omitted == tree[-1]["count"] > 0
    assert capped.tree_json().count('"kind"') == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_long_handler_is_built_in_parts_alike(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    module = load_app_module(tmp_path, "services/L/service.py", """
        def half(v):
            return v // 2

        def run(n):
            total = 0
            for i in range(n):
                if i % 3:
                    total += half(i)
                else:
                    try:
                        raise ValueError(i)
                    except ValueError:
                        total -= 1
            return total
    """)

    def traced() -> Tracer:
        tracer = new_tracer(tmp_path)
        tracer.start()
        try:
            module.run(500)
        finally:
            tracer.stop()
        return tracer

    at_once = traced()
    monkeypatch.setattr(tracing, "FOLD_AT", 64)
    if HAS_MONITORING:
        from jitstudio.runtime.execution import monitoring
        monkeypatch.setattr(monitoring, "FOLD_AT", 64)
    in_parts = traced()
    assert len(in_parts.entries) < 64 < len(at_once.entries)
    assert timeless(in_parts.tree()) == timeless(at_once.tree())


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_tracer_records_only_its_own_thread(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    module = load_app_module(tmp_path, "services/T/service.py", """
        def mine(stop):
            n = 0
            while not stop.is_set():
                n += 1
            return n

        def busy(stop, ready):
            ready.set()
            n = 0
            while not stop.wait(0.0005):
                n += 1
            return n
    """)
    stop, ready = threading.Event(), threading.Event()
    other = threading.Thread(target=module.busy, args=(stop, ready))
    other.start()
    ready.wait(5)
    tracer = new_tracer(tmp_path)
    tracer.start()
    try:
        threading.Timer(0.05, stop.set).start()
        module.mine(stop)
    finally:
        tracer.stop()
        other.join(5)
    assert [s["title"] for s in tracer.tree()] == ["mine"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_threads_trace_at_once_each_its_own_path(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    module = load_app_module(tmp_path, "services/P/service.py", """
        def work(name, rounds, barrier):
            total = 0
            for i in range(rounds):
                barrier.wait()
                total += len(name)
            return total
    """)
    barrier = threading.Barrier(2)
    trees: dict[str, list] = {}

    def run(name: str, rounds: int) -> None:
        tracer = new_tracer(tmp_path)
        tracer.start()
        try:
            module.work(name, rounds, barrier)
        finally:
            tracer.stop()
        trees[name] = tracer.tree()

    threads = [threading.Thread(target=run, args=("a", 20)), threading.Thread(target=run, args=("bb", 20))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    for name in ("a", "bb"):
        [call] = trees[name]
        assert call["count"] == 1
        assert {s["line"]: s["count"] for s in call["children"]} == {3: 1, 4: 21, 5: 20, 6: 20, 7: 1}


@pytest.mark.parametrize("backend", BACKENDS)
def test_nested_tracers_on_one_thread(tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    module = load_app_module(tmp_path, "services/N/service.py", """
        def inner():
            y = 2
            return y

        def outer(nest):
            a = 1
            nested = nest()
            b = 3
            return a + b
    """)
    inner_tracer = new_tracer(tmp_path)

    def nest():
        inner_tracer.start()
        try:
            return module.inner()
        finally:
            inner_tracer.stop()

    outer_tracer = new_tracer(tmp_path)
    outer_tracer.start()
    try:
        module.outer(nest)
    finally:
        outer_tracer.stop()
    [outer] = outer_tracer.tree()
    assert [s["line"] for s in outer["children"]] == [7, 8, 9, 10]
    assert all("children" not in s for s in outer["children"]), "the inner function is the inner tracer's"
    [inner] = inner_tracer.tree()
    assert inner["title"] == "inner" and [s["line"] for s in inner["children"]] == [3, 4]


@pytest.mark.parametrize("backend", BACKENDS)
def test_functions_written_alike_in_two_files_stay_apart(store, tmp_path, monkeypatch, backend):
    monkeypatch.setattr(tracing, "BACKEND", backend)
    source = "def customFunc():\n    return None\n"
    first = load_app_module(tmp_path, "events/First/inner.py", source)
    second = load_app_module(tmp_path, "events/Second/inner.py", source)
    assert first.customFunc.__code__ == second.customFunc.__code__, "code objects compare by content"

    def both():
        first.customFunc()
        second.customFunc()

    outcome = run_recorded(store, event="events.Both", call=both, app_dir=tmp_path)
    assert [s["file"] for s in store.get(outcome.record_id).steps] == ["events/First/inner.py", "events/Second/inner.py"]


@needs_monitoring
def test_the_monitoring_backend_leaves_settrace_alone(store, tmp_path, monkeypatch):
    monkeypatch.setattr(tracing, "BACKEND", "")
    module = load_app_module(tmp_path, "events/S/inner.py", """
        def customFunc():
            return 1
    """)
    seen = []

    def outer_trace(frame, event, arg):
        seen.append(event)
        return None

    assert type(new_tracer(tmp_path)).__name__ == "MonitoringTracer"
    sys.settrace(outer_trace)
    try:
        run_recorded(store, event="events.S", call=module.customFunc, app_dir=tmp_path)
        with step("data", "nothing traced here"):
            pass
        assert sys.gettrace() is outer_trace
    finally:
        sys.settrace(None)
    assert "call" in seen


def test_the_settrace_backend_can_be_chosen(tmp_path, monkeypatch):
    monkeypatch.setattr(tracing, "BACKEND", "settrace")
    assert type(new_tracer(tmp_path)) is SettraceTracer
    assert tracing.backend_in_use() == "settrace"
    monkeypatch.setattr(tracing, "BACKEND", "")
    assert tracing.backend_in_use() == ("monitoring" if HAS_MONITORING else "settrace")
    other = tmp_path / f"other_{uuid.uuid4().hex[:6]}"
    other.mkdir()
    assert new_tracer(other).backend == tracing.backend_in_use()
