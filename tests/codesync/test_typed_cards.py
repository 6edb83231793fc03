"""Typed cards for the statements people write: calls, change-by, loops, with, try, assert, docstrings."""
import pytest

from jitstudio.codesync import CardKind, FieldValueError, FunctionDocument, InvalidEditError

SOURCE = '''def f(p):
    """Doc.

    More.
    """
    x += 1
    obj.m(a, b=c)
    while x:
        break
    with open(p) as fh:
        print(fh)
    try:
        pass
    # about except
    except (A, B) as e:
        assert e, "m"
    else:
        y()
    finally:
        z()
'''


def _shape(doc):
    return [(c.kind, c.line_span, c.comments, dict(c.fields)) for c in doc.walk()]


def _by_kind(doc, kind):
    return [c for c in doc.walk() if c.kind is kind]


@pytest.fixture
def doc():
    return FunctionDocument.from_source(SOURCE, "f")


def test_each_statement_is_a_typed_card_with_its_fields(doc):
    assert [(c.kind.value, c.line_span) for c in doc.walk()] == [
        ("docstring", (2, 5)), ("aug_assign", (6, 6)), ("call", (7, 7)), ("while", (8, 9)), ("break", (9, 9)),
        ("with", (10, 11)), ("call", (11, 11)), ("try", (12, 20)), ("clause", (12, 13)), ("pass", (13, 13)),
        ("clause", (15, 16)), ("assert", (16, 16)), ("clause", (17, 18)), ("call", (18, 18)),
        ("clause", (19, 20)), ("call", (20, 20))]
    cards = doc.cards
    assert cards[0].fields == {"text": "Doc.\n\nMore."}
    assert cards[1].fields == {"target": "x", "operator": "+=", "value": "1"}
    assert cards[2].fields["callee"] == "obj.m" and dict(cards[2].fields["args"]) == {"0": "a", "b": "c"}
    assert cards[3].fields == {"condition": "x"}
    assert cards[4].fields == {"items": "open(p) as fh"}
    clauses = cards[5].clauses
    assert [c.fields["keyword"] for c in clauses] == ["try", "except", "else", "finally"]
    assert dict(clauses[1].fields) == {"keyword": "except", "exception": "(A, B)", "name": "e"}
    assert clauses[1].comments == ("# about except",)
    assert dict(clauses[1].children[0].fields) == {"condition": "e", "message": '"m"'}


def test_every_field_edit_is_exact_and_agrees_with_a_fresh_parse(doc):
    doc.set_field(_by_kind(doc, CardKind.AUG_ASSIGN)[0].id, "operator", "-=")
    doc.set_field(_by_kind(doc, CardKind.CALL)[0].id, "callee", "obj.n")
    doc.set_field(_by_kind(doc, CardKind.CALL)[0].id, "args.c", "d")
    doc.set_field(_by_kind(doc, CardKind.WHILE)[0].id, "condition", "x > 0")
    doc.set_field(_by_kind(doc, CardKind.WITH)[0].id, "items", "open(p) as fh, lock")
    handler = _by_kind(doc, CardKind.CLAUSE)[1]
    doc.set_field(handler.id, "exception", "KeyError")
    doc.set_field(handler.id, "name", "err")
    doc.set_field(_by_kind(doc, CardKind.ASSERT)[0].id, "message", None)
    doc.set_field(_by_kind(doc, CardKind.DOCSTRING)[0].id, "text", 'New doc.\n\nMore "quoted".')
    assert doc.source == SOURCE.replace('"""Doc.\n\n    More.', '"""New doc.\n\n    More "quoted".').replace(
        "x += 1", "x -= 1").replace("obj.m(a, b=c)", "obj.n(a, b=c, c=d)").replace("while x:", "while x > 0:").replace(
        "open(p) as fh:", "open(p) as fh, lock:").replace("(A, B) as e", "KeyError as err").replace(
        'assert e, "m"', "assert e")
    assert _shape(doc) == _shape(FunctionDocument.from_source(doc.source, "f"))


def test_a_docstring_written_back_is_the_text_python_sees():
    for text in ['a """ b', 'ends "', "back\\slash", "two\nlines"]:
        doc = FunctionDocument.from_source('def f():\n    """x"""\n', "f")
        doc.set_field(doc.cards[0].id, "text", text)
        namespace: dict = {}
        exec(doc.source, namespace)
        assert namespace["f"].__doc__.replace("\n    ", "\n") == text
        assert doc.cards[0].fields["text"] == text


def test_clauses_go_where_python_wants_them(doc):
    try_card = doc.cards[5]
    with pytest.raises(InvalidEditError, match="already has an else"):
        doc.insert_card("clause", {"keyword": "else"}, try_card.id)
    handler = doc.insert_card("clause", {"exception": "OSError"}, try_card.id)
    assert [c.fields["keyword"] for c in doc.card(try_card.id).clauses] == ["try", "except", "except", "else", "finally"]
    assert doc.card(try_card.id).clauses[2].id == handler.id
    doc.insert_card("assign", {"target": "q", "value": "1"}, handler.id)
    assert "    except OSError:\n        q = 1\n    else:" in doc.source
    doc.delete_card(handler.id)
    assert doc.source == SOURCE
    with pytest.raises(InvalidEditError, match="try clause cannot be deleted"):
        doc.delete_card(doc.card(try_card.id).clauses[0].id)
    with pytest.raises(FieldValueError, match="exception first"):
        doc.insert_card("clause", {"name": "e"}, try_card.id)


def test_a_new_try_starts_with_an_except_and_its_bodies_give_way():
    doc = FunctionDocument.from_source("def f():\n    x = 1\n", "f")
    new = doc.insert_card("try", {})
    body = new.clauses[0]
    doc.insert_card("call", {"callee": "risky"}, body.id)
    doc.insert_card("call", {"callee": "log.exception", "args": {"0": "'failed'"}}, doc.card(new.id).clauses[1].id)
    assert doc.source == ("def f():\n    x = 1\n    try:\n        risky()\n    except Exception:\n"
                          "        log.exception('failed')\n")


def test_break_and_continue_only_inside_a_loop(doc):
    with pytest.raises(InvalidEditError, match="inside a loop"):
        doc.insert_card("continue", {})
    loop = _by_kind(doc, CardKind.WHILE)[0]
    doc.insert_card("continue", {}, loop.id, 0)
    with pytest.raises(InvalidEditError, match="inside a loop"):
        doc.move_card(_by_kind(doc, CardKind.BREAK)[0].id, None, 0)
    with_card = _by_kind(doc, CardKind.WITH)[0]
    doc.move_card(with_card.id, loop.id, 0)
    assert "    while x:\n        with open(p) as fh:\n            print(fh)\n        continue\n        break\n" in doc.source
    assert _shape(doc) == _shape(FunctionDocument.from_source(doc.source, "f"))


def test_bad_values_change_nothing(doc):
    for kind, name, value in [(CardKind.AUG_ASSIGN, "operator", "=+"), (CardKind.WITH, "items", "x as"),
                              (CardKind.WITH, "items", "a  # c"), (CardKind.WHILE, "condition", None),
                              (CardKind.CALL, "callee", "1 +")]:
        with pytest.raises(FieldValueError):
            doc.set_field(_by_kind(doc, kind)[0].id, name, value)
    assert doc.source == SOURCE


def test_an_annotated_assignment_is_an_assign_card_that_keeps_its_annotation():
    doc = FunctionDocument.from_source("def f():\n    x: int = 1\n    y: str\n", "f")
    assert [c.kind for c in doc.cards] == [CardKind.ASSIGN, CardKind.CODE]
    doc.set_field(doc.cards[0].id, "value", "2")
    doc.set_field(doc.cards[0].id, "target", "z")
    assert doc.source == "def f():\n    z: int = 2\n    y: str\n"
    with pytest.raises(FieldValueError):
        doc.set_field(doc.cards[0].id, "target", "a, b")
