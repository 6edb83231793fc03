"""Element operations: create each kind, refuse bad parameters without writing, rename, delete, switch."""
import ast
import json
from pathlib import Path

import pytest

from jitstudio.project import (
    OperationError, create_agent, create_assistant, create_event, create_model, create_service, create_workflow,
    delete_element, load_project, rename_element, set_async, set_enable,
)

EVENT_KEYS = {
    "model": {"sender": "models.Order", "operate": "UpdateAfter", "fields": ["status"], "filter": "Q(status='paid')"},
    "workflow": {"model": "models.Order", "operate": "NodeChange", "triggerNode": ["after.managerApproval"]},
    "normal": {"sender": "services.OrderSvc.orderPaid"},
    "assistant": {"sender": "aiassistants.ShopAssistant", "operate": "lookupOrder.beforeNodeRun"},
    "agent": {"sender": "aiagents.OrderAgent", "stage": "postEvent"},
}
GLOBAL_HANDLERS = {
    "model": "services.OrderSvc.auditChange",
    "workflow": "services.OrderSvc.auditChange",
    "normal": "services.OrderSvc.onOrderPaid",
    "assistant": "services.OrderSvc.onLookupDone",
    "agent": "services.OrderSvc.logAgentTool",
}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("handler", ["Inner", "Global"])
@pytest.mark.parametrize("kind", list(EVENT_KEYS))
def test_create_event_writes_a_switched_off_event_that_loads_cleanly(shop, kind, handler):
    inner = handler == "Inner"

    full_name = create_event(shop, "NewEvent", kind, title="Nouvel événement", inner=inner,
                             func=None if inner else GLOBAL_HANDLERS[kind], async_=kind == "agent", **EVENT_KEYS[kind])

    assert full_name == "events.NewEvent"
    project = load_project(shop)
    assert project.problems == []
    event = project.get(full_name)
    assert event.kind == kind
    assert event.enabled is False
    assert read_json(shop / "events/NewEvent/e.json")["enable"] == 0
    assert event.is_async is (kind == "agent")
    assert event.title == "Nouvel événement"
    assert event.event_spec.is_inner is inner
    files = sorted(p.name for p in event.directory.iterdir())
    if inner:
        assert files == ["__init__.py", "e.json", "inner.py"]
        assert "customFunc" in event.inner.functions
        assert (event.directory / "__init__.py").read_text() == "from .inner import customFunc\n"
    else:
        assert files == ["e.json"]
        assert event.event_spec.func == GLOBAL_HANDLERS[kind]


def test_created_event_can_be_switched_on_and_made_async(shop):
    create_event(shop, "NewEvent", "model", **EVENT_KEYS["model"])
    event = load_project(shop).get("events.NewEvent")

    assert set_enable(event, True) is True
    assert set_async(event, True) is True

    reloaded = load_project(shop).get("events.NewEvent")
    assert (reloaded.enabled, reloaded.is_async) == (True, True)
    assert set_enable(reloaded, True) is False


def test_create_model_writes_fields_as_class_attributes(shop):
    fields = [{"name": "code", "datatype": "Stext", "title": "Code promo"},
              {"name": "percent", "datatype": "Percent", "title": "It's \"off\"", "params": {"default": 10}}]

    assert create_model(shop, "Coupon", title="Bon d'achat", fields=fields) == "models.Coupon"

    project = load_project(shop)
    assert project.problems == []
    model = project.get("models.Coupon")
    assert model.field_names == ["id", "code", "percent", "createdAt", "updatedAt"]
    assert model.field("percent").title == 'It\'s "off"'
    assert model.field("percent").params["default"] == 10
    assert model.primary_key == "id"
    assert model.source.meta["title"] == "Bon d'achat"


def test_create_service_writes_every_function_as_a_method(shop):
    functions = [{"name": "apply", "title": 'Apply a "code" \\ now', "args": [{"name": "code", "dataType": "Stext"}]}]

    create_service(shop, "CouponSvc", functions=functions, event_descs=[{"name": "applied", "title": "Applied"}])
    create_event(shop, "OnApplied", "normal", sender="services.CouponSvc.applied", inner=False,
                 func="services.CouponSvc.apply")

    project = load_project(shop)
    assert project.problems == []
    service = project.get("services.CouponSvc")
    assert service.methods["apply"].params == ["code"]
    assert service.event_names == ["applied"]


def test_create_workflow_agent_and_assistant_load_cleanly(shop):
    create_workflow(shop, "CancelApproval", data_model="models.Order", approvers=["manager"])
    create_agent(shop, "CouponAgent", description="Helps with coupons", tools=[
        {"type": "service", "name": "services.OrderSvc", "enableFunctionList": {"getOrder": {"preEvent": {"withData": True}}}}])
    create_assistant(shop, "CouponDesk", agent="aiagents.CouponAgent")
    create_assistant(shop, "EmptyDesk")

    project = load_project(shop)
    assert project.problems == []
    assert project.get("workflows.CancelApproval").node_ids == ["StartNode", "Approve1", "EndNode"]
    assert project.get("aiagents.CouponAgent").config_spec.tools[0].name == "services.OrderSvc"
    assert (shop / "aiagents/CouponAgent/prompt.md").is_file()
    assert project.get("aiassistants.CouponDesk").node_ids == ["start", "end", "agent1"]
    assert project.get("aiassistants.EmptyDesk").node_ids == ["start", "end"]


@pytest.mark.parametrize(("create", "message"), [
    (lambda root: create_event(root, "StockGuard", "model", **EVENT_KEYS["model"]), "events.StockGuard already exists"),
    (lambda root: create_event(root, "9Lives", "model", **EVENT_KEYS["model"]),
     "'9Lives' is not a valid name: use letters, digits and _, not starting with a digit"),
    (lambda root: create_event(root, "my-event", "model", **EVENT_KEYS["model"]), "'my-event' is not a valid name"),
    (lambda root: create_event(root, "class", "model", **EVENT_KEYS["model"]), "'class' is a Python keyword"),
    (lambda root: create_event(root, "", "model", **EVENT_KEYS["model"]), "give a name"),
    (lambda root: create_event(root, "E", "model", sender="models.Order", operate="UpdateAftr"),
     "operate 'UpdateAftr' is not one of AddBefore, AddAfter, UpdateBefore, UpdateAfter, DeleteBefore, DeleteAfter, FieldUpdateAfter"),
    (lambda root: create_event(root, "E", "model", sender="models.Order"), "operate is required"),
    (lambda root: create_event(root, "E", "agent", sender="aiagents.OrderAgent", stage="during"),
     "stage 'during' is not one of preEvent, postEvent"),
    (lambda root: create_event(root, "E", "model", inner=False, **EVENT_KEYS["model"]),
     "choose the service function that handles the event"),
    (lambda root: create_event(root, "E", "timer"), "event kind 'timer' is not one of model, workflow, normal, assistant, agent"),
    (lambda root: create_model(root, "Order"), "models.Order already exists"),
    (lambda root: create_model(root, "Coupon", fields=[{"name": "code", "datatype": "Strext"}]),
     "field 'code' has unknown datatype 'Strext'"),
    (lambda root: create_model(root, "Coupon", fields=[{"name": "extra", "datatype": "JitDict"}]),
     "field 'extra': JitDict cannot be a model field"),
    (lambda root: create_model(root, "Coupon", fields=[{"name": "for", "datatype": "Stext"}]),
     "field name 'for' is a Python keyword"),
    (lambda root: create_model(root, "Coupon", fields=[{"name": "value", "datatype": "Stext"}]),
     "field name 'value' is reserved"),
    (lambda root: create_service(root, "CouponSvc", functions=[{"name": "apply now"}]),
     "function name 'apply now' is not a valid name"),
    (lambda root: create_service(root, "CouponSvc", functions=[{"title": "Apply"}]), "functionList.0.name is required"),
    (lambda root: create_workflow(root, "with", data_model="models.Order"), "'with' is a Python keyword"),
    (lambda root: create_agent(root, "OrderAgent"), "aiagents.OrderAgent already exists"),
    (lambda root: create_agent(root, "A", tools=[{"type": "robot", "name": "services.OrderSvc"}]),
     "type 'robot' is not one of model, service, ui, mcpServer, custom"),
    (lambda root: create_assistant(root, "Shop Assistant"), "'Shop Assistant' is not a valid name"),
], ids=["taken", "digit first", "dash", "keyword", "empty", "bad operate", "no operate", "bad stage",
        "Global without func", "unknown kind", "taken model", "unknown datatype", "JitDict field", "keyword field",
        "reserved field", "bad function name", "function without name", "keyword workflow", "taken agent",
        "bad tool type", "space in name"])
def test_invalid_parameters_are_refused_and_nothing_is_written(shop, create, message):
    before = tree(shop)

    with pytest.raises(OperationError) as refused:
        create(shop)

    assert message in str(refused.value)
    assert tree(shop) == before


def test_rename_model_updates_json_references_and_reports_code(shop):
    project = load_project(shop)

    report = rename_element(project, "models.Order", "Purchase")

    assert report.new_full_name == "models.Purchase"
    assert report.updated_files == [
        "events/FillOrderNo/e.json", "events/OrderPaidNotify/e.json", "events/OrderStatusAudit/e.json",
        "events/RefundNodeHandled/e.json", "events/RefundStatusChanged/e.json",
        "workflows/RefundApproval/config.json", "workflows/RefundApproval/e.json",
    ]
    assert not (shop / "models/Order").exists()
    reloaded = load_project(shop)
    assert reloaded.problems == []
    assert reloaded.get("events.OrderStatusAudit").event_spec.sender == "models.Purchase"
    assert reloaded.get("events.RefundStatusChanged").event_spec.model == "models.Purchase"
    assert reloaded.get("workflows.RefundApproval").spec.dataModel == "models.Purchase"
    assert reloaded.get("models.OrderItem") is not None
    service_lines = (shop / "services/OrderSvc/service.py").read_text().splitlines()
    for reference in report.code_references:
        path, line = reference.rsplit(":", 1)
        assert "models.Order" in (shop / path).read_text().splitlines()[int(line) - 1]
    assert [r for r in report.code_references if r.startswith("services/OrderSvc/service.py:")] == [
        f"services/OrderSvc/service.py:{i}" for i, text in enumerate(service_lines, 1)
        if '"models.Order"' in text]


def test_rename_service_updates_handlers_senders_agent_tools_and_assistant_nodes(shop):
    project = load_project(shop)
    untouched = (shop / "events/StockGuard/e.json").read_bytes()

    report = rename_element(project, "services.OrderSvc", "OrderService")

    reloaded = load_project(shop)
    assert reloaded.problems == []
    assert reloaded.get("events.OrderStatusAudit").event_spec.func == "services.OrderService.auditChange"
    assert reloaded.get("events.OrderPaidSubscriber").event_spec.sender == "services.OrderService.orderPaid"
    assert reloaded.get("aiagents.OrderAgent").config_spec.tools[0].name == "services.OrderService"
    assert reloaded.get("aiassistants.ShopAssistant").config_spec.nodes["lookupOrder"].function == "services.OrderService.getOrder"
    assert (shop / "events/StockGuard/e.json").read_bytes() == untouched
    assert "services/OrderService/service.py:89" in report.code_references  # publish(sender="services.OrderSvc.orderPaid")


def test_rename_reports_attribute_style_code_references(shop):
    report = rename_element(load_project(shop), "services.AuditSvc", "Audit")

    assert report.updated_files == ["events/CustomerAudit/e.json"]
    assert report.code_references == ["services/OrderSvc/service.py:115"]
    assert "app.services.AuditSvc" in (shop / "services/OrderSvc/service.py").read_text().splitlines()[114]


def test_rename_agent_and_assistant_update_their_events(shop):
    rename_element(load_project(shop), "aiagents.OrderAgent", "SalesAgent")
    rename_element(load_project(shop), "aiassistants.ShopAssistant", "Concierge")

    reloaded = load_project(shop)
    assert reloaded.problems == []
    assert reloaded.get("events.AgentToolPreCall").event_spec.sender == "aiagents.SalesAgent"
    assert reloaded.get("aiassistants.Concierge").config_spec.nodes["orderAgent"].agent == "aiagents.SalesAgent"
    assert reloaded.get("events.LookupNodeFinished").event_spec.sender == "aiassistants.Concierge"


@pytest.mark.parametrize(("full_name", "new_name", "message"), [
    ("models.Nope", "Other", "models.Nope does not exist"),
    ("models.Order", "Product", "models.Product already exists"),
    ("models.Order", "import", "'import' is a Python keyword"),
])
def test_a_refused_rename_changes_nothing(shop, full_name, new_name, message):
    before = tree(shop)

    with pytest.raises(OperationError, match=message):
        rename_element(load_project(shop), full_name, new_name)

    assert tree(shop) == before


def test_delete_reports_what_now_dangles(shop):
    dangling = delete_element(load_project(shop), "services.AuditSvc")

    assert not (shop / "services/AuditSvc").exists()
    assert dangling == [
        "events/CustomerAudit/e.json:9:11: func 'services.AuditSvc.logChange': service 'services.AuditSvc' does not "
        "exist; known: services.MessageSvc, services.OrderSvc"]


def test_delete_model_lists_every_event_and_workflow_that_named_it(shop):
    dangling = delete_element(load_project(shop), "models.Order")

    assert sorted(d.split(":", 1)[0] for d in dangling) == [
        "events/FillOrderNo/e.json", "events/OrderPaidNotify/e.json", "events/OrderStatusAudit/e.json",
        "events/RefundNodeHandled/e.json", "events/RefundStatusChanged/e.json", "workflows/RefundApproval/e.json",
    ]
    assert all("'models.Order'" in d for d in dangling)


def test_delete_does_not_confuse_a_name_with_a_longer_one(shop, edit):
    """Deleting models.Order must not report a problem that mentions only models.OrderItem."""
    edit(shop / "events/StockGuard/e.json", '"models.Product"', '"models.OrderItem"')
    edit(shop / "events/StockGuard/e.json", '"fields": ["stock"],', '"fields": ["colour"],')
    for name in ("FillOrderNo", "OrderPaidNotify", "OrderStatusAudit", "RefundNodeHandled", "RefundStatusChanged"):
        delete_element(load_project(shop), f"events.{name}")
    delete_element(load_project(shop), "workflows.RefundApproval")

    assert delete_element(load_project(shop), "models.Order") == []


def test_new_files_are_valid_python_whatever_the_titles(shop):
    create_model(shop, "Quote", title='Bob\'s "best" \\ model', fields=[{"name": "t", "datatype": "Stext", "title": '"""'}])
    create_service(shop, "QuoteSvc", functions=[{"name": "f", "title": 'ends with a quote"'}])
    create_event(shop, "QuoteEvent", "model", title='Say """hi"""\\', sender="models.Quote", operate="AddAfter")

    for rel in ("models/Quote/model.py", "services/QuoteSvc/service.py", "events/QuoteEvent/inner.py"):
        ast.parse((shop / rel).read_text())
    assert load_project(shop).problems == []
