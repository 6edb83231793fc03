"""Code that stops parsing: last good cards stay, CPython's error is shown, form edits wait."""
import ast

import pytest

from jitstudio.codesync import DocumentInvalidError, FunctionDocument

GOOD = "def customFunc(eventOutData):\n    a = 1\n    return a\n"
BROKEN = "def customFunc(eventOutData):\n    a = (1,\n    return a\n"


def _cpython(text):
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.msg, exc.lineno, exc.offset
    raise AssertionError("parses")


def test_syntax_error_keeps_last_good_cards_and_text():
    doc = FunctionDocument.from_source(GOOD)
    cards = doc.cards
    assert doc.update_source(BROKEN) is False
    assert not doc.is_valid
    assert doc.cards == cards
    assert doc.source == BROKEN
    assert (doc.error.message, doc.error.line, doc.error.column) == _cpython(BROKEN)
    assert "line" in str(doc.error)


def test_form_edits_are_refused_while_invalid():
    doc = FunctionDocument.from_source(GOOD)
    card = doc.cards[0].id
    doc.update_source(BROKEN)
    for call in (lambda: doc.set_field(card, "value", "2"), lambda: doc.delete_card(card),
                 lambda: doc.insert_card("return", {"value": "1"}), lambda: doc.move_card(card, None, 1)):
        with pytest.raises(DocumentInvalidError, match="does not parse"):
            call()
    assert doc.source == BROKEN


def test_recovery_after_fixing_the_code():
    doc = FunctionDocument.from_source(GOOD)
    first = doc.cards[0].id
    doc.update_source(BROKEN)
    fixed = "def customFunc(eventOutData):\n    a = (1,)\n    return a\n"
    assert doc.update_source(fixed)
    assert doc.is_valid and doc.error is None
    assert doc.cards[0].id == first and doc.cards[0].fields["value"] == "(1,)"
    doc.set_field(first, "value", "2")
    assert doc.source == GOOD.replace("1", "2")


@pytest.mark.parametrize("text", [
    "def customFunc(e):\n    if x\n        pass\n",
    "def customFunc(e):\n  a = 1\n    b = 2\n",
    "def customFunc(e):\n    return 'abc\n",
    "def customFunc(e):\n    x = = 1\n",
    "def customFunc(e):\n    print 'hi'\n",
])
def test_error_matches_cpython(text):
    doc = FunctionDocument.from_source(text)
    assert not doc.is_valid and doc.cards == ()
    assert (doc.error.message, doc.error.line, doc.error.column) == _cpython(text)
    assert doc.source == text


def test_renamed_function_makes_the_document_invalid_until_it_is_back():
    doc = FunctionDocument.from_source(GOOD)
    assert not doc.update_source(GOOD.replace("customFunc", "other"))
    assert "customFunc" in doc.error.message and doc.cards
    assert doc.update_source(GOOD)
