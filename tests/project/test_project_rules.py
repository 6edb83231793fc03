"""The rules the forms ask (`event_draft_problems`, `model_field_findings`, `service_findings`…) are the rules
`jitstudio check` reports on files that break them: the same words, located, and the operations refuse them."""
import pytest

from jitstudio.project import (
    EventDraft, OperationError, create_event, create_model, create_service, create_workflow, event_draft_problems,
    load_project, set_async,
)
from jitstudio.project.rules import async_problem, model_field_findings, service_findings, workflow_findings


def problem_lines(root) -> list[str]:
    return [str(p) for p in load_project(root).problems]


def draft_problems(root, draft) -> list[str]:
    return event_draft_problems(load_project(root), draft)


ASYNC_BEFORE = ("an async UpdateBefore handler runs after the write is committed, so it cannot fill fields or stop "
                "the write; a Before event cannot be asynchronous")


def test_async_before_the_form_refuses_it_and_check_warns_where_it_is(shop, edit):
    guard = EventDraft("model", {"sender": "models.Product", "operate": "UpdateBefore", "fields": ["stock"]},
                       title="Stop stock from going below zero", is_async=True)
    assert draft_problems(shop, guard) == [ASYNC_BEFORE[0].upper() + ASYNC_BEFORE[1:]]
    assert async_problem("model", "UpdateBefore") == ASYNC_BEFORE
    assert async_problem("model", "UpdateAfter") is None and async_problem("workflow", "UpdateBefore") is None

    edit(shop / "events/StockGuard/e.json", '"asyncType": false', '"asyncType": true')

    assert problem_lines(shop) == [f"events/StockGuard/e.json:8:16: warning: {ASYNC_BEFORE}"]


def test_async_before_is_refused_by_create_event_and_set_async(shop):
    with pytest.raises(OperationError, match="a Before event cannot be asynchronous"):
        create_event(shop, "EarlyAsync", "model", sender="models.Order", operate="AddBefore", async_=True)
    assert not (shop / "events/EarlyAsync").exists()

    before = (shop / "events/StockGuard/e.json").read_bytes()
    with pytest.raises(OperationError, match="a Before event cannot be asynchronous"):
        set_async(load_project(shop).get("events.StockGuard"), True)
    assert (shop / "events/StockGuard/e.json").read_bytes() == before
    assert set_async(load_project(shop).get("events.OrderStatusAudit"), True) is True


def test_an_empty_title_the_page_refuses_it_and_check_warns(shop, edit):
    audit = EventDraft("model", {"sender": "models.Order", "operate": "FieldUpdateAfter", "fields": ["status"]},
                       title=" ", inner=False, func="services.OrderSvc.auditChange")
    assert draft_problems(shop, audit) == ["Title: give the event a title"]
    new_event = EventDraft("model", {"sender": "models.Order", "operate": "AddAfter"}, name="Untitled")
    assert draft_problems(shop, new_event) == []  # a new event's title defaults to its name

    edit(shop / "events/OrderStatusAudit/e.json", '"Audit order status changes"', '""')

    assert problem_lines(shop) == ["events/OrderStatusAudit/e.json:2:12: warning: give the event a title"]


APPROVAL = {"model": "models.Order", "workflow": "workflows.RefundApproval"}


@pytest.mark.parametrize(("keys", "form", "located"), [
    ({"operate": "NodeChange", "triggerNode": []},
     "Trigger nodes: pick at least one transition; a NodeChange event without triggerNode fires on every node change",
     "events/RefundNodeHandled/e.json:5:14: warning: pick at least one transition; a NodeChange event without "
     "triggerNode fires on every node change"),
    ({"operate": "NodeHandled", "handleNode": "managerApproval", "handleType": []},
     "Handle types: pick at least one action; a NodeHandled event without handleType fires after every action",
     "events/RefundNodeHandled/e.json:7:17: warning: pick at least one action; a NodeHandled event without "
     "handleType fires after every action"),
], ids=["NodeChange without triggerNode", "NodeHandled without handleType"])
def test_approval_event_rules_agree(shop, edit, keys, form, located):
    assert draft_problems(shop, EventDraft("workflow", {**APPROVAL, **keys}, title="Log", inner=True)) == [form]

    path = shop / "events/RefundNodeHandled/e.json"
    if keys["operate"] == "NodeChange":
        edit(path, '"operate": "NodeHandled",\n  "handleNode": "managerApproval",\n  "handleType": ["agree", "refuse", "reject"],',
             '"operate": "NodeChange",')
    else:
        edit(path, '["agree", "refuse", "reject"]', "[]")

    assert problem_lines(shop) == [located]


def test_a_missing_member_is_located_at_operate(shop, edit):
    edit(shop / "events/RefundNodeHandled/e.json", '  "handleNode": "managerApproval",\n', "")

    assert problem_lines(shop) == [
        "events/RefundNodeHandled/e.json:5:14: warning: pick the node; a NodeHandled event without handleNode fires "
        "after an action on any node"]


@pytest.mark.parametrize(("kind", "keys", "message"), [
    ("model", {"sender": "models.Order", "operate": "AddAfter", "fields": []}, "Trigger fields: pick at least one field"),
    ("model", {"sender": "models.Order", "operate": "AddAfter", "filter": "Q(Q('amout', '>', 1))"},
     "Filter conditions: filter: unknown field 'amout'; did you mean 'amount'?"),
    ("assistant", {"sender": "aiassistants.ShopAssistant", "operate": None}, "Node: this assistant has no node"),
    ("agent", {"sender": "aiagents.OrderAgent", "stage": "preEvent"}, "Tool function: the tool declares no function"),
], ids=["no specific field", "filter field", "assistant node", "agent tool function"])
def test_form_only_rules(shop, kind, keys, message):
    draft = EventDraft(kind, keys, name="Fresh", some_fields=True)

    assert any(p.startswith(message) for p in draft_problems(shop, draft)), draft_problems(shop, draft)


def test_nothing_to_subscribe_to(tmp_path):
    (tmp_path / "app.json").write_text('{"name": "empty"}')
    for kind, start in (("model", "There is no model"), ("workflow", "There is no approval workflow"),
                        ("normal", "No service declares an event"), ("assistant", "There is no AI assistant"),
                        ("agent", "There is no AI agent")):
        problems = draft_problems(tmp_path, EventDraft(kind, {}, name="Anything"))
        assert problems and problems[0].startswith(start), (kind, problems)


def test_a_service_function_must_be_chosen(shop):
    draft = EventDraft("normal", {"sender": "services.OrderSvc.orderPaid"}, name="OnPaid", inner=False)

    assert draft_problems(shop, draft) == ["choose the service function that handles the event"]


def test_event_names_follow_check_name(shop):
    draft = EventDraft("normal", {"sender": "services.OrderSvc.orderPaid"}, name="StockGuard")

    assert draft_problems(shop, draft) == ["Event name: events.StockGuard already exists"]


def test_service_rules_agree_with_check(shop, edit):
    functions = [{"name": "bill", "args": [{"name": "invoiceId"}, {"name": "2nd"}]}, {"name": "bill"}]
    descs = [{"name": "billed", "title": "Billed"}, {"name": "billed", "title": "Again"}]
    assert [f.for_form() for f in service_findings(functions, descs)] == [
        "Functions: parameter '2nd' of bill is not a valid name: use letters, digits and _, not starting with a digit",
        "Functions: function 'bill' appears twice",
        "Declared events: event 'billed' is declared twice",
    ]
    with pytest.raises(OperationError, match="parameter '2nd' of bill is not a valid name"):
        create_service(shop, "BillingSvc", functions=[{"name": "bill", "title": "Bill", "args": [{"name": "2nd", "title": "x", "dataType": "Stext"}]}])

    edit(shop / "services/OrderSvc/e.json", '"name": "payOrder"', '"name": "placeOrder"')

    assert problem_lines(shop) == ["services/OrderSvc/e.json:32:15: function 'placeOrder' appears twice"]


def test_model_field_rules(shop):
    rows = [{"name": "", "datatype": "Stext"}, {"name": "id", "datatype": "AutoInt"}, {"name": "total", "datatype": "Money"},
            {"name": "total", "datatype": "Money"}, {"name": "value", "datatype": "Stext"}, {"name": "for", "datatype": "Stext"}]

    assert [f.for_form() for f in model_field_findings(rows)] == [
        "Fields: every field needs a name", "Fields: field name 'id' is reserved (added for you)",
        "Fields: field 'total' appears twice", "Fields: field name 'value' is reserved",
        "Fields: field name 'for' is a Python keyword",
    ]
    with pytest.raises(OperationError, match="field 'total' appears twice"):
        create_model(shop, "Invoice", fields=rows[2:4])


def test_a_workflow_needs_a_data_model(shop):
    assert [f.for_form() for f in workflow_findings("")] == ["Data model: create a model first; a workflow approves a model's rows"]
    with pytest.raises(OperationError, match="create a model first"):
        create_workflow(shop, "Nothing", data_model="")


@pytest.mark.parametrize("root", ["shop", "golden_app"])
def test_the_bundled_apps_break_no_rule(request, root):
    assert load_project(request.getfixturevalue(root)).problems == []
