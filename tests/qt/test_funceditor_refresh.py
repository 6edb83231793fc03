"""A field edit in the visual editor refreshes what it changed and nothing else: only the rows of the cards
whose lines changed are updated, every row holds the document's current card, the warnings' underlines stay
on their lines and move with them, and a refused edit's message goes at the next refresh."""
import pytest
from PySide6.QtGui import QTextCharFormat

from jitstudio.qt.funceditor import QtFunctionEditor
from jitstudio.qt.funceditor._card_row import CardRow
from funceditor_helpers import card_of, commit_text

SOURCE = '''def customFunc(eventOutData):
    amount = eventOutData.amount
    app.getElement("services.OrderSvc").check(sku=amount,
                                              qty=1)
    if amount > 10:
        note = "big"
        app.getElement("services.OrderSvc").check(sku=note)
    return amount
'''


@pytest.fixture
def editor(qtbot, tmp_path):
    path = tmp_path / "inner.py"
    path.write_text(SOURCE, encoding="utf-8")
    widget = QtFunctionEditor(None, path)  # no project: every service call is unknown, a warning
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def updated(monkeypatch):
    ids = []
    update = CardRow.update_card

    def noting(row, card, issues):
        ids.append(card.id)
        update(row, card, issues)
    monkeypatch.setattr(CardRow, "update_card", noting)
    return ids


def rows_hold_the_current_cards(editor):
    return all(editor.cards_view.rows[card.id].card is card for card in editor.doc.walk())


def underlined_lines(editor):
    """The lines the warnings underline, each checked to be underlined from its start to its end."""
    view, lines = editor.code_view, []
    for selection in view.extraSelections():
        if selection.format.underlineStyle() != QTextCharFormat.UnderlineStyle.WaveUnderline:
            continue
        cursor = selection.cursor
        block = view.document().findBlock(cursor.selectionStart())
        assert (cursor.selectionStart(), cursor.selectionEnd()) == (block.position(), block.position() + block.length() - 1)
        lines.append(block.blockNumber() + 1)
    return lines


def calls_lines(editor):
    return [card.line_span[0] for card in editor.doc.walk() if card.kind == "service_call"]


def test_a_field_edit_updates_only_the_row_of_its_card(editor, updated):
    amount = card_of(editor, "assign", target="amount")
    assert editor.edit_field(amount.id, "value", "eventOutData.total") is None
    assert updated == [amount.id]
    assert editor.cards_view.rows[amount.id].editors["value"].text() == "eventOutData.total"
    assert rows_hold_the_current_cards(editor)


def test_a_nested_field_edit_updates_its_row_and_the_rows_holding_it(editor, updated):
    note = card_of(editor, "assign", target="note")
    branch = card_of(editor, "branch", keyword="if")
    condition = card_of(editor, "if")
    assert editor.edit_field(note.id, "value", '"large"') is None
    assert sorted(updated) == sorted([condition.id, branch.id, note.id])
    assert rows_hold_the_current_cards(editor)


def test_warnings_stay_underlined_on_their_lines_and_move_with_them(editor):
    assert underlined_lines(editor) == calls_lines(editor) == [3, 7]
    call = card_of(editor, "service_call")
    assert editor.edit_field(call.id, "args.sku", "amount + 1") is None  # on the warning's line
    assert underlined_lines(editor) == calls_lines(editor) == [3, 7]
    assert editor.edit_field(call.id, "args", {"sku": "x", "qty": "2"}) is None  # from its line into the next
    assert underlined_lines(editor) == calls_lines(editor) == [3, 7]
    amount = card_of(editor, "assign", target="amount")
    assert editor.edit_field(amount.id, "value", "(\n        eventOutData.amount\n    )") is None  # lines above
    assert underlined_lines(editor) == calls_lines(editor) == [5, 9]
    assert [m.line for m in editor.code_view.markers()] == [5, 9]


def test_a_refused_value_shows_its_message_until_the_next_refresh(qtbot, editor):
    amount = card_of(editor, "assign", target="amount")
    row = editor.cards_view.rows[amount.id]
    commit_text(qtbot, row.editors["value"], "eventOutData.(")
    assert row.issue_labels["value"].isVisibleTo(editor)
    assert editor.edit_field(card_of(editor, "assign", target="note").id, "value", '"large"') is None
    assert not editor.cards_view.rows[amount.id].issue_labels["value"].isVisibleTo(editor)
