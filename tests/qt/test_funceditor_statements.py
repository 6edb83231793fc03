"""The function editor's typed cards for try/except, while, with, change-by, calls, checks and
docstrings: built from the palette, edited in their fields, with nested bodies of cards."""
import pytest
from PySide6.QtCore import Qt

from funceditor_helpers import EVENT, card_of, commit_text, open_editor, tool_button
from qt_helpers import choose
SOURCE = '''from jit.commons.utils.logger import log


def customFunc(eventOutData):
    """Tell sales an order is paid."""
    attempts = 0
    while attempts < 3:
        attempts += 1
        try:
            notify(eventOutData, urgent=True)
        except TimeoutError as error:
            log.warning("retrying after %s", error)
        else:
            break
    with lock:
        audit.flush()
    assert attempts <= 3, "too many attempts"
'''


@pytest.fixture
def editor(qtbot, shop, project):
    (shop / EVENT).write_text(SOURCE)
    return open_editor(qtbot, shop, project)


def test_every_statement_is_a_card_and_bodies_nest(editor):
    kinds = [c.kind.value for c in editor.doc.walk()]
    assert "code" not in kinds
    rows = editor.cards_view.rows
    loop = card_of(editor, "while")
    try_card = card_of(editor, "try")
    assert [r.card.id for r in rows[loop.id].child_rows()] == [c.id for c in loop.children]
    assert [r.card.fields["keyword"] for r in rows[try_card.id].child_rows()] == ["try", "except", "else"]
    handler = card_of(editor, "clause", keyword="except")
    assert rows[handler.id].editors["exception"].text() == "TimeoutError"
    assert rows[handler.id].editors["name"].text() == "error"


def test_except_fields_and_clause_buttons_write_the_code(qtbot, editor):
    handler = card_of(editor, "clause", keyword="except")
    commit_text(qtbot, editor.cards_view.rows[handler.id].editors["exception"], "(TimeoutError, OSError)")
    assert "        except (TimeoutError, OSError) as error:\n" in editor.text()
    try_card = card_of(editor, "try")
    row = editor.cards_view.rows[try_card.id]
    assert not tool_button(row, "Run when no error happened").isVisibleTo(editor)  # it has an else
    qtbot.mouseClick(tool_button(row, "Run in every case, error or not"), Qt.MouseButton.LeftButton)
    assert "        else:\n            break\n        finally:\n            pass\n" in editor.text()
    assert not tool_button(editor.cards_view.rows[try_card.id], "Run in every case, error or not").isVisibleTo(editor)
    editor.undo()
    assert "finally" not in editor.text()


def test_change_by_operator_is_a_choice(qtbot, editor):
    change = card_of(editor, "aug_assign")
    choose(editor.cards_view.rows[change.id].editors["operator"], "-=")
    assert "        attempts -= 1\n" in editor.text()


def test_palette_builds_a_try_in_the_selected_loop_and_break_is_refused_outside_loops(qtbot, editor):
    loop = card_of(editor, "while")
    editor.cards_view.select(loop.id)
    editor._insert_from_palette(*editor.palette.spec_of(editor.palette.find("Flow", "Try / except")))
    new_try = editor.doc.card(loop.id).children[-1]
    assert new_try.kind == "try" and "        try:\n            pass\n        except Exception:\n            pass\n" in editor.text()
    editor.cards_view.select(None)
    before = editor.text()
    editor._insert_from_palette(*editor.palette.spec_of(editor.palette.find("Flow", "Stop the loop")))
    assert editor.text() == before  # refused: not inside a loop, and the text is untouched


def test_docstring_and_check_cards_edit_as_text(qtbot, editor):
    doc_card = card_of(editor, "docstring")
    text_field = editor.cards_view.rows[doc_card.id].editors["text"]
    text_field.setFocus()
    text_field.setPlainText("Tell sales and the customer.\n\nRuns after payment.")
    text_field.clearFocus()
    qtbot.waitUntil(lambda: '"""Tell sales and the customer.\n\n    Runs after payment."""' in editor.text())
    check = card_of(editor, "assert")
    message = editor.cards_view.rows[check.id].editors["message"]
    commit_text(qtbot, message, "over the limit")
    assert '    assert attempts <= 3, "over the limit"\n' in editor.text()
