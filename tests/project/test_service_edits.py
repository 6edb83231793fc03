"""Forms' edits of an existing service (jitstudio.project.service_edits), on a copy of the Shop example: each one
writes the functionList entry and the method together, changes only the text it must (golden before/after), and
leaves nothing half done when a write fails."""
import json
import shutil
from pathlib import Path

import pytest

from jitstudio.project import (
    OperationError, add_event_desc, add_function, add_missing_method, create_service, list_method, load_project,
    remove_event_desc, remove_function, update_event_desc, update_function,
)
from jitstudio.project import _edits
from jitstudio.project.references import subscribers
from jitstudio.project.service_edits import function_problems, new_entry

EXAMPLES = Path(__file__).resolve().parents[2] / "jitstudio" / "examples"


@pytest.fixture
def shop(tmp_path) -> Path:
    return shutil.copytree(EXAMPLES / "shop", tmp_path / "shop", ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))


def texts(shop: Path, service: str = "OrderSvc") -> tuple[str, str]:
    folder = shop / "services" / service
    return (folder / "e.json").read_text(), (folder / "service.py").read_text()


def replaced_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


SHIP = new_entry("shipOrder", "Ship order", [{"name": "orderId", "title": "Order ID", "dataType": "Numeric"},
                                             {"name": "carrier", "title": "Carrier", "dataType": "Stext", "required": False}],
                 "JitDict", "Marks a paid order as shipped.")


def test_add_function_writes_the_entry_and_a_method_stub_and_nothing_else(shop):
    json_before, py_before = texts(shop)
    written = add_function(load_project(shop), "services.OrderSvc", SHIP)
    assert written == ["services/OrderSvc/e.json", "services/OrderSvc/service.py"]
    json_after, py_after = texts(shop)
    assert json_after == replaced_once(json_before, """      "async": false
    }
  ],
  "eventDescs": [""", """      "async": false
    },
    {
      "name": "shipOrder",
      "title": "Ship order",
      "args": [
        {"name": "orderId", "title": "Order ID", "dataType": "Numeric", "required": true},
        {"name": "carrier", "title": "Carrier", "dataType": "Stext", "required": false}
      ],
      "returnType": "JitDict",
      "desc": "Marks a paid order as shipped."
    }
  ],
  "eventDescs": [""")
    # after the last function the list declares, before the private helpers and their section comment
    assert py_after == replaced_once(py_before, """
    # --------------------------------------------------------------- helpers
""", """
    def shipOrder(self, orderId, carrier):
        \"\"\"Ship order\"\"\"
        return None

    # --------------------------------------------------------------- helpers
""")
    project = load_project(shop)
    assert project.get("services.OrderSvc").methods["shipOrder"].params == ["orderId", "carrier"]
    assert not project.errors


def test_a_service_without_functions_gets_its_first_one_in_place_of_pass(shop):
    create_service(shop, "ShipSvc", title="Shipping")
    add_function(load_project(shop), "services.ShipSvc", new_entry("ship", args=[{"name": "orderId", "dataType": "Numeric"}]))
    data = json.loads((shop / "services/ShipSvc/e.json").read_text())
    assert data["functionList"] == [{"name": "ship", "title": "ship", "args": [
        {"name": "orderId", "title": "orderId", "dataType": "Numeric", "required": True}], "returnType": "None"}]
    assert (shop / "services/ShipSvc/service.py").read_text().endswith(
        'class ShipSvc(NormalService):\n    def ship(self, orderId):\n        """ship"""\n        return None\n')
    assert not load_project(shop).errors


def test_rename_renames_the_method_its_self_calls_and_whoever_names_it(shop):
    project = load_project(shop)
    entry = dict(project.get("services.OrderSvc").ejson.doc.get("/functionList/2"), name="fetchOrder")
    json_before, py_before = texts(shop)
    agent_before = (shop / "aiagents/OrderAgent/config.json").read_text()
    assistant_before = (shop / "aiassistants/ShopAssistant/config.json").read_text()
    written = update_function(project, "services.OrderSvc", "getOrder", entry)
    assert sorted(written) == ["aiagents/OrderAgent/config.json", "aiassistants/ShopAssistant/config.json",
                               "services/OrderSvc/e.json", "services/OrderSvc/service.py"]
    assert (shop / "aiassistants/ShopAssistant/config.json").read_text() == replaced_once(
        assistant_before, '"function": "services.OrderSvc.getOrder"', '"function": "services.OrderSvc.fetchOrder"')
    json_after, py_after = texts(shop)
    assert json_after == replaced_once(json_before, '"name": "getOrder"', '"name": "fetchOrder"')
    assert py_after == replaced_once(py_before, "    def getOrder(self, orderId):", "    def fetchOrder(self, orderId):")
    agent_after = (shop / "aiagents/OrderAgent/config.json").read_text()
    assert agent_after.count('"fetchOrder"') == 1 and '"getOrder": {' not in agent_after
    assert len(agent_after) == len(agent_before) + len("fetch") - len("get")
    assert not load_project(shop).errors


def test_rename_follows_into_events_func_and_self_calls(shop):
    project = load_project(shop)
    service = project.get("services.OrderSvc")
    update_function(project, "services.OrderSvc", "auditChange", dict(service.ejson.doc.get("/functionList/4"), name="auditOrderChange"))
    assert json.loads((shop / "events/OrderStatusAudit/e.json").read_text())["func"] == "services.OrderSvc.auditOrderChange"
    project = load_project(shop)
    entry = dict(project.get("services.OrderSvc").ejson.doc.get("/functionList/2"), name="fetchOrder")
    source = shop / "services/OrderSvc/service.py"
    source.write_text(source.read_text().replace("        return self._orderDict(self._loadOrder(orderId))",
                                                 "        return self._orderDict(self._loadOrder(orderId))\n\n"
                                                 "    def again(self, orderId):\n        return self.getOrder(orderId)"))
    update_function(load_project(shop), "services.OrderSvc", "getOrder", entry)
    assert "return self.fetchOrder(orderId)" in source.read_text()
    assert not load_project(shop).errors


def test_editing_args_keeps_the_keys_the_form_does_not_show_and_the_method_follows(shop):
    project = load_project(shop)
    old = project.get("services.OrderSvc").ejson.doc.get("/functionList/0")
    args = [dict(a) for a in old["args"]]
    args[2]["title"] = "Order note"
    args.append({"name": "coupon", "title": "Coupon", "dataType": "Stext", "required": False})
    json_before, py_before = texts(shop)
    update_function(project, "services.OrderSvc", "placeOrder", new_entry("placeOrder", "Place order", args, "JitDict", old["desc"]))
    json_after, py_after = texts(shop)
    expected = replaced_once(json_before, '{"name": "note", "title": "Note", "dataType": "Ltext", "required": false, "value": ""}',
                             '{"name": "note", "title": "Order note", "dataType": "Ltext", "required": false, "value": ""},\n'
                             '        {"name": "coupon", "title": "Coupon", "dataType": "Stext", "required": false}')
    assert json_after == expected  # items' variableConfig, argsToDatatype and async kept as written
    assert py_after == replaced_once(py_before, 'def placeOrder(self, customerId, items, note=""):',
                                     'def placeOrder(self, customerId, items, note="", coupon=None):')


def test_remove_takes_the_entry_and_the_method_and_keeps_the_comment_above_it(shop):
    json_before, py_before = texts(shop)
    remove_function(load_project(shop), "services.OrderSvc", "auditChange")
    json_after, py_after = texts(shop)
    entry_start = json_before.index('    {\n      "name": "auditChange"')
    entry_end = json_before.index('    {\n      "name": "onOrderPaid"')
    assert json_after == json_before[:entry_start] + json_before[entry_end:]
    method_start = py_before.index("    def auditChange")
    method_end = py_before.index("    def onOrderPaid")
    assert py_after == py_before[:method_start] + py_before[method_end:]
    assert "# -------------------------------------------------------- event handlers\n\n    def onOrderPaid" in py_after


def test_a_failed_write_leaves_both_files_as_they_were(shop, monkeypatch):
    json_before, py_before = texts(shop)
    real = _edits.atomic_write_text

    def failing(path, text, like=None):
        if Path(path).name == "service.py":
            raise OSError("disk full")
        return real(path, text, like)

    monkeypatch.setattr(_edits, "atomic_write_text", failing)
    for operation in (lambda p: add_function(p, "services.OrderSvc", SHIP),
                      lambda p: remove_function(p, "services.OrderSvc", "getOrder")):
        with pytest.raises(OSError, match="disk full"):
            operation(load_project(shop))
        assert texts(shop) == (json_before, py_before)


def test_service_py_that_does_not_parse_refuses_before_writing(shop):
    source = shop / "services/OrderSvc/service.py"
    source.write_text(source.read_text() + "\ndef broken(:\n")
    json_before, py_before = texts(shop)
    with pytest.raises(OperationError, match="not valid Python"):
        add_function(load_project(shop), "services.OrderSvc", SHIP)
    assert texts(shop) == (json_before, py_before)


@pytest.mark.parametrize("entry, message", [
    (new_entry("class"), "Name: function name 'class' is a Python keyword"),
    (new_entry("2ship"), "Name: function name '2ship' is not a valid name"),
    (new_entry("getOrder"), "Name: OrderSvc already has a function 'getOrder'"),
    (new_entry("_loadOrder"), "Name: service.py already has a method '_loadOrder'"),
    (new_entry("ship", args=[{"name": "a"}, {"name": "a"}]), "Parameters: parameter 'a' appears twice"),
    (new_entry("ship", args=[{"name": "self"}]), "Parameters: parameter 'self' is given by Python"),
    (new_entry("ship", args=[{"name": "lambda"}]), "Parameters: parameter 'lambda' is a Python keyword"),
    (new_entry("ship", args=[{"name": "a", "dataType": "Float"}]), "Parameters: parameter 'a' has unknown data type 'Float'"),
    (new_entry("ship", return_type="Float"), "Return type: 'Float' is not a data type"),
])
def test_invalid_functions_are_refused_with_a_reason_and_nothing_written(shop, entry, message):
    project = load_project(shop)
    assert any(p.startswith(message) for p in function_problems(project.get("services.OrderSvc"), entry))
    before = texts(shop)
    with pytest.raises(OperationError, match=message.split(": ", 1)[1][:20]):
        add_function(project, "services.OrderSvc", entry)
    assert texts(shop) == before


def test_one_click_fixes_add_the_missing_method_or_the_missing_entry(shop, edit):
    edit(shop / "services/OrderSvc/service.py", "    def getOrder(self, orderId):\n        \"\"\"An order with its lines, as plain values.\"\"\"\n"
         "        return self._orderDict(self._loadOrder(orderId))\n\n", "")
    edit(shop / "services/OrderSvc/service.py", "    # --------------------------------------------------------------- helpers",
         "    def exportOrders(self, since):\n        return []\n\n    # --------------------------------------------------------------- helpers")
    project = load_project(shop)
    assert any("no method 'getOrder'" in p.message for p in project.errors)
    assert add_missing_method(project, "services.OrderSvc", "getOrder") == ["services/OrderSvc/service.py"]
    text = (shop / "services/OrderSvc/service.py").read_text()
    assert '    def payOrder' in text.split("    def getOrder(self, orderId):")[0]  # after payOrder, as listed
    list_method(load_project(shop), "services.OrderSvc", new_entry("exportOrders", args=[{"name": "since", "dataType": "Datetime"}]))
    project = load_project(shop)
    assert {"getOrder", "exportOrders"} <= set(project.get("services.OrderSvc").functions) and not project.errors


def test_event_descs_are_declared_edited_and_removed_and_subscribers_follow_a_rename(shop):
    audit_before = (shop / "services/AuditSvc/e.json").read_text()
    add_event_desc(load_project(shop), "services.AuditSvc", {"name": "audited", "title": "Audited", "desc": ""})
    assert (shop / "services/AuditSvc/e.json").read_text() == replaced_once(
        audit_before, '"eventDescs": []', '"eventDescs": [\n    {"name": "audited", "title": "Audited"}\n  ]')
    json_before, _ = texts(shop)
    update_event_desc(load_project(shop), "services.OrderSvc", "orderPaid",
                      {"name": "orderSettled", "title": "Order paid", "desc": "Published by payOrder."})
    json_after, _ = texts(shop)
    assert json_after == replaced_once(replaced_once(json_before, '"name": "orderPaid"', '"name": "orderSettled"'),
                                       "Published by payOrder with one argument: {orderId, orderNo, customerId, amount}.",
                                       "Published by payOrder.")
    assert json.loads((shop / "events/OrderPaidSubscriber/e.json").read_text())["sender"] == "services.OrderSvc.orderSettled"
    with pytest.raises(OperationError, match="already declares an event 'audited'"):
        add_event_desc(load_project(shop), "services.AuditSvc", {"name": "audited", "title": "Again"})
    with pytest.raises(OperationError, match="Python keyword"):
        add_event_desc(load_project(shop), "services.AuditSvc", {"name": "import", "title": "Import"})
    remove_event_desc(load_project(shop), "services.AuditSvc", "audited")
    assert (shop / "services/AuditSvc/e.json").read_text() == replaced_once(audit_before, '"eventDescs": []', '"eventDescs": []')


def test_a_workflow_is_subscribed_by_the_approval_events_on_its_model(shop, edit):
    project = load_project(shop)
    names = {e.full_name for e in subscribers(project, project.get("workflows.RefundApproval"))}
    assert names == {"events.RefundNodeHandled", "events.RefundStatusChanged"}
    edit(shop / "events/RefundStatusChanged/e.json", '"model": "models.Order",', '"model": "models.Order",\n  "workflow": "workflows.Other",')
    project = load_project(shop)
    assert {e.full_name for e in subscribers(project, project.get("workflows.RefundApproval"))} == {"events.RefundNodeHandled"}
