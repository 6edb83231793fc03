"""Custom events, the event service, the JitAI import names, and the shop's and the seeds' handler code as written."""
from __future__ import annotations

import pytest

from _runtime_support import db_url, make_app, records_of  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import ElementNotFound, JitDict, Runtime, datatypes

PUBLISHER = """
def pay(self, orderId):
    from events.Meta import JitEvent
    app.event.publish(sender="services.Pub.paid", args=({"orderId": orderId},), kwargs={"by": "app.event"})
    JitEvent.publish(sender="services.Pub.paid", args=({"orderId": orderId},))
    return orderId
"""
SUBSCRIBER = """
def customFunc(*args, **kwargs):
    return {"args": list(args), "kwargs": kwargs}
"""
OBJ_SUBSCRIBER = """
def customFunc(obj):
    return obj
"""


@pytest.fixture
def pubsub(tmp_path):
    sub = {"type": "events.NormalType", "sender": "services.Pub.paid", "funcType": "Inner"}
    return make_app(tmp_path / "app", services={"Pub": ({
        "functionList": [{"name": "pay", "title": "Pay"}],
        "eventDescs": [{"name": "paid", "title": "Paid"}]}, PUBLISHER)}, events={
        "Plain": (sub, SUBSCRIBER), "Obj": ({**sub, "objMode": True}, OBJ_SUBSCRIBER),
        "Later": ({**sub, "asyncType": True}, SUBSCRIBER)})


def test_subscribers_receive_exactly_what_was_published(pubsub, db_url):
    with Runtime(pubsub, db_url, async_worker=False) as rt:
        assert rt.call("services.Pub.pay", [7]) == 7
        assert rt.drain(10)
        plain = sorted((r.output for r in records_of(rt, "events.Plain")), key=str)
        assert plain == sorted([{"args": [{"orderId": 7}], "kwargs": {}},
                                {"args": [{"orderId": 7}], "kwargs": {"by": "app.event"}}], key=str)
        later = sorted((r.output for r in records_of(rt, "events.Later")), key=str)
        assert later == plain
        objs = sorted((r.output for r in records_of(rt, "events.Obj")), key=str)
        assert objs == plain
        call = records_of(rt, "services.Pub.pay")[0]
        assert {c.event for c in rt.records.children(call.id)} >= {"events.Plain", "events.Obj"}


def test_publishing_an_undeclared_event_names_the_declared_ones(pubsub):
    with Runtime(pubsub, async_worker=False) as rt:
        with pytest.raises(ElementNotFound, match="declares no event 'nope'.*paid"):
            rt.publish("services.Pub.nope")


def test_event_service_send_event_and_event_log(pubsub, db_url):
    with Runtime(pubsub, db_url, async_worker=False) as rt:
        svc = rt.app.getElement("events.services.EventSvc")
        result = svc.sendEvent("services.Pub.paid", {"orderId": 3})
        statuses = sorted((r["event"], r["status"]) for r in result.results.value)
        assert statuses == [("events.Later", "queued"), ("events.Obj", "success"), ("events.Plain", "success")]
        rt.drain(10)
        log = svc.getEventLog("events.Plain", status="success", page=1, pageSize=10)
        assert log["totalCount"] == 1 and log.totalCount.value == 1
        assert log["rowDatas"][0]["output"] == {"args": [], "kwargs": {"orderId": 3}}
        assert svc.getEventLog("events.Plain", status="fail")["totalCount"] == 0


def test_datatypes_values_and_platform_names():
    value = datatypes.Stext.new({"name": "x"}, "hello")
    assert value.value == "hello" and value == "hello"
    d = datatypes.JitDict.new({"variableList": [{"name": "a", "dataType": "Numeric"}]}, {"a": 1, "b": "x"})
    assert d.a.value == 1 and d.b.value == "x" and d.get("a") == 1 and d["b"] == "x" and d.toDict() == {"a": 1, "b": "x"}
    row = datatypes.RowData.new({"generic": "models.X"}, {"name": "n"})
    row.name.value = "m"
    assert row.value == {"name": "m"} and row["name"] == "m"
    with pytest.raises(AttributeError, match="no key 'zzz'"):
        JitDict({"a": 1}).zzz


def test_the_shop_runs_as_written(shop, db_url):
    with Runtime(shop, db_url, async_worker=False) as rt:
        models = rt.app.models
        ann = models.Customer.create({"name": "Ann", "email": "ann@example.com", "level": "vip", "creditLimit": 1000})
        pen = models.Product.create({"name": "Pen", "sku": "P1", "price": 2.5, "stock": 3})
        placed = rt.call("services.OrderSvc.placeOrder", kwargs={"customerId": ann.id.value, "items": [{"productId": pen.id.value, "quantity": 2}]})
        assert placed["orderNo"].startswith("SO") and placed["amount"] == 5.0  # FillOrderNo filled it
        paid = rt.call("services.OrderSvc.payOrder", [placed["orderId"]])
        assert paid["status"] == "paid"
        assert models.Product.getByPK(pen.id.value).stock.value == 1  # OrderPaidSubscriber reserved stock
        again = rt.call("services.OrderSvc.placeOrder", kwargs={"customerId": ann.id.value, "items": [{"productId": pen.id.value, "quantity": 2}]})
        with pytest.raises(ValueError, match=r"Not enough stock for Pen \(P1\): 1 left, 2 requested"):
            rt.call("services.OrderSvc.payOrder", [again["orderId"]])
        assert models.Order.getByPK(again["orderId"]).status.value == "draft"  # the whole call rolled back
        assert rt.drain(20)
        messages = rt.app.message.list()
        assert [m["title"] for m in messages] == [f"Order {placed['orderNo']} is paid"]
        assert messages[0]["receivers"] == ["ann@example.com", "sales"]
        audit = [(r["source"], r["action"]) for r in models.AuditLog.query(size=None)["rowDatas"]]
        assert ("models.Order", "UpdateAfter") in audit and ("models.Customer", "AddAfter") in audit
        assert all(r.status == "success" for r in records_of(rt, "events.OrderPaidNotify"))
        guard = records_of(rt, "events.StockGuard", "fail")
        assert len(guard) == 1 and guard[0].traceback[-1]["file"] == "events/StockGuard/inner.py"


SEED_AGENT_INNER = '''# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from jit.commons.utils.logger import log
def customFunc(eventOutData):
    """
    Custom event handler function
    """
    tool_name = eventOutData.get("toolName", "")
    stage = eventOutData.get("stage", "")
    # Execute corresponding processing logic based on different stages
    log.info(f"Tool {tool_name} called at {stage} stage")
    return eventOutData
'''
SEED_AGENT_SERVICE = '''
def log_agent_action(self, eventOutData):
    """
    :param eventOutData: Event context data
    """
    if eventOutData.stage.value == "postEvent":
        # Record execution log
        self.save_audit_log(eventOutData.toolName.value, eventOutData.args.value)
    return eventOutData

def save_audit_log(self, tool, args):
    app.getElement("models.Audit").create({"tool": tool, "detail": str(args)})
'''


def test_the_seeds_agent_event_handlers_run_as_written(tmp_path, db_url):
    spec = {"type": "events.AIAgentType", "sender": "aiagents.Helper"}
    app = make_app(tmp_path / "app", models={"Audit": 'tool = datatypes.Stext(name="tool")\ndetail = datatypes.Ltext(name="detail")'},
                   services={"AuditSvc": ({"functionList": [{"name": "log_agent_action", "title": "Log"}]}, SEED_AGENT_SERVICE)},
                   events={"agentToolEvent": ({**spec, "stage": "preEvent", "funcType": "Inner"}, SEED_AGENT_INNER),
                           "agentToolAudit": ({**spec, "stage": "postEvent", "funcType": "Global",
                                               "func": "services.AuditSvc.log_agent_action"}, None)})
    with Runtime(app, db_url, async_worker=False) as rt:
        pre = JitDict({"toolName": "services.ASvc.func1", "stage": "preEvent", "args": {"x": 1}})
        [outcome] = rt.dispatch("agent", "aiagents.Helper", "preEvent", (pre,))
        assert outcome.status == "success" and outcome.value is pre
        post = JitDict({"toolName": "services.ASvc.func1", "stage": "postEvent", "args": "done"})
        [outcome] = rt.dispatch("agent", "aiagents.Helper", "postEvent", (post,))
        assert outcome.status == "success", outcome.error
        assert rt.app.models.Audit.query()["rowDatas"].value[0]["tool"] == "services.ASvc.func1"
        assert rt.app.getElement("events.agentToolEvent").getSender() == "aiagents.Helper.preEvent"


def test_global_var_code_and_model_py_imports(tmp_path):
    service = """
def who(self):
    from globals import GlobalVar
    from jit.errcode import Code
    import models.Thing.model as m
    assert m.Thing.fieldDeclarations()["label"].config["maxLen"] == 10
    if GlobalVar.currentUser is None:
        raise Code(code=40100, reason="nobody is signed in")
    return str(GlobalVar.currentTime.year)
"""
    app = make_app(tmp_path / "app", models={"Thing": 'label = datatypes.Stext(name="label", maxLen=10)'},
                   services={"Who": ({"functionList": [{"name": "who", "title": "Who"}]}, service)})
    with Runtime(app, async_worker=False) as rt:
        with pytest.raises(Exception, match="nobody is signed in") as caught:
            rt.call("services.Who.who")
        assert caught.value.code == 40100
