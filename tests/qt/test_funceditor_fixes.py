"""The function editor: a statement from the palette never lands after a return (or raise) where it would never
run, and Ctrl+Z in a focused card field leaves the field showing what the code now holds."""
from PySide6.QtCore import QPoint, Qt

from jitstudio.project.templates import inner_py
from jitstudio.qt.funceditor import QtFunctionEditor
from funceditor_helpers import card_of, commit_text, open_editor

BRANCHY = '''def customFunc(eventOutData):
    total = 0
    if total > 10:
        log.info("big")
        return "big"
    return None
'''


def _editor_on(qtbot, shop, project, text):
    path = shop / "events/Scratch/inner.py"
    path.parent.mkdir()
    path.write_text(text)
    editor = QtFunctionEditor(project, path, event_kind="events.ModelType")
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _click_in_palette(qtbot, editor, *path):
    tree = editor.palette.tree
    for depth in range(1, len(path) + 1):
        item = editor.palette.find(*path[:depth])
        tree.scrollToItem(item)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())


def _code_lines(editor):
    return [line.strip() for line in editor.text().splitlines() if line.strip()]


def test_send_notification_with_no_card_selected_goes_before_the_closing_return(qtbot, shop, project):
    editor = _editor_on(qtbot, shop, project, inner_py("model", "Scratch"))
    editor.cards_view.select(None)
    _click_in_palette(qtbot, editor, "Service", "Message service", "Send notification")
    lines = _code_lines(editor)
    call = next(i for i, line in enumerate(lines) if "sendNotification(" in line)
    assert lines[call + 1] == "return None" and lines[-1] == "return None"
    assert [card.kind for card in editor.doc.cards][-2:] == ["service_call", "return"]
    assert editor.cards_view.selected_id == editor.doc.cards[-2].id


def test_a_statement_added_after_a_selected_return_goes_before_it(qtbot, shop, project):
    editor = _editor_on(qtbot, shop, project, BRANCHY)
    inner_return = card_of(editor, "return", value='"big"')
    editor.cards_view.select(inner_return.id)
    _click_in_palette(qtbot, editor, "Log", "Log warning")
    branch = editor.doc.cards[1].children[0]
    assert [card.kind for card in branch.children] == ["log", "log", "return"]
    assert branch.children[1].fields["level"] == "warning"

    editor.cards_view.select(None)
    _click_in_palette(qtbot, editor, "Flow", "Do nothing")
    assert [card.kind for card in editor.doc.cards] == ["assign", "if", "pass", "return"]


def test_a_dropped_statement_never_lands_after_a_return(qtbot, shop, project):
    editor = _editor_on(qtbot, shop, project, inner_py("model", "Scratch"))
    mime = editor.palette.tree.mimeData([editor.palette.find("Log", "Log info")])
    view = editor.cards_view
    last = view.rows[editor.doc.cards[-1].id]
    qtbot.waitUntil(lambda: last.height() > 0)  # laid out
    view.drop(mime, last.mapTo(view.canvas, QPoint(40, last.height() - 3)))  # on the lower half: after it
    assert [card.kind for card in editor.doc.cards][-2:] == ["log", "return"]


def _focused_editor(qtbot, shop, project):
    editor = open_editor(qtbot, shop, project)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # a field of a window that is not active has no focus
    return editor


def test_ctrl_z_in_a_focused_field_shows_the_value_now_in_the_code(qtbot, shop, project):
    editor = _focused_editor(qtbot, shop, project)
    amount = card_of(editor, "assign", target="amount")
    field = editor.cards_view.rows[amount.id].editors["value"]
    line_edit = field.focusProxy() or field
    commit_text(qtbot, field, "1")
    assert "    amount = 1\n" in editor.text() and line_edit.hasFocus()

    qtbot.keyClick(line_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert '    amount = post.get("amount")\n' in editor.text()
    shown = editor.cards_view.rows[amount.id].editors["value"]
    assert (shown.focusProxy() or shown).text() == 'post.get("amount")'

    qtbot.keyClick(line_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "    amount = 1\n" in editor.text()
    assert (shown.focusProxy() or shown).text() == "1"


def test_ctrl_z_drops_typing_not_yet_committed(qtbot, shop, project):
    editor = _focused_editor(qtbot, shop, project)
    amount = card_of(editor, "assign", target="amount")
    field = editor.cards_view.rows[amount.id].editors["value"]
    line_edit = field.focusProxy() or field
    before, steps = editor.text(), editor.undo_stack.count()
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, "999")
    assert line_edit.hasFocus() and line_edit.text() == "999"
    qtbot.keyClick(line_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line_edit.text() == 'post.get("amount")'
    line_edit.clearFocus()  # leaving the field commits nothing: there is nothing left to commit
    assert editor.text() == before and editor.undo_stack.count() == steps


def test_ctrl_s_saves_what_was_typed_in_a_card_field_of_a_page_with_no_other_edit(qtbot, window, shop):
    """Ctrl+S leaves the focus in the field, so its typing is not yet in the code and the page not yet
    marked unsaved; the save takes it in first instead of skipping a page that looks clean. Closing the tab
    asks about it too."""
    from PySide6.QtCore import Qt

    def type_into_first_card(text):
        row = next(iter(page.function_editor.cards_view.rows.values()))
        field = row.editors["target"]
        field = field.focusProxy() or field
        window.activateWindow()
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, text)
        return field

    page = window.open_element("events.OrderPaidNotify")
    assert not page.is_dirty()
    field = type_into_first_card("paidRow")
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "paidRow = " in (shop / "events/OrderPaidNotify/inner.py").read_text()
    assert not page.is_dirty()

    type_into_first_card("other")
    asked = []
    window.tabs.ask = lambda parent, names: asked.append(names) or "cancel"
    assert not window.tabs.close_page(page)
    assert asked == [[page.title()]]
