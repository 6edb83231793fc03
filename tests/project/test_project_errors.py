"""Every way an app can be wrong gives one plain problem at path:line:col, and nothing else."""
import ast
from pathlib import Path

import pytest

from jitstudio.project import load_project

AUDIT = "events/OrderStatusAudit/e.json"
ORDER_PY = "models/Order/model.py"
REFUND_FLOW = "workflows/RefundApproval/config.json"
ORDER_FIELDS = "amount, createdAt, customerId, id, note, orderNo, paidAt, refundReason, status, updatedAt"
ASSISTANT_NODES = "start, checkOrderId, lookupOrder, orderAgent, end"


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_project(root).problems]


def _filter(text: str) -> tuple:
    """An edit of the audit event that adds a filter (the JSON string is written as given)."""
    return (AUDIT, '"fields": ["status"],', f'"fields": ["status"], "filter": "{text}",')


# (id, edits as (file, old, new), expected problems)
CASES = [
    # broken JSON
    ("missing comma", [(AUDIT, '"models.Order",\n', '"models.Order"\n')],
     [f"{AUDIT}:5:3: invalid JSON: expected ',' between members"]),
    ("trailing comma", [(AUDIT, '"backendBundleEntry": "."\n', '"backendBundleEntry": ".",\n')],
     [f"{AUDIT}:11:28: invalid JSON: a comma before the closing '}}'; remove the trailing comma"]),
    ("trailing comma in a list", [(AUDIT, '["status"]', '["status", ]')],
     [f"{AUDIT}:6:22: invalid JSON: a comma before the closing ']'; remove the trailing comma"]),
    ("single-quoted key", [(AUDIT, '"title"', "'title'")],
     [f"{AUDIT}:2:3: invalid JSON: expected a key in double quotes"]),
    ("string across lines", [(AUDIT, '"Audit order status changes"', '"Audit order\nstatus changes"')],
     [f"{AUDIT}:2:24: invalid JSON: a string holds a line break or control character; close the string on its line"
      " or escape the character (\\n, \\t)"]),
    ("bad escape", [(AUDIT, '"Audit order status changes"', '"Audit \\order"')],
     [f"{AUDIT}:2:19: invalid JSON: invalid escape in a string; use \\\\, \\\", \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"]),
    ("text after the object", [(AUDIT, '"backendBundleEntry": "."\n}', '"backendBundleEntry": "."\n}\n}')],
     [f"{AUDIT}:13:1: invalid JSON: unexpected text after the end of the JSON value"]),
    ("NaN", [(AUDIT, '"enable": 1', '"enable": NaN')],
     [f"{AUDIT}:10:13: invalid JSON: NaN is not a JSON value; use a number or null"]),
    ("-Infinity", [(AUDIT, '"enable": 1', '"enable": -Infinity')],
     [f"{AUDIT}:10:13: invalid JSON: -Infinity is not a JSON value; use a number or null"]),
    # the shape and keys of an event
    ("missing sender", [(AUDIT, '  "sender": "models.Order",\n', "")], [f"{AUDIT}:1:1: sender is required"]),
    ("missing operate", [(AUDIT, '  "operate": "FieldUpdateAfter",\n', "")], [f"{AUDIT}:1:1: operate is required"]),
    ("missing title", [(AUDIT, '  "title": "Audit order status changes",\n', "")], [f"{AUDIT}:1:1: title is required"]),
    ("misspelt operate", [(AUDIT, '"FieldUpdateAfter"', '"UpdateAftr"')],
     [f"{AUDIT}:5:14: operate 'UpdateAftr' is not one of AddBefore, AddAfter, UpdateBefore, UpdateAfter, "
      "DeleteBefore, DeleteAfter, FieldUpdateAfter"]),
    ("operate in the wrong case", [("events/RefundStatusChanged/e.json", '"Process"', '"process"')],
     ["events/RefundStatusChanged/e.json:5:14: operate 'process' is not one of Process, NodeChange, NodeHandled"]),
    ("misspelt funcType", [(AUDIT, '"Global"', '"Globl"')],
     [f"{AUDIT}:7:15: funcType 'Globl' is not one of Global, Inner"]),
    ("misspelt stage", [("events/AgentToolPreCall/e.json", '"preEvent"', '"beforeEvent"')],
     ["events/AgentToolPreCall/e.json:5:12: stage 'beforeEvent' is not one of preEvent, postEvent"]),
    ("unknown handleType", [("events/RefundNodeHandled/e.json", '"refuse"', '"decline"')],
     ["events/RefundNodeHandled/e.json:7:17: handleType 'decline' is not one of submit, manualEnd, agree, refuse, "
      "reject, transmit, transfer"]),
    ("unknown assistant operate", [("events/LookupNodeFinished/e.json", '"lookupOrder.afterNodeRun"', '"afterRunn"')],
     ["events/LookupNodeFinished/e.json:5:14: operate 'afterRunn' is not one of beforeRun, afterRun, init, aiMessage, "
      "triggerEvent, error, onLogicalCondition, onLogicalConditionResult, analyticsEvent, turnEnd, "
      "<nodeId>.beforeNodeRun, <nodeId>.afterNodeRun, <nodeId>.approved, <nodeId>.rejected, <nodeId>.replied, "
      "<nodeId>.edited"]),
    ("enable as text", [(AUDIT, '"enable": 1', '"enable": "yes"')],
     [f"{AUDIT}:10:13: enable should be a valid integer, not 'yes'"]),
    ("enable out of range", [(AUDIT, '"enable": 1', '"enable": 2')],
     [f"{AUDIT}:10:13: enable is 2; it should be less than or equal to 1"]),
    ("asyncType as text", [(AUDIT, '"asyncType": false', '"asyncType": "yes please"')],
     [f"{AUDIT}:9:16: asyncType should be a valid boolean, not 'yes please'"]),
    ("title as number", [(AUDIT, '"Audit order status changes"', "5")],
     [f"{AUDIT}:2:12: title should be a valid string, not 5"]),
    ("fields as text", [(AUDIT, '["status"]', '"status"')],
     [f"{AUDIT}:6:13: fields should be a valid list, not 'status'"]),
    ("one problem for a union of types", [(AUDIT, '"enable": 1', '"enable": 1, "tag": 5')],
     [f"{AUDIT}:10:23: tag should be a valid string or a valid list, not 5"]),
    ("Global without func", [(AUDIT, '  "func": "services.OrderSvc.auditChange",\n', "")],
     [f"{AUDIT}:7:15: funcType is Global but func is empty; give the service function, e.g. "
      "services.AuditSvc.logChange"]),
    ("unknown event type", [(AUDIT, '"events.ModelType"', '"events.ModelTyp"')],
     [f"{AUDIT}:3:11: type 'events.ModelTyp' is not one of events.ModelType, events.WorkflowType, "
      "events.NormalType, events.AIAssistantType, events.AIAgentType"]),
    # references from events
    ("missing sender model", [(AUDIT, '"models.Order"', '"models.Ordr"')],
     [f"{AUDIT}:4:13: sender model 'models.Ordr' does not exist; known: models.AuditLog, models.Customer, "
      "models.Order, models.OrderItem, models.Product"]),
    ("missing handler service", [(AUDIT, '"services.OrderSvc.auditChange"', '"services.OrderSv.auditChange"')],
     [f"{AUDIT}:8:11: func 'services.OrderSv.auditChange': service 'services.OrderSv' does not exist; known: "
      "services.AuditSvc, services.MessageSvc, services.OrderSvc"]),
    ("missing handler method", [(AUDIT, '"services.OrderSvc.auditChange"', '"services.OrderSvc.auditChang"')],
     [f"{AUDIT}:8:11: func 'services.OrderSvc.auditChang': services.OrderSvc has no function 'auditChang'; it has "
      "auditChange, getOrder, logAgentTool, onAssistantRun, onLookupDone, onOrderPaid, payOrder, placeOrder, "
      "refundOrder"]),
    ("custom event not declared", [("events/OrderPaidSubscriber/e.json", '"services.OrderSvc.orderPaid"',
                                    '"services.OrderSvc.orderShipped"')],
     ["events/OrderPaidSubscriber/e.json:4:13: sender 'services.OrderSvc.orderShipped': services.OrderSvc declares "
      "no event 'orderShipped' in eventDescs; it declares orderPaid"]),
    ("unknown trigger field", [(AUDIT, '["status"]', '["status", "colour"]')],
     [f"{AUDIT}:6:24: field 'colour' is not a field of models.Order; it has id, orderNo, customerId, status, amount, "
      "paidAt, note, refundReason, createdAt, updatedAt"]),
    ("node operate names a missing node", [("events/LookupNodeFinished/e.json", '"lookupOrder.afterNodeRun"',
                                            '"lookup.afterNodeRun"')],
     ["events/LookupNodeFinished/e.json:5:14: operate 'lookup.afterNodeRun': aiassistants.ShopAssistant has no node "
      f"'lookup'; nodes are {ASSISTANT_NODES}"]),
    # Q filters, located inside the JSON string
    ("filter syntax", [_filter("Q(status='paid') &")],
     [f"{AUDIT}:6:54: filter: expected a condition such as Q('status', '=', 'active'); found the end of the filter"]),
    ("filter unknown field", [_filter("Q(Q('amount', '>', 1), Q.AND, Q('colour', '=', 'red'))")],
     [f"{AUDIT}:6:66: filter: unknown field 'colour'; known fields: {ORDER_FIELDS}"]),
    ("filter field after escapes", [_filter('Q(note=\\"caf\\u00e9\\") & Q(colour=1)')],
     [f"{AUDIT}:6:62: filter: unknown field 'colour'; known fields: {ORDER_FIELDS}"]),
    ("filter unknown operator", [_filter("Q(Q('amount', '>>', 1))")],
     [f"{AUDIT}:6:50: filter: unknown operator '>>'; allowed: =, !=, >, >=, <, <=, in, nin, like, nlike, startswith, "
      "endswith, likeany, nlikeany, isnull, range, belong, nbelong, year, month, week, day, province, city, district; "
      "aliases: eq (=), == (=), exact (=), ne (!=), gt (>), gte (>=), lt (<), lte (<=)"]),
    ("filter operator typo", [_filter("Q(amount__gtt=1)")],
     [f"{AUDIT}:6:38: filter: 'gtt' in 'amount__gtt' is not an operator; did you mean 'gt'?"]),
    # models
    ("unknown datatype", [(ORDER_PY, 'datatypes.Ltext(name="note"', 'datatypes.LongText(name="note"')],
     [f"{ORDER_PY}:27:5: field 'note' has unknown datatype 'LongText'"]),
    ("JitDict as a field", [(ORDER_PY, 'datatypes.Ltext(name="note"', 'datatypes.JitDict(name="note"')],
     [f"{ORDER_PY}:27:5: field 'note': JitDict cannot be a model field"]),
    ("field name mismatch", [(ORDER_PY, 'datatypes.Ltext(name="note"', 'datatypes.Ltext(name="notes"')],
     [f"{ORDER_PY}:27:5: field 'note' has name='notes'; it must equal the attribute name"]),
    ("field declared twice", [(ORDER_PY, "    createdAt = ", '    note = datatypes.Ltext(name="note")\n    createdAt = ')],
     [f"{ORDER_PY}:29:5: field 'note' is declared twice"]),
    # workflows, agents, assistants
    ("workflow without start node", [(REFUND_FLOW, '"type": 0', '"type": 1')],
     [f"{REFUND_FLOW}:3:15: a workflow needs exactly one start node (type 0); found 0"]),
    ("workflow without end node", [(REFUND_FLOW, '"type": 7', '"type": 1')],
     [f"{REFUND_FLOW}:3:15: a workflow needs exactly one end node (type 7); found 0"]),
    ("workflow dangling link", [(REFUND_FLOW, '"from": "financeApproval"', '"from": "financeApprova"')],
     [f"{REFUND_FLOW}:31:39: link from 'financeApprova' names no node; nodes are amountBranch, end, "
      "financeApproval, managerApproval, start"]),
    ("workflow node type", [(REFUND_FLOW, '"type": 4', '"type": 3')],
     [f"{REFUND_FLOW}:6:67: type 3 is not one of 0, 1, 4, 5, 6, 7"]),
    ("agent tool function not in functionList", [("aiagents/OrderAgent/config.json", '"refundOrder": {', '"refundOrders": {')],
     ["aiagents/OrderAgent/config.json:36:25: services.OrderSvc has no function 'refundOrders' in its functionList; "
      "it has placeOrder, payOrder, getOrder, refundOrder, auditChange, onOrderPaid, logAgentTool, onAssistantRun, "
      "onLookupDone"]),
    ("assistant edge to a missing node", [("aiassistants/ShopAssistant/config.json", '"targetNode": "end"', '"targetNode": "finish"')],
     [f"aiassistants/ShopAssistant/config.json:126:21: targetNode 'finish' names no node; nodes are {ASSISTANT_NODES}"]),
]


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_gives_one_located_plain_problem(shop, edit, edits, expected):
    for rel, old, new in edits:
        edit(shop / rel, old, new)

    assert problems_of(shop) == expected


@pytest.mark.parametrize(("text", "kind", "col"), [
    ("[1, 2]\n", "a list", 1), ('  "events.ModelType"\n', "a string", 3), ("null", "null", 1), ("7", "a number", 1),
])
def test_a_top_level_non_object_is_named_in_json_words(shop, text, kind, col):
    (shop / AUDIT).write_text(text)

    assert problems_of(shop) == [f"{AUDIT}:1:{col}: expected a JSON object {{…}} at the top, found {kind}"]


def test_an_empty_file_is_invalid_json(shop):
    (shop / AUDIT).write_text("")

    assert problems_of(shop) == [
        f"{AUDIT}:1:1: invalid JSON: expected a value (a string, number, object, list, true, false or null)"]


def test_an_unclosed_string_at_the_end_is_located_at_its_quote(shop):
    (shop / AUDIT).write_text('{"title": "Audit')

    assert problems_of(shop) == [f"{AUDIT}:1:11: invalid JSON: string is not closed"]


def cpython_syntax_error(source: str) -> tuple[int, int, str]:
    with pytest.raises(SyntaxError) as caught:
        ast.parse(source)
    return caught.value.lineno, caught.value.offset, caught.value.msg


@pytest.mark.parametrize(("rel", "old", "new"), [
    (ORDER_PY, 'title="Note")', 'title="Note"'),
    (ORDER_PY, "class Meta:", "class Meta"),
    ("services/OrderSvc/service.py", "    def getOrder(self, orderId):", "    def getOrder(self, orderId)"),
    ("events/StockGuard/inner.py", "    if stock < 0:", "  if stock < 0:"),
], ids=["unclosed call", "missing colon", "service", "inner indentation"])
def test_python_syntax_errors_carry_cpython_line_and_message(shop, edit, rel, old, new):
    edit(shop / rel, old, new)
    line, col, message = cpython_syntax_error((shop / rel).read_text())

    assert problems_of(shop) == [f"{rel}:{line}:{col}: invalid Python: {message}"]


def test_a_broken_model_py_does_not_make_every_field_reference_wrong(shop, edit):
    """Events and workflow conditions that name fields of the model are not flagged while model.py is broken."""
    edit(shop / ORDER_PY, "class Order(NormalModel):", "class Order(NormalModel)")

    assert problems_of(shop) == [f"{ORDER_PY}:6:25: invalid Python: expected ':'"]


def test_a_broken_service_e_json_does_not_make_its_subscribers_wrong(shop, edit):
    edit(shop / "services/OrderSvc/e.json", '"eventDescs": [', '"eventDescs": 5, "x": [')

    assert problems_of(shop) == ["services/OrderSvc/e.json:116:17: eventDescs should be a valid list, not 5"]


def test_inner_py_missing(shop):
    (shop / "events/StockGuard/inner.py").unlink()

    assert problems_of(shop) == [
        "events/StockGuard/e.json:7:15: the handler is the inner function, but inner.py is missing; it must define customFunc"]


def test_inner_py_without_custom_func(shop):
    (shop / "events/StockGuard/inner.py").write_text("def handler(eventOutData):\n    return None\n")

    assert problems_of(shop) == ["events/StockGuard/e.json:7:15: inner.py must define a function named customFunc"]


def test_both_spellings_of_func_type_and_both_q_syntaxes_are_accepted(shop, edit):
    edit(shop / "events/StockGuard/e.json", '"Inner"', '"inner"')
    edit(shop / AUDIT, '"Global"', '"global"')
    edit(shop / AUDIT, '"fields": ["status"],', '"fields": ["status"], "filter": "Q(status__in=[\'paid\', \'shipped\']) | ~Q(amount__lt=10)",')
    edit(shop / "events/CustomerAudit/e.json", "\"Q(level='vip')\"", "\"Q(Q('level', '=', 'vip'), Q.OR, Q('creditLimit', '>=', 1000))\"")

    project = load_project(shop)

    assert project.problems == []
    assert project.get("events.StockGuard").event_spec.is_inner
    assert project.get("events.OrderStatusAudit").event_spec.funcType == "Global"


def test_problems_in_crlf_and_bom_files_are_located_as_in_plain_files(shop, edit):
    edit(shop / AUDIT, '"FieldUpdateAfter"', '"UpdateAftr"')
    path = shop / AUDIT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))

    assert [f"{p.path}:{p.line}:{p.col}" for p in load_project(shop).problems] == [f"{AUDIT}:5:14"]


def test_problems_carry_a_json_pointer_and_severity(shop, edit):
    edit(shop / AUDIT, '["status"]', '["status", "colour"]')
    edit(shop / "events/StockGuard/e.json", '"asyncType": false', '"asyncType": true')

    problems = load_project(shop).problems

    assert [(p.path, p.pointer, p.severity) for p in problems] == [
        (AUDIT, "/fields/1", "error"), ("events/StockGuard/e.json", "/asyncType", "warning")]
    assert str(problems[1]).startswith("events/StockGuard/e.json:8:16: warning: an async UpdateBefore handler runs after")


def test_a_missing_app_json_is_a_problem(shop):
    (shop / "app.json").unlink()

    assert problems_of(shop) == ["app.json:1:1: app.json is missing; an app folder needs app.json with at least a name"]


def test_an_element_type_chain_resolves_only_inside_the_app(shop, edit):
    """An app's own event Type element (events/MyType) resolves to the official type it extends."""
    (shop / "events/AuditType").mkdir()
    (shop / "events/AuditType/e.json").write_text('{"title": "Audit type", "type": "events.ModelType", "sender": "models.Order", "operate": "AddAfter"}')
    edit(shop / AUDIT, '"events.ModelType"', '"events.AuditType"')

    project = load_project(shop)

    assert project.get("events.OrderStatusAudit").kind == "model"
