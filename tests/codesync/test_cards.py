"""Parsing functions into cards: kinds, fields, line spans, comments, ids."""
import pytest

from jitstudio.codesync import (CardKind, CardNotFoundError, FieldValueError, FunctionDocument,
                                FunctionNotFoundError, InvalidEditError)

SOURCE = '''from jit.commons.utils.logger import log
from events.Meta import JitEvent


def customFunc(eventOutData):
    # read the row

    row = eventOutData.postData.value
    app.getElement("services.sub.OrderSvc").notify(row, level=2, *extra, **more)
    n = app.services.OrderSvc.count()
    rows = app.getElement("models.Order").query(filter="Q(a=1)", page=1)
    app.models.Order.updateByPK(row['id'], {"a": 1})
    sent = app.message.send("t", "c")
    JitEvent.publish(sender="services.OrderSvc.onX")
    log.debug("x"); total = 0
    if n: total = 1
    elif rows:
        total = 2
    for r in rows['rowDatas']:
        total += r['amount']
    del row['tmp']
    return
'''


@pytest.fixture
def doc():
    return FunctionDocument.from_source(SOURCE)


def test_kinds_and_fields(doc):
    cards = doc.cards
    assert [c.kind.value for c in cards] == [
        "assign", "service_call", "service_call", "model_op", "model_op", "message", "publish", "log",
        "assign", "if", "for_each", "code", "return"]
    assert cards[0].fields == {"target": "row", "value": "eventOutData.postData.value"}
    assert cards[1].fields["service"] == "services.sub.OrderSvc"
    assert cards[1].fields["function"] == "notify"
    assert dict(cards[1].fields["args"]) == {"0": "row", "level": "2", "*": "extra", "**": "more"}
    assert cards[1].fields["target"] is None
    assert cards[2].fields["target"] == "n" and cards[2].fields["service"] == "services.OrderSvc"
    assert cards[3].fields["model"] == "models.Order" and cards[3].fields["operation"] == "query"
    assert dict(cards[3].fields["args"]) == {"filter": '"Q(a=1)"', "page": "1"}
    assert cards[4].fields["operation"] == "updateByPK"
    assert dict(cards[5].fields) == {"target": "sent", "title": '"t"', "content": '"c"', "receivers": None}
    assert dict(cards[6].fields) == {"target": None, "via": "JitEvent", "sender": '"services.OrderSvc.onX"',
                                     "args": None, "kwargs": None}
    assert cards[7].fields["level"] == "debug" and dict(cards[7].fields["args"]) == {"0": '"x"'}
    assert cards[11].fields["code"] == "del row['tmp']"
    assert cards[12].fields["value"] is None


def test_line_spans_and_comments(doc):
    cards = doc.cards
    assert cards[0].line_span == (8, 8)
    assert cards[0].comments == ("# read the row",)
    assert cards[7].line_span == cards[8].line_span == (15, 15)  # log.debug("x"); total = 0
    if_card = cards[9]
    assert if_card.line_span == (16, 18)
    assert [b.fields["keyword"] for b in if_card.branches] == ["if", "elif"]
    assert [b.fields["condition"] for b in if_card.branches] == ["n", "rows"]
    assert if_card.branches[0].children[0].line_span == (16, 16)
    assert if_card.branches[1].line_span == (17, 18)
    loop = cards[10]
    assert loop.fields == {"target": "r", "iterable": "rows['rowDatas']"}
    assert loop.children[0].kind is CardKind.AUG_ASSIGN and loop.children[0].line_span == (20, 20)
    assert dict(loop.children[0].fields) == {"target": "total", "operator": "+=", "value": "r['amount']"}


def test_ids_are_unique_and_stable_across_edits(doc):
    ids = [c.id for c in doc.walk()]
    assert len(ids) == len(set(ids))
    doc.set_field(ids[0], "value", "eventOutData.prevData.value")
    assert [c.id for c in doc.walk()] == ids
    assert doc.card(ids[0]).fields["value"] == "eventOutData.prevData.value"


def test_ids_survive_reparse_of_edited_code(doc):
    before = {c.id: c.kind for c in doc.walk()}
    assert doc.update_source(doc.source.replace("    n = app.services", "    extra = 1\n    n = app.services"))
    after = {c.id: c.kind for c in doc.walk()}
    assert set(before) < set(after)
    assert all(after[i] == k for i, k in before.items())


def test_method_of_service_class():
    src = ("from services.NormalType import NormalService\n\n\nclass OrderSvc(NormalService):\n"
           "    class Inner:\n        def fn(self):\n            return 1\n\n"
           "    def fn(self, eventOutData):\n        x = 1\n        return x\n")
    doc = FunctionDocument.from_source(src, "fn", "OrderSvc")
    assert [c.kind.value for c in doc.cards] == ["assign", "return"]
    assert doc.parameters == ("self", "eventOutData")
    inner = FunctionDocument.from_source(src, "fn", "OrderSvc.Inner")
    assert inner.cards[0].fields["value"] == "1"
    with pytest.raises(FunctionNotFoundError):
        FunctionDocument.from_source(src, "fn")


def test_one_line_function_and_missing_final_newline():
    src = "def customFunc(e): x = 1; return x"
    doc = FunctionDocument.from_source(src)
    assert [c.kind.value for c in doc.cards] == ["assign", "return"]
    assert doc.source == src
    doc.set_field(doc.cards[0].id, "value", "2")
    assert doc.source == "def customFunc(e): x = 2; return x"
    log = doc.insert_card("log", {"level": "info", "args": {"0": "x"}}, None, 1)
    assert doc.source == "def customFunc(e): x = 2; log.info(x); return x"
    doc.delete_card(log.id)
    assert doc.source == "def customFunc(e): x = 2; return x"
    doc.insert_card("if", {"condition": "x"}, None, 1)
    assert doc.source == "def customFunc(e):\n    x = 2\n    if x:\n        pass\n    return x"


def test_crlf_newlines_are_kept():
    src = "def customFunc(e):\r\n    a = 1\r\n    if a:\r\n        b = 2\r\n"
    doc = FunctionDocument.from_source(src)
    doc.insert_card("assign", {"target": "c", "value": "3"}, doc.cards[1].branches[0].id)
    assert doc.source == "def customFunc(e):\r\n    a = 1\r\n    if a:\r\n        b = 2\r\n        c = 3\r\n"


def test_tabs_indentation_is_used_for_new_blocks():
    src = "def customFunc(e):\n\ta = 1\n"
    doc = FunctionDocument.from_source(src)
    doc.insert_card("if", {"condition": "a"}, None)
    assert doc.source == "def customFunc(e):\n\ta = 1\n\tif a:\n\t\tpass\n"


def test_a_pass_the_user_wrote_stays_and_one_the_editor_wrote_gives_way():
    doc = FunctionDocument.from_source("def customFunc(e):\n    pass\n")
    first = doc.insert_card("return", {"value": "e"})
    assert doc.source == "def customFunc(e):\n    pass\n    return e\n"
    doc.delete_card(doc.cards[0].id)
    doc.delete_card(first.id)
    assert doc.source == "def customFunc(e):\n    pass\n"
    doc.insert_card("return", {"value": "e"})
    assert doc.source == "def customFunc(e):\n    return e\n"
    branch = doc.insert_card("if", {"condition": "e"}, None, 0).children[0]
    doc.insert_card("return", {"value": "1"}, branch.id)
    assert doc.source == "def customFunc(e):\n    if e:\n        return 1\n    return e\n"


def test_edits_in_one_line_suites():
    src = "def customFunc(e):\n    if e: a = 1; b = 2  # note\n    return a\n"
    doc = FunctionDocument.from_source(src)
    branch = doc.cards[0].branches[0]
    doc.set_field(branch.children[1].id, "value", "3")
    assert doc.source == "def customFunc(e):\n    if e: a = 1; b = 3  # note\n    return a\n"
    doc.delete_card(branch.children[1].id)
    assert doc.source == "def customFunc(e):\n    if e: a = 1  # note\n    return a\n"
    doc.insert_card("assign", {"target": "c", "value": "4"}, branch.id)
    assert doc.source == "def customFunc(e):\n    if e: a = 1; c = 4  # note\n    return a\n"
    doc.insert_card("for_each", {"target": "x", "iterable": "e"}, branch.id, 1)
    assert doc.source == ("def customFunc(e):\n    if e:  # note\n        a = 1\n        for x in e:\n"
                          "            pass\n        c = 4\n    return a\n")


def test_set_field_errors_change_nothing(doc):
    src = doc.source
    card = doc.cards[0]
    for name, value, message in [
        ("value", "1 +", "not a valid expression"),
        ("value", "x  # hi", "comments"),
        ("value", 3, "expected expression text"),
        ("target", "f()", "cannot assign"),
        ("nope", "1", "no field"),
    ]:
        with pytest.raises(FieldValueError, match=message):
            doc.set_field(card.id, name, value)
    with pytest.raises(FieldValueError, match="services fullName"):
        doc.set_field(doc.cards[1].id, "service", "models.Order")
    with pytest.raises(FieldValueError, match="not one of"):
        doc.set_field(doc.cards[3].id, "operation", "drop")
    with pytest.raises(FieldValueError, match="read-only"):
        doc.set_field(doc.cards[6].id, "via", "app.event")
    with pytest.raises(FieldValueError, match="without gaps"):
        doc.set_field(doc.cards[1].id, "args", {"1": "x"})
    with pytest.raises(FieldValueError, match="one statement"):
        doc.set_field(doc.cards[11].id, "code", "a = 1\nb = 2")
    with pytest.raises(FieldValueError, match="invalid syntax|expected"):
        doc.set_field(doc.cards[11].id, "code", "for x in :")
    with pytest.raises(CardNotFoundError):
        doc.set_field("c999", "value", "1")
    assert doc.source == src


def test_structural_errors(doc):
    src = doc.source
    if_card = doc.cards[9]
    with pytest.raises(InvalidEditError, match="first branch"):
        doc.delete_card(if_card.branches[0].id)
    with pytest.raises(InvalidEditError, match="branches"):
        doc.insert_card("assign", {"target": "a", "value": "1"}, if_card.id)
    with pytest.raises(InvalidEditError, match="into itself"):
        doc.move_card(if_card.id, if_card.branches[1].id)
    with pytest.raises(InvalidEditError, match="position"):
        doc.move_card(doc.cards[0].id, None, 99)
    with pytest.raises(FieldValueError, match="needs"):
        doc.insert_card("assign", {"target": "a"})
    with pytest.raises(FieldValueError, match="unknown card kind"):
        doc.insert_card("loop", {})
    assert doc.source == src


def test_set_code_card_can_become_another_kind(doc):
    code = doc.cards[11]
    doc.set_field(code.id, "code", "total = app.services.OrderSvc.sum(rows)")
    card = doc.card(code.id)
    assert card.kind is CardKind.SERVICE_CALL and card.fields["function"] == "sum"
