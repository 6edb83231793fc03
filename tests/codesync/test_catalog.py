"""Typed parameters: checking calls against callee signatures; event-data picker expressions."""
from jitstudio.codesync import (ArgSpec, FunctionDocument, FunctionSignature, event_data_pickers,
                                literal_fits, validate_card)

SRC = '''def customFunc(eventOutData):
    app.getElement("services.OrderSvc").reserve(sku="A1", qty="two", color=1)
    app.services.OrderSvc.reserve("A1", 3)
    app.services.OrderSvc.reserve(qty=None)
    app.services.OrderSvc.unknownFn()
    app.models.Order.create(rowData=5)
    app.models.Order.query(filter="x")
    x = 1
'''

CATALOG = [
    FunctionSignature.from_function_list("services.OrderSvc", {
        "name": "reserve", "title": "Reserve stock", "returnType": "JitDict",
        "args": [{"name": "sku", "title": "SKU", "dataType": "Stext", "required": True},
                 {"name": "qty", "title": "Quantity", "dataType": "Numeric", "required": True}]}),
    FunctionSignature("models.Order.create", "create", args=[ArgSpec("rowData", data_type="JitDict", required=True)]),
]


def _issues(index):
    doc = FunctionDocument.from_source(SRC)
    return [(i.field, i.message) for i in validate_card(doc.cards[index], CATALOG)]


def test_signature_from_function_list():
    signature = CATALOG[0]
    assert signature.full_name == "services.OrderSvc.reserve" and signature.return_type == "JitDict"
    assert signature.args[1] == ArgSpec("qty", "Quantity", "Numeric", True, None)


def test_wrong_literal_type_and_unknown_argument():
    issues = _issues(0)
    assert [f for f, _ in issues] == ["args.color", "args.qty"]
    assert "no argument 'color'" in issues[0][1] and "Numeric" in issues[1][1]


def test_positional_arguments_map_onto_the_signature():
    assert _issues(1) == []


def test_missing_required_and_required_none():
    fields = {f: m for f, m in _issues(2)}
    assert "missing" in fields["args.sku"] and "None" in fields["args.qty"]


def test_unknown_function_and_model_ops():
    assert _issues(3) == [("function", "services.OrderSvc.unknownFn is not a known function")]
    assert [f for f, _ in _issues(4)] == ["args.rowData"]
    assert _issues(5) == [] and _issues(6) == []


def test_document_validate_collects_every_card():
    doc = FunctionDocument.from_source(SRC)
    assert len(doc.validate({s.full_name: s for s in CATALOG})) == 6


def test_literal_fits():
    assert literal_fits("Money", 1.5) and not literal_fits("Money", True) and not literal_fits("Numeric", "1")
    assert literal_fits("AutoInt", 3) and not literal_fits("AutoInt", 3.5)
    assert literal_fits("Ltext", "x") and literal_fits("JitDict", {}) and not literal_fits("JitDict", [])
    assert literal_fits("SomethingNew", object())


def test_model_event_pickers():
    options = event_data_pickers("events.ModelType", ["amount", "status"])
    expressions = [o.expression for o in options]
    assert "eventOutData.postData.value['amount']" in expressions
    assert "eventOutData.prevData.value['status']" in expressions
    assert {"eventOutData.model.value", "eventOutData.optType.value", "eventOutData.postData.value"} <= set(expressions)
    for expression in expressions:  # every option is a valid field value
        doc = FunctionDocument.from_source("def customFunc(eventOutData):\n    x = 1\n")
        doc.set_field(doc.cards[0].id, "value", expression)
    typed = event_data_pickers("events.ModelType", {"amount": "Money"}, variable="e")
    assert typed[0].expression == "e.postData.value['amount']" and typed[0].data_type == "Money"


def test_agent_and_other_event_pickers():
    agent = [o.expression for o in event_data_pickers("events.AIAgentType")]
    assert agent == ["eventOutData.toolName.value", "eventOutData.args.value", "eventOutData.stage.value"]
    workflow = [o.expression for o in event_data_pickers("events.WorkflowType", ["amount"])]
    assert "eventOutData.row.value['amount']" in workflow and "eventOutData.status.value" in workflow
    assert [o.expression for o in event_data_pickers("events.NormalType")] == ["args", "kwargs"]
    assert event_data_pickers("events.Unknown") == []
