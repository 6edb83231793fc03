"""The app served over HTTP (`jitstudio.runtime.http`): a real uvicorn server in a thread, called with urllib."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from _runtime_support import make_app, write
from jitstudio.runtime import Runtime
from jitstudio.runtime.data.db import describe
from jitstudio.runtime.records import RecordStore
from jitstudio.runtime.http import AppServer, TokenError, TokenStore

TIMEOUT = 10


@pytest.fixture(autouse=True)
def _default_database(monkeypatch):
    monkeypatch.delenv("JITSTUDIO_DB_URL", raising=False)


def request(base: str, path: str, body=None, *, method: str = "POST", headers: dict | None = None) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else (None if body is None else json.dumps(body).encode())
    sent = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def call(base: str, path: str, body=None, **kw) -> tuple[int, dict]:
    return request(base, "/api/local/shop/" + path, {} if body is None else body, **kw)


def poll(fetch, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        found = fetch()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture
def served(shop):
    lines: list[dict] = []
    rt = Runtime(shop)
    server = AppServer(rt, port=0, log=lines.append).start()
    try:
        yield server.url, rt, lines
    finally:
        server.stop()
        rt.close()


def test_health_names_the_app_and_its_database(served):
    base, rt, lines = served
    assert request(base, "/health", method="GET") == (200, {"app": "shop", "status": "running", "db": describe(rt.db_url)})
    assert base.startswith("http://127.0.0.1:") and not base.endswith(":0")
    assert lines == [{"event": "request", "id": lines[0]["id"], "method": "GET", "path": "/health", "status": 200,
                      "ms": lines[0]["ms"], "user": None}]
    assert request(base, "/ready", method="GET") == (200, {"errcode": 0, "errmsg": "", "data": {"app": "shop", "status": "ready"}})


def test_a_created_order_gets_its_number_from_the_add_before_event(served):
    base, rt, lines = served
    status, body = call(base, "models/Order/create", {"rowData": {"customerId": 1, "amount": 20}})
    assert status == 200 and body["errcode"] == 0 and body["errmsg"] == ""
    order = body["data"]
    assert order["orderNo"].startswith("SO") and order["status"] == "draft" and order["amount"] == 20
    assert rt.model("models.Order").getByPK(order["id"]).orderNo.value == order["orderNo"]
    _, got = call(base, "models.Order/query", {"filter": f"Q(Q('id', '=', {order['id']}))"})
    assert got["data"]["totalCount"] == 1 and got["data"]["rowDatas"][0]["orderNo"] == order["orderNo"]
    assert lines[-1]["path"] == "/api/local/shop/models.Order/query" and lines[-1]["errcode"] == 0


def test_paying_an_order_runs_the_async_notify_event(served, shop):
    base, rt, _ = served
    _, customer = call(base, "models/Customer/create", {"rowData": {"name": "Ann", "email": "ann@x.org", "level": "regular"}})
    _, order = call(base, "models/Order/create", {"rowData": {"customerId": customer["data"]["id"], "amount": 12.5}})
    status, paid = call(base, "services/OrderSvc/payOrder", {"orderId": order["data"]["id"]})
    assert status == 200 and paid["errcode"] == 0, paid
    assert paid["data"]["status"] == "paid" and paid["data"]["paidAt"]
    with RecordStore(app_dir=shop) as store:
        notified = poll(lambda: store.page(event="events.OrderPaidNotify", status="success").records)
        assert notified and notified[0].is_async
        calls = store.page(event="services.OrderSvc.payOrder").records
        assert [r.status for r in calls] == ["success"]
    assert [m["title"] for m in rt.app.message.list()] == [f"Order {order['data']['orderNo']} is paid"]


def test_undeclared_or_missing_arguments_are_api_params_errors(served):
    base, _, _ = served
    status, body = call(base, "services/OrderSvc/payOrder", {"orderId": 1, "coupon": "X"})
    assert status == 200 and body["errcode"] == 10002 and body["errname"] == "API_PARAMS_ERROR"
    assert "'coupon'" in body["errmsg"] and "orderId" in body["errmsg"] and body["data"] is None
    _, missing = call(base, "services/OrderSvc/payOrder", {})
    assert missing["errname"] == "API_PARAMS_ERROR" and "needs the argument 'orderId'" in missing["errmsg"]
    _, model = call(base, "models/Order/create", {"row": {}})
    assert model["errname"] == "API_PARAMS_ERROR"
    assert "'row'" in model["errmsg"] and "rowData, triggerEvent" in model["errmsg"]
    _, bad_filter = call(base, "models/Order/query", {"filter": "Q(Q('nope', '=', 1))"})
    assert bad_filter["errname"] == "API_PARAMS_ERROR"


def test_unknown_functions_elements_and_requests_that_cannot_be_understood(served):
    base, _, _ = served
    status, body = call(base, "services/OrderSvc/shipOrder")
    assert status == 404 and body["errcode"] == 10004 and body["errname"] == "NOT_FOUND"
    assert "no function 'shipOrder' in its functionList" in body["errmsg"] and "payOrder" in body["errmsg"]
    assert call(base, "models/Order/dropTable")[0] == 404
    assert "no element 'services.Nope'" in call(base, "services/Nope/run")[1]["errmsg"]
    assert "only services and models" in call(base, "events/FillOrderNo/customFunc")[1]["errmsg"]
    other_app = request(base, "/api/local/other/services/OrderSvc/payOrder", {"orderId": 1})
    assert other_app[0] == 404 and "runs the app 'shop'" in other_app[1]["errmsg"]
    assert request(base, "/nothing", method="GET")[0] == 404
    assert request(base, "/api/local/shop/services/OrderSvc/getOrder", method="GET")[0] == 405
    not_json = request(base, "/api/local/shop/services/OrderSvc/getOrder", b"{nope")
    assert not_json[0] == 400 and not_json[1]["errname"] == "BAD_REQUEST"
    assert request(base, "/api/local/shop/services/OrderSvc/getOrder", [1])[0] == 400


def test_a_refusing_handler_answers_with_its_message_and_writes_nothing(served):
    base, rt, _ = served
    _, pen = call(base, "models/Product/create", {"rowData": {"name": "Pen", "sku": "P1", "price": 2, "stock": 1}})
    status, body = call(base, "models/Product/updateByPK", {"pk": pen["data"]["id"], "rowData": {"stock": -1}})
    assert status == 200 and body["errcode"] == 10010 and body["errname"] == "APP_ERROR"
    assert body["errmsg"] == "Not enough stock for Pen (P1): 1 left, 2 requested"
    assert rt.model("models.Product").getByPK(pen["data"]["id"]).stock.value == 1
    _, refused = call(base, "services/OrderSvc/payOrder", {"orderId": 99})
    assert refused["errmsg"] == "Order 99 does not exist"


def test_concurrent_requests_are_served_in_parallel_threads(served):
    base, rt, _ = served
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda n: call(base, "models/Order/create", {"rowData": {"customerId": n}}), range(16)))
    assert all(status == 200 and body["errcode"] == 0 for status, body in results)
    assert len({body["data"]["orderNo"] for _, body in results}) == 16
    assert rt.model("models.Order").count() == 16


# -- a small app: jit.errcode.Code, argsToDatatype, model functions, acting users -----------------------------

@pytest.fixture
def mini(tmp_path):
    root = make_app(
        tmp_path / "shop",
        models={"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)\n\n'
                         "@classmethod\ndef lowStock(cls, limit):\n"
                         "    return {'count': cls.count(f\"Q(Q('qty', '<', {int(limit)}))\"), 'model': cls.full_name}\n"},
        services={"ItemSvc": ({"functionList": [
            {"name": "describe", "argsToDatatype": 1, "args": [
                {"name": "item", "dataType": "RowData", "generic": "models.Item", "required": True},
                {"name": "tags", "dataType": "JitList", "generic": "Stext"},
                {"name": "size", "dataType": "Numeric"}]},
            {"name": "refuse", "args": []},
            {"name": "whoami", "args": []}]},
            "def describe(self, item, tags=None, size=None):\n"
            "    item.save()\n"
            "    return {'item': type(item).__name__, 'name': item.name.value, 'id': item.id.value,\n"
            "            'tags': type(tags).__name__, 'count': len(tags), 'size': type(size).__name__}\n"
            "def refuse(self):\n"
            "    from jit.errcode import Code\n"
            "    raise Code(code=40001, reason='Out of stock')\n"
            "def whoami(self):\n"
            "    from globals import GlobalVar\n"
            "    return GlobalVar.currentUser\n")},
        events={"NoNegativeQty": ({"type": "events.ModelType", "sender": "models.Item", "operate": "AddBefore",
                                   "funcType": "Inner", "asyncType": False, "enable": 1},
                                  "def customFunc(eventOutData):\n"
                                  "    if (eventOutData.postData.value.get('qty') or 0) < 0:\n"
                                  "        raise ValueError('qty must not be negative')\n")})
    write(root / "models" / "Item" / "e.json", {"title": "Item", "type": "models.NormalType", "functionList": [
        {"name": "lowStock", "args": [{"name": "limit", "dataType": "Numeric", "required": True}]}]})
    app_json = json.loads((root / "app.json").read_text())
    write(root / "app.json", {**app_json, "users": [{"name": "ana"}, {"name": "bob"}]})
    rt = Runtime(root)
    server = AppServer(rt, port=0).start()
    try:
        yield server.url, rt
    finally:
        server.stop()
        rt.close()


def test_a_refused_create_writes_no_row(mini):
    base, rt = mini
    status, body = call(base, "models/Item/create", {"rowData": {"name": "a", "qty": -1}})
    assert (status, body["errcode"], body["errmsg"]) == (200, 10010, "qty must not be negative")
    assert rt.model("models.Item").count() == 0


def test_a_raised_code_keeps_its_code_and_reason(mini):
    base, _ = mini
    assert call(base, "services/ItemSvc/refuse") == (200, {"errcode": 40001, "errmsg": "Out of stock", "data": None})


def test_args_to_datatype_gives_typed_values_rows_bound_to_their_model(mini):
    base, rt = mini
    status, body = call(base, "services/ItemSvc/describe", {"item": {"name": "bolt", "qty": 3}, "tags": ["a", "b"], "size": 4})
    assert status == 200, body
    assert body["data"] == {"item": "RowData", "name": "bolt", "id": 1, "tags": "JitList", "count": 2, "size": "Numeric"}
    assert rt.model("models.Item").getByPK(1).name.value == "bolt"
    _, wrong = call(base, "services/ItemSvc/describe", {"item": [1, 2]})
    assert wrong["errname"] == "API_PARAMS_ERROR" and "'item' is a RowData" in wrong["errmsg"]


def test_custom_model_functions_reach_the_data_api(mini):
    base, _ = mini
    for qty in (1, 5, 9):
        call(base, "models/Item/create", {"rowData": {"name": f"n{qty}", "qty": qty}})
    assert call(base, "models/Item/lowStock", {"limit": 6})[1]["data"] == {"count": 2, "model": "models.Item"}
    assert "lowStock" in call(base, "models/Item/nothing")[1]["errmsg"]


def test_a_token_acts_as_its_user_and_the_user_header_is_not_trusted(mini):
    base, rt = mini
    store = TokenStore(rt.engine, {"ana", "bob"})
    _, token = store.create("ana")
    signed_in = {"Authorization": f"Bearer {token}"}
    assert call(base, "services/ItemSvc/whoami", headers=signed_in)[1]["data"] == "ana"
    assert call(base, "services/ItemSvc/whoami", headers={**signed_in, "X-Jit-User": "bob"})[1]["data"] == "ana"
    assert call(base, "services/ItemSvc/whoami", headers={"X-Jit-User": "ana"})[1]["data"] is None
    with pytest.raises(TokenError, match="ana, bob"):
        store.create("mallory")
