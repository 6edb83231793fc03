"""Edits that once changed more than they said, or failed: each is exact now (before → after)."""
import pytest

from jitstudio.codesync import CardKind, FieldValueError, FunctionDocument, InvalidEditError


def _doc(body: str, **kwargs) -> FunctionDocument:
    return FunctionDocument.from_source("def f():\n" + body, "f", **kwargs)


def _fresh_shape(doc: FunctionDocument) -> list:
    return [(c.kind, c.line_span, c.comments, dict(c.fields)) for c in doc.walk()]


def _agrees_with_fresh_parse(doc: FunctionDocument) -> bool:
    return _fresh_shape(doc) == _fresh_shape(FunctionDocument.from_source(doc.source, doc.function))


def test_a_code_card_holds_one_statement():
    doc = _doc("    del x\n    return x\n")
    card = doc.cards[0]
    with pytest.raises(FieldValueError, match="one statement per card"):
        doc.set_field(card.id, "code", "a = 1; b = 2")
    with pytest.raises(FieldValueError, match="one statement per card"):
        doc.insert_card("code", {"code": "a = 1; b = 2"})
    assert doc.source == "def f():\n    del x\n    return x\n"
    assert doc.card(card.id).id == card.id


@pytest.mark.parametrize("body, value, after", [
    ("    return\n", "x", "    return x\n"),
    ("    return(x)\n", "y", "    return y\n"),
    ("    return(x)\n", "lambda: 0", "    return lambda: 0\n"),
    ("    return(x)\n", "(y)", "    return(y)\n"),
])
def test_return_value_after_a_bare_or_bracketed_return(body, value, after):
    doc = _doc(body)
    doc.set_field(doc.cards[0].id, "value", value)
    assert doc.source == "def f():\n" + after


def test_raise_and_condition_after_a_bracket_get_their_space():
    doc = _doc("    if(x):\n        raise(E)\n")
    branch = doc.cards[0].children[0]
    doc.set_field(branch.id, "condition", "y")
    doc.set_field(branch.children[0].id, "exception", "ValueError()")
    assert doc.source == "def f():\n    if y:\n        raise ValueError()\n"


@pytest.mark.parametrize("body", [
    "    if m := p.match(s):\n        pass\n",
    "    x = yield y\n",
    "    x = yield from g()\n",
    "    log.info('a'\n             'b', x)\n",
    "    x = { 'a': 1,\n\n 'b': 2 }\n",
])
def test_every_field_written_back_unchanged_keeps_the_text(body):
    doc = _doc(body)
    for card in list(doc.walk()):
        for name, value in card.fields.items():
            if name in ("keyword", "via"):
                continue
            doc.set_field(card.id, name, dict(value) if hasattr(value, "items") else value)
    assert doc.source == "def f():\n" + body


def test_a_changed_walrus_condition_and_yield_value_are_written_unparenthesised():
    doc = _doc("    if m := p.match(s):\n        x = yield y\n")
    branch = doc.cards[0].children[0]
    doc.set_field(branch.id, "condition", "m := q.match(s)")
    doc.set_field(branch.children[0].id, "value", "yield z")
    assert doc.source == "def f():\n    if m := q.match(s):\n        x = yield z\n"


def test_a_changed_value_keeps_its_blank_lines_empty():
    doc = _doc("    x = {'a': 1,\n\n         'b': 2}\n")
    doc.set_field(doc.cards[0].id, "value", "{'a': 1,\n\n'b': 3}")
    assert "\n\n" in doc.source and " \n" not in doc.source


MULTILINE = "    log.info(\n        a,  # first\n        b,  # second\n    )\n"


def test_adding_an_argument_to_a_split_call_keeps_each_comment_on_its_argument():
    doc = _doc(MULTILINE)
    doc.set_field(doc.cards[0].id, "args.c", "1")
    assert doc.source == "def f():\n    log.info(\n        a,  # first\n        b,  # second\n        c=1,\n    )\n"
    doc.set_field(doc.cards[0].id, "args.c", None)
    assert doc.source == "def f():\n" + MULTILINE


def test_removing_the_last_argument_removes_its_comment_with_it():
    doc = _doc(MULTILINE)
    doc.set_field(doc.cards[0].id, "args.1", None)
    assert doc.source == "def f():\n    log.info(\n        a,  # first\n    )\n"


def test_comment_lines_above_an_argument_go_with_it():
    doc = _doc("    log.info(\n        a,\n        # about b\n        b,\n    )\n")
    doc.set_field(doc.cards[0].id, "args.1", None)
    assert doc.source == "def f():\n    log.info(\n        a,\n    )\n"


def test_a_pass_the_user_wrote_is_kept_by_moves():
    body = "    pass\n    x = 1\n"
    doc = _doc(body)
    x = doc.cards[1]
    doc.move_card(x.id, None, 1)
    assert doc.source == "def f():\n" + body
    doc.move_card(x.id, None, 0)
    assert doc.source == "def f():\n    x = 1\n    pass\n"
    doc.move_card(x.id, None, 1)
    assert doc.source == "def f():\n" + body


def test_moving_into_a_body_of_only_a_user_pass_and_back_restores_the_text():
    body = "    if a:\n        pass\n    x = 1\n"
    doc = _doc(body)
    branch, x = doc.cards[0].children[0], doc.cards[1]
    doc.move_card(x.id, branch.id, 0)
    assert doc.source == "def f():\n    if a:\n        x = 1\n        pass\n"
    doc.move_card(x.id, None, 1)
    assert doc.source == "def f():\n" + body


def test_inserting_into_a_one_line_suite_and_deleting_restores_it():
    doc = _doc("    if x: pass\n")
    branch = doc.cards[0].children[0]
    new = doc.insert_card("assign", {"target": "y", "value": "1"}, branch.id, 0)
    assert doc.source == "def f():\n    if x: y = 1; pass\n"
    doc.delete_card(new.id)
    assert doc.source == "def f():\n    if x: pass\n"


def test_a_block_inserted_before_a_deeper_comment_agrees_with_a_fresh_parse():
    doc = _doc("    a = 1\n        # deep\n    b = 2\n    c = 3\n")
    doc.insert_card("if", {"condition": "x"}, None, 1)
    assert _agrees_with_fresh_parse(doc)
    doc.delete_card(doc.cards[2].id)
    assert _agrees_with_fresh_parse(doc)


def test_a_statement_libcst_cannot_read_is_opaque_and_the_rest_editable():
    doc = _doc("    (w): int = 4\n    x = 1\n")
    assert doc.is_valid
    assert [c.kind for c in doc.cards] == [CardKind.CODE, CardKind.ASSIGN]
    assert doc.cards[0].fields["code"] == "(w): int = 4"
    doc.set_field(doc.cards[1].id, "value", "2")
    doc.move_card(doc.cards[1].id, None, 0)
    assert doc.source == "def f():\n    x = 2\n    (w): int = 4\n"


def test_statements_sharing_a_line_unit_have_their_own_lines():
    doc = _doc("    y = 1 \\\n    ; z = 2\n")
    assert [c.line_span for c in doc.cards] == [(2, 2), (3, 3)]
    doc = _doc("    y = [1,\n      2]; z = 2\n")
    assert [c.line_span for c in doc.cards] == [(2, 3), (3, 3)]


def test_deleting_the_last_line_of_a_file_without_final_newline_keeps_the_line_before():
    source = "def f():\n    a = 1\n    b = 2"
    doc = FunctionDocument.from_source(source, "f")
    doc.delete_card(doc.cards[1].id)
    assert doc.source == "def f():\n    a = 1\n"
    doc = FunctionDocument.from_source(source, "f")
    new = doc.insert_card("assign", {"target": "c", "value": "3"})
    assert doc.source == source.replace("b = 2", "b = 2\n    c = 3")
    doc.delete_card(new.id)
    assert doc.source == source


def test_an_insert_between_statements_of_one_line_lands_between_them():
    doc = _doc("    a = 1; b = 2\n")
    doc.insert_card("assign", {"target": "c", "value": "3"}, None, 1)
    assert doc.source == "def f():\n    a = 1; c = 3; b = 2\n"
    with pytest.raises(InvalidEditError):
        doc.insert_card("if", {"condition": "x"}, None, 1)


def test_a_later_definition_of_a_name_is_opened_by_its_line():
    source = ("class A:\n    @property\n    def x(self):\n        return self._x\n\n"
              "    @x.setter\n    def x(self, v):\n        self._x = v\n")
    getter = FunctionDocument.from_source(source, "x", "A")
    setter = FunctionDocument.from_source(source, "x", "A", line=6)
    assert getter.parameters == ("self",) and setter.parameters == ("self", "v")
    setter.update_source("# moved down\n" + source)
    assert setter.parameters == ("self", "v")
    assert [d.parameters for d in FunctionDocument.all_from_source(source)] == [("self",), ("self", "v")]


def test_code_that_only_the_compiler_rejects_is_invalid():
    doc = FunctionDocument.from_source("def f():\n    pass\nreturn 1\n", "f")
    assert not doc.is_valid and "outside function" in doc.error.message


def test_a_byte_order_mark_is_kept_and_ignored():
    source = "\ufeffdef f():\n    a = 1\n"
    doc = FunctionDocument.from_source(source, "f")
    assert doc.is_valid
    doc.set_field(doc.cards[0].id, "value", "2")
    assert doc.source == "\ufeffdef f():\n    a = 2\n"


def test_new_blocks_follow_the_function_s_own_indentation():
    source = "class A:\n    x = 1\n\n\ndef f():\n  if a: b = 1\n"
    doc = FunctionDocument.from_source(source, "f")
    doc.insert_card("for_each", {"target": "i", "iterable": "a"}, doc.cards[0].children[0].id)
    assert doc.source.endswith("def f():\n  if a:\n    b = 1\n    for i in a:\n      pass\n")


@pytest.mark.parametrize("source, class_name, edit", [
    ("def f():\n    global g\n    g = 1\n", None, lambda d: d.move_card(d.cards[0].id, None, 1)),
    ("async def f():\n    yield 1\n", None, lambda d: d.insert_card("return", {"value": "x"})),
    ("def f():\n    x = 1\n    def g():\n        nonlocal x\n", None, lambda d: d.set_field(d.cards[0].id, "target", "y")),
    ("def f():\n    pass\n", None, lambda d: d.insert_card("code", {"code": "await x"})),
    ("class A:\n    def f(a):\n        pass\n", "A", lambda d: d.insert_card("code", {"code": "global a"})),
])
def test_an_edit_the_compiler_would_reject_is_refused_and_undone(source, class_name, edit):
    doc = FunctionDocument.from_source(source, "f", class_name)
    ids = [c.id for c in doc.walk()]
    with pytest.raises(InvalidEditError, match="Python would not run the function"):
        edit(doc)
    assert doc.source == source and [c.id for c in doc.walk()] == ids


def test_a_pass_the_user_moved_is_theirs_and_stays():
    doc = _doc("    with a:\n        x = 1\n")
    block = doc.cards[0]
    doc.delete_card(block.children[0].id)
    placeholder = doc.card(block.id).children[0]
    doc.move_card(placeholder.id, None, 1)
    doc.move_card(block.id, None, 1)
    assert doc.source == "def f():\n    pass\n    with a:\n        pass\n"
    assert [c.kind for c in doc.cards] == [CardKind.PASS, CardKind.WITH]


def test_a_loop_moves_with_the_continue_inside_it():
    doc = FunctionDocument.from_source("def f(a):\n    for x in a:\n        continue\n    return 1\n", "f")
    loop = doc.cards[0]
    doc.move_card(loop.id, None, 1)
    assert doc.source == "def f(a):\n    return 1\n    for x in a:\n        continue\n"
    with pytest.raises(InvalidEditError, match="inside a loop"):
        doc.move_card(doc.card(loop.id).children[0].id, None, 0)


def test_except_clauses_python_refuses_are_refused():
    doc = _doc("    try:\n        a()\n    except E:\n        pass\n")
    try_card = doc.cards[0]
    with pytest.raises(InvalidEditError, match="after the other except"):
        doc.insert_card("clause", {"keyword": "except"}, try_card.id, 1)
    doc.insert_card("clause", {}, try_card.id)
    assert doc.source.endswith("    except E:\n        pass\n    except:\n        pass\n")
    source = doc.source
    with pytest.raises(InvalidEditError):
        doc.set_field(doc.card(try_card.id).children[1].id, "exception", None)
    assert doc.source == source


def test_a_docstring_keeps_its_closing_quotes_on_their_own_line():
    doc = _doc('    """Line\n    """\n')
    assert doc.cards[0].fields["text"] == "Line"
    doc.set_field(doc.cards[0].id, "text", "Line")
    assert doc.source == 'def f():\n    """Line\n    """\n'
    doc.set_field(doc.cards[0].id, "text", "Other")
    assert doc.source == 'def f():\n    """Other\n    """\n'


def test_an_earlier_branch_s_text_follows_an_edit_in_a_later_branch():
    doc = _doc("    if a:\n        x = 1\n    elif b:\n        y = 2\n")
    first, second = doc.cards[0].children
    doc.set_field(second.children[0].id, "value", "200000")
    assert doc.statement_text(first.id) == "    if a:\n        x = 1\n    elif b:\n        y = 200000\n"


def test_a_statement_libcst_cannot_read_can_be_inserted_anywhere():
    doc = FunctionDocument.from_source("def f():\n\tx = 1\n", "f")
    doc.insert_card("code", {"code": "(w): int = 4"}, None, 1)
    assert doc.source == "def f():\n\tx = 1\n\t(w): int = 4\n"
    doc = FunctionDocument.from_source("def f(): return (1)\n", "f")
    doc.insert_card("code", {"code": "(w): int = 4"}, None, 0)
    assert doc.source == "def f(): (w): int = 4; return (1)\n"
    assert _agrees_with_fresh_parse(doc)


def test_a_docstring_starting_on_its_second_line_written_back_unchanged_keeps_the_text():
    body = '    """\n    Summary.\n\n    Example:\n        f()\n\n    """\n'
    doc = _doc(body)
    doc.set_field(doc.cards[0].id, "text", doc.cards[0].fields["text"])
    assert doc.source == "def f():\n" + body
