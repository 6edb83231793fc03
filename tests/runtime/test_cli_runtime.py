"""The runtime's commands, run as a user runs them: `python -m jitstudio data|call|publish|event test`."""
from __future__ import annotations

import json
import subprocess
import sys

from jitstudio.runtime import Runtime


def jitstudio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jitstudio", *args], capture_output=True, text=True, timeout=120)


def test_data_commands_print_json_and_a_refused_write_exits_1(shop):
    made = jitstudio("data", str(shop), "create", "Product", '{"name": "Pen", "sku": "P1", "price": 2.5, "stock": 2}')
    assert made.returncode == 0, made.stderr
    row = json.loads(made.stdout)
    assert row["id"] == 1 and row["price"] == 2.5 and row["active"] is True
    refused = jitstudio("data", str(shop), "update", "models.Product", "1", '{"stock": -1}')
    assert refused.returncode == 1
    assert "Not enough stock for Pen (P1): 2 left, 3 requested" in refused.stderr
    updated = jitstudio("data", str(shop), "update", "Product", "1", '{"stock": 5}')
    assert json.loads(updated.stdout)["stock"] == 5
    listed = jitstudio("data", str(shop), "list", "Product", "--json", "--filter", "Q(Q('stock', '>', 3))")
    assert [r["sku"] for r in json.loads(listed.stdout)] == ["P1"]
    assert json.loads(jitstudio("data", str(shop), "get", "Product", "1").stdout)["stock"] == 5
    assert json.loads(jitstudio("data", str(shop), "delete", "Product", "1").stdout) == {"deleted": 1}
    missing = jitstudio("data", str(shop), "get", "Product", "1")
    assert missing.returncode == 1 and "no row with id = 1" in missing.stderr
    bad = jitstudio("data", str(shop), "create", "Product", "{not json")
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr


def test_call_publish_and_event_test_wait_for_their_async_events(shop):
    with Runtime(shop, async_worker=False) as rt:
        customer = rt.app.models.Customer.create({"name": "Ann", "email": "a@x.org", "level": "regular"})
        rt.app.models.Product.create({"name": "Pen", "sku": "P1", "price": 2, "stock": 9})
        order = rt.call("services.OrderSvc.placeOrder", [customer.id.value, [{"productId": 1, "quantity": 1}]])
    paid = jitstudio("call", str(shop), "services.OrderSvc.payOrder", "--args", json.dumps([order["orderId"]]))
    assert paid.returncode == 0, paid.stderr
    assert json.loads(paid.stdout)["status"] == "paid"
    with Runtime(shop, async_worker=False) as rt:
        assert rt.pending_async() == 0  # the async payment notice ran before the command exited
        assert [m["title"] for m in rt.app.message.list()] == [f"Order {order['orderNo']} is paid"]
    published = jitstudio("publish", str(shop), "services.OrderSvc.orderPaid",
                          "--args", json.dumps([{"orderId": order["orderId"], "orderNo": order["orderNo"]}]))
    assert published.returncode == 0, published.stderr
    assert [o["event"] for o in json.loads(published.stdout)] == ["events.OrderPaidSubscriber"]
    tested = jitstudio("event", "test", str(shop), "events.StockGuard",
                       "--payload", '{"prevData": {"stock": 1}, "postData": {"stock": -1, "name": "Pen", "sku": "P1"}}')
    assert tested.returncode == 1
    result = json.loads(tested.stdout)
    assert result["status"] == "fail" and "Not enough stock for Pen (P1)" in result["error"] and result["recordId"]
    ok = jitstudio("event", "test", str(shop), "events.FillOrderNo", "--payload", '{"postData": {}}')
    assert ok.returncode == 0 and json.loads(ok.stdout)["status"] == "success"
    unknown = jitstudio("call", str(shop), "services.OrderSvc.payOrder", "--args", '{"x": 1}')
    assert unknown.returncode == 2 and "--args must be a JSON array" in unknown.stderr
