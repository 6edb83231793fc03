"""Literal values in the function editor: typed arguments show a text, number, true/false, date or list
editor and write the quoted Python for what is typed; a button switches a field to an expression and back;
each commit is one undo step."""
import json

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCalendarWidget

from jitstudio.project import load_project
from jitstudio.qt.funceditor import QtFunctionEditor
from jitstudio.qt.funceditor._inputs import ExpressionEdit
from jitstudio.qt.funceditor._value_edit import BooleanLiteral, LineLiteral, ValueEdit
from jitstudio.qt.theme import text_color

EVENT = "events/OrderPaidNotify/inner.py"
SOURCE = '''# -*-coding:utf-8-*-
from jit.commons.utils.logger import log


def customFunc(eventOutData):
    post = eventOutData.postData.value
    app.services.ReminderSvc.remind(note="Order paid", amount=12, urgent=False, due="2024-05-01",
                                    tags=["vip", "eu"], count=post.get("count"))
    total = 'it\\'s 3'
    app.message.send(title="Order paid", content=post, receivers=["sales", "ops"])
    log.info("done", post)
    return None
'''
REMIND_ARGS = [
    {"name": "note", "title": "Note", "dataType": "Stext", "required": True},
    {"name": "amount", "title": "Amount", "dataType": "Money", "required": True},
    {"name": "urgent", "title": "Urgent", "dataType": "Bool"},
    {"name": "due", "title": "Due", "dataType": "Date"},
    {"name": "tags", "title": "Tags", "dataType": "MultiDropdown"},
    {"name": "count", "title": "Count", "dataType": "Integer"},
    {"name": "subject", "title": "Subject", "dataType": "Stext"},
]


@pytest.fixture
def shop(shop):
    """The shop with a service whose function takes one argument of each literal kind, called by the event."""
    folder = shop / "services" / "ReminderSvc"
    folder.mkdir()
    (folder / "__init__.py").write_text("from .service import ReminderSvc\n")
    (folder / "service.py").write_text(
        "from services.NormalType import NormalService\n\n\nclass ReminderSvc(NormalService):\n\n"
        "    def remind(self, note, amount, urgent=None, due=None, tags=None, count=None, subject=None):\n"
        "        return note\n")
    (folder / "e.json").write_text(json.dumps({
        "title": "Reminder service", "type": "services.NormalType", "backendBundleEntry": ".",
        "functionList": [{"name": "remind", "title": "Remind", "args": REMIND_ARGS, "returnType": "None"}]}))
    (shop / EVENT).write_text(SOURCE)
    return shop


@pytest.fixture
def editor(qtbot, shop):
    project = load_project(shop)
    widget = QtFunctionEditor(project, shop / EVENT, event_kind=project.get("events.OrderPaidNotify").event_type,
                              model_fields=project.get("models.Order").field_names)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def field(editor, kind, name, **fields) -> ValueEdit:
    card = next(c for c in editor.doc.walk() if c.kind == kind and all(c.fields.get(k) == v for k, v in fields.items()))
    widget = editor.cards_view.rows[card.id].editors[name]
    assert isinstance(widget, ValueEdit)
    return widget


def type_and_enter(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def line(editor, start):
    return next(text for text in editor.text().splitlines() if text.strip().startswith(start))


def test_loading_shows_literals_in_their_editors_and_expressions_as_code(editor):
    note = field(editor, "service_call", "args.note")
    assert note.literal_kind == "text" and isinstance(note.literal, LineLiteral)
    assert note.literal.text() == "Order paid" and note.literal.isVisibleTo(editor)
    assert not note.expression.isVisibleTo(editor) and note.toggle.text() == "ƒx"
    assert field(editor, "service_call", "args.amount").literal.text() == "12"
    assert isinstance(field(editor, "service_call", "args.urgent").literal, BooleanLiteral)
    assert field(editor, "service_call", "args.due").literal.text() == "2024-05-01"
    assert field(editor, "service_call", "args.tags").literal.text() == "vip, eu"
    count = field(editor, "service_call", "args.count")
    assert count.literal_kind is None and count.expression.text() == 'post.get("count")'
    assert count.expression.isVisibleTo(editor) and count.toggle.text() == "Abc"
    subject = field(editor, "service_call", "args.subject")  # not given: the Stext editor, empty
    assert subject.literal_kind == "text" and subject.literal.text() == ""
    assert field(editor, "assign", "value", target="total").literal.text() == "it's 3"  # untyped: the literal decides
    assert field(editor, "log", "args.0").literal.text() == "done"
    assert field(editor, "log", "args.1").literal_kind is None
    assert field(editor, "return", "value").literal_kind is None  # None is nothing to type
    assert field(editor, "message", "title").literal.text() == "Order paid"
    assert field(editor, "message", "content").literal_kind is None
    assert field(editor, "message", "receivers").literal.text() == "sales, ops"


def test_typed_text_is_written_quoted_and_undo_restores_it(qtbot, editor):
    before, steps = editor.text(), editor.undo_stack.count()
    type_and_enter(qtbot, field(editor, "service_call", "args.note").literal, "Order shipped")
    assert 'remind(note="Order shipped", amount=12,' in editor.text()
    assert editor.undo_stack.count() == steps + 1
    editor.undo()
    assert editor.text() == before
    assert field(editor, "service_call", "args.note").literal.text() == "Order paid"


def test_quotes_are_escaped_and_the_user_s_quote_is_kept(qtbot, editor):
    type_and_enter(qtbot, field(editor, "assign", "value", target="total").literal, "it's 4")
    assert line(editor, "total =") == "    total = 'it\\'s 4'"
    type_and_enter(qtbot, field(editor, "message", "title").literal, 'Order "A\\B" shipped')
    assert 'send(title="Order \\"A\\\\B\\" shipped", content=post,' in editor.text()


def test_a_number_is_written_as_a_number_and_bad_input_is_not(qtbot, editor):
    amount = field(editor, "service_call", "args.amount")
    type_and_enter(qtbot, amount.literal, "12.5")
    assert "amount=12.5," in editor.text()
    before = editor.text()
    type_and_enter(qtbot, amount.literal, "twelve")
    assert editor.text() == before and amount.literal.palette().text().color() == text_color("error")


def test_an_empty_argument_takes_the_editor_of_its_type(qtbot, editor):
    type_and_enter(qtbot, field(editor, "service_call", "args.subject").literal, "Reminder")
    assert 'count=post.get("count"), subject="Reminder")' in editor.text()


def test_a_boolean_click_writes_true_then_false(qtbot, editor):
    urgent = field(editor, "service_call", "args.urgent")
    assert urgent.literal.text() == "false"
    qtbot.mouseClick(urgent.literal, Qt.MouseButton.LeftButton)
    assert "urgent=True," in editor.text()
    qtbot.mouseClick(field(editor, "service_call", "args.urgent").literal, Qt.MouseButton.LeftButton)
    assert "urgent=False," in editor.text()


def test_a_picked_date_is_written_as_an_iso_string(qtbot, editor):
    due = field(editor, "service_call", "args.due")
    calendar = due.literal.date_menu().findChild(QCalendarWidget)
    assert calendar.selectedDate() == QDate(2024, 5, 1)
    calendar.clicked.emit(QDate(2024, 6, 30))
    assert 'due="2024-06-30",' in editor.text()
    type_and_enter(qtbot, field(editor, "service_call", "args.due").literal, "2024-07-01")
    assert 'due="2024-07-01",' in editor.text()


def test_a_list_is_typed_with_commas(qtbot, editor):
    type_and_enter(qtbot, field(editor, "service_call", "args.tags").literal, 'vip, "a, b", 3')
    assert 'tags=["vip", "a, b", 3],' in editor.text()


def test_expression_mode_writes_the_text_as_it_is(qtbot, editor):
    note = field(editor, "service_call", "args.note")
    qtbot.mouseClick(note.toggle, Qt.MouseButton.LeftButton)
    assert note.literal_kind is None and note.expression.text() == '"Order paid"' and note.toggle.text() == "Abc"
    type_and_enter(qtbot, note.expression, "eventOutData.x")
    assert "remind(note=eventOutData.x, amount=12," in editor.text()
    note = field(editor, "service_call", "args.note")
    assert note.literal_kind is None  # the user's mode stays

    qtbot.mouseClick(note.toggle, Qt.MouseButton.LeftButton)  # back: not a literal, so an empty text editor
    assert note.literal_kind == "text" and note.literal.text() == ""
    assert "note=eventOutData.x," in editor.text()  # switching alone writes nothing
    type_and_enter(qtbot, note.literal, "Back to text")
    assert 'remind(note="Back to text", amount=12,' in editor.text()


def test_switching_commits_what_was_typed_first(qtbot, editor):
    count = field(editor, "service_call", "args.count")
    count.expression.setFocus()
    count.expression.selectAll()
    qtbot.keyClicks(count.expression, "7")
    steps = editor.undo_stack.count()
    count.toggle_mode()
    assert "count=7)" in editor.text() and editor.undo_stack.count() == steps + 1
    assert count.literal_kind == "integer" and count.literal.text() == "7"


def test_picking_event_data_switches_to_expression_mode(qtbot, editor):
    note = field(editor, "service_call", "args.note")
    offered = [a.data() for a in note.picker_menu().actions() if a.data()]
    assert "eventOutData.postData.value['amount']" in offered and "post" in offered
    note.pick("post")
    assert note.literal_kind is None and "remind(note=post, amount=12," in editor.text()


def test_a_literal_typed_in_the_code_view_switches_the_field_to_its_editor(qtbot, editor):
    count = field(editor, "service_call", "args.count")
    text = editor.text().replace('count=post.get("count")', "count=5")
    editor.code_view.setPlainText(text)
    qtbot.waitUntil(lambda: count.literal_kind == "integer", timeout=3000)
    assert count.literal.text() == "5"


def test_targets_conditions_and_code_stay_expressions(editor):
    rows = editor.cards_view.rows.values()
    kinds = {name: type(widget) for row in rows for name, widget in row.editors.items()}
    assert kinds["target"] is ExpressionEdit and kinds["args.1"] is ValueEdit
