"""What the function editor leans on to refresh only what an edit changed: the document gives back the cards
an edit did not touch as the same objects (the edited card and the cards it is nested in are new ones), the
cards still equal those of a fresh parse, and the engine's card index stays current."""
import ast

import pytest

from jitstudio.codesync import CardNotFoundError, FunctionDocument

SOURCE = """import x


def customFunc(eventOutData):
    a = 1
    # about the if
    if a > 0:
        b = 2
        c = 3
    else:
        c = 4
    for row in rows:
        total += row
    d = 5; e = 6
    return a
"""


def shape(cards):
    return [(c.kind, c.line_span, {k: dict(v) if hasattr(v, "items") else v for k, v in c.fields.items()},
             c.comments, shape(c.children)) for c in cards]


def by_target(doc, target):
    return next(c for c in doc.walk() if c.fields.get("target") == target)


def ancestors(doc, card_id):
    found = []

    def visit(cards, path):
        for card in cards:
            if card.id == card_id:
                found.extend(path)
            visit(card.children, [*path, card.id])
    visit(doc.cards, [])
    return set(found)


def renewed(before, doc):
    return {card.id for card in doc.walk() if before.get(card.id) is not card}


def assert_fresh(doc):
    assert shape(doc.cards) == shape(FunctionDocument.from_source(doc.source).cards)
    engine = doc._engine
    assert all(doc.card(card.id) is card for card in doc.walk())
    slots = [slot for slot in engine.root.walk() if slot is not engine.root]
    assert engine.find("no such card") is None
    assert all(engine.find(slot.id) is slot for slot in slots)  # after the miss: an index built afresh
    assert {card.id for card in doc.walk()} == {slot.id for slot in slots}


@pytest.mark.parametrize("target", ["a", "b", "c", "total", "e"])
def test_a_field_edit_renews_only_its_card_and_the_cards_around_it(target):
    doc = FunctionDocument.from_source(SOURCE)
    before = {card.id: card for card in doc.walk()}
    card = by_target(doc, target)
    doc.set_field(card.id, "value", "41")
    assert renewed(before, doc) <= {card.id} | ancestors(doc, card.id) | {c.id for c in doc.walk()
                                                                          if c.line_span == card.line_span}
    assert doc.card(card.id).fields["value"] == "41"
    assert_fresh(doc)


def test_cards_below_an_edit_that_adds_lines_move_down_and_the_cards_above_stay():
    doc = FunctionDocument.from_source(SOURCE)
    before = {card.id: card for card in doc.walk()}
    b = by_target(doc, "b")
    doc.set_field(b.id, "value", "(\n            2\n        )")
    for card in doc.walk():
        old = before[card.id]
        if old.line_span[0] < b.line_span[0] and card.id not in ancestors(doc, b.id):
            assert card is old
        elif old.line_span[0] > b.line_span[0]:
            assert card is not old and card.line_span == (old.line_span[0] + 2, old.line_span[1] + 2)
    assert_fresh(doc)


def test_structure_edits_keep_cards_and_the_card_index_exact():
    doc = FunctionDocument.from_source(SOURCE)

    def branch():
        return next(c.id for c in doc.walk() if c.kind == "branch")
    doc.insert_card("assign", {"target": "z", "value": "0"}, None, 1)
    assert_fresh(doc)
    doc.move_card(by_target(doc, "z").id, branch(), 0)
    assert_fresh(doc)
    gone = by_target(doc, "d").id
    doc.delete_card(gone)
    with pytest.raises(CardNotFoundError):
        doc.card(gone)
    assert_fresh(doc)
    doc.insert_card("if", {"condition": "z"}, branch(), None)
    assert_fresh(doc)
    doc.set_field(branch(), "condition", "a > 1")
    assert_fresh(doc)
    doc.update_source(doc.source.replace("a = 1", "a = 2"))
    assert_fresh(doc)


def test_line_numbers_count_crlf_and_lone_cr_breaks_as_cpython_does():
    doc = FunctionDocument.from_source(SOURCE.replace("\n", "\r\n").replace("e = 6\r\n", "e = 6\r\r\n"))
    for target in ("b", "total", "e"):
        doc.set_field(by_target(doc, target).id, "value", "(\r\n        7\r\n    )")
        assert_fresh(doc)
        function = ast.parse(doc.source).body[1]
        assert [card.line_span[0] for card in doc.cards] == [statement.lineno for statement in function.body]
