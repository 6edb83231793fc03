"""Re-running a recorded execution: same input, current code, a new record linked to the old one."""
from __future__ import annotations

import json
import subprocess
import sys

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import Runtime

FAILING = """
def customFunc(*args, **kwargs):
    raise ValueError(f"cannot handle {args!r} {kwargs!r}")
"""
FIXED = """
def customFunc(*args, **kwargs):
    return {"args": list(args), "kwargs": kwargs}
"""


def _app(tmp_path, body):
    sub = {"type": "events.NormalType", "sender": "services.Pub.paid", "funcType": "Inner"}
    return make_app(tmp_path / "app", services={"Pub": ({"eventDescs": [{"name": "paid", "title": "Paid"}]}, "")},
                    events={"OnPaid": (sub, body)})


def test_a_fixed_handler_reruns_the_failure_with_exactly_its_arguments(tmp_path, db_url):
    app = _app(tmp_path, FAILING)
    with Runtime(app, db_url, async_worker=False) as rt:
        outcome = rt.test_event("events.OnPaid", {"args": [[1, 2]], "kwargs": {"by": "ana"}})
        assert outcome.failed
        failed_id = outcome.record_id
    (app / "events" / "OnPaid" / "inner.py").write_text(FIXED, encoding="utf-8")
    with Runtime(app, db_url, async_worker=False) as rt:
        again = rt.rerun(failed_id)
        assert again.status == "success"
        assert again.value == {"args": [[1, 2]], "kwargs": {"by": "ana"}}
        record = rt.records.get(again.record_id)
        assert record.rerun_of == failed_id
        assert [r.id for r in rt.records.reruns(failed_id)] == [again.record_id]
        assert len(records_of(rt, "events.OnPaid")) == 2


def test_the_cli_reruns_a_model_event_from_its_record(shop):
    with Runtime(shop, async_worker=False) as rt:
        product = rt.app.models.Product.create({"name": "Mug", "sku": "MUG-1", "price": 9, "stock": 3})
        outcome = rt.test_event("events.StockGuard", {"prevData": {"id": product.id.value, "stock": 3},
                                                      "postData": {"id": product.id.value, "stock": -1}})
        assert outcome.failed
    result = subprocess.run([sys.executable, "-m", "jitstudio", "event", "test", str(shop), "events.StockGuard",
                             "--rerun-of", str(outcome.record_id)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    printed = json.loads(result.stdout)
    assert printed["status"] == "fail" and printed["recordId"] != outcome.record_id
    with Runtime(shop, async_worker=False) as rt:
        rerun = rt.records.get(printed["recordId"])
        assert rerun.rerun_of == outcome.record_id
        assert rerun.input["postData"]["stock"] == -1
