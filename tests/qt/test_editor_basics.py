"""Editor basics as in a professional IDE: find/replace, go to line, line commands, bracket matching and an
Edit menu that acts on the focused widget."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QLineEdit

from jitstudio.qt.widgets.code_editor import CodeEditor

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
SOURCE = "def total(order):\n    total = 0\n    for line in order.lines:\n        total += line.price\n    return total\n"


@pytest.fixture
def editor(qtbot):
    widget = CodeEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.set_text(SOURCE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def select(editor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def put_cursor(editor, line: int, column: int = 0) -> None:
    block = editor.document().findBlockByNumber(line)
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + column)
    editor.setTextCursor(cursor)


def lines(editor) -> list[str]:
    return editor.toPlainText().split("\n")


def undo_steps_to(editor, text: str) -> int:
    steps = 0
    while editor.toPlainText() != text and editor.document().isUndoAvailable():
        editor.undo()
        steps += 1
    return steps


# -- find and replace
def test_ctrl_f_opens_prefilled_counts_and_moves_through_the_matches(qtbot, editor):
    second = SOURCE.index("total", SOURCE.index("total") + 1)
    select(editor, second, second + 5)
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar = editor.find_bar()
    assert bar.isVisible() and bar.find_field.text() == "total" and bar.find_field.hasFocus()
    assert not bar.replace_field.isVisible()
    assert bar.count_text() == "2 of 4" and len(editor.search_highlights()) == 4
    assert bar.geometry().bottom() < editor.viewport().geometry().top()  # above the text, covering none of it
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert bar.count_text() == "3 of 4"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert bar.count_text() == "1 of 4"  # wrapped around
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return, SHIFT)
    assert bar.count_text() == "4 of 4"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_F3)
    assert bar.count_text() == "1 of 4" and editor.textCursor().selectedText() == "total"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and editor.search_highlights() == []
    assert editor.hasFocus() and editor.textCursor().selectedText() == "total"
    qtbot.keyClick(editor, Qt.Key.Key_F3)  # the last query again
    assert bar.isVisible() and bar.count_text() == "2 of 4"


def test_typing_searches_incrementally_with_case_word_and_regex_options(qtbot, editor):
    editor.set_text("Total total totals\nsubtotal = total\n")
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar = editor.find_bar()
    qtbot.keyClicks(bar.find_field, "total")
    assert bar.count_text() == "1 of 5" and editor.textCursor().selectedText() == "Total"
    bar.case_button.click()
    assert len(bar.matches) == 4
    bar.word_button.click()
    assert len(bar.matches) == 2 and bar.count_text().endswith("of 2")
    bar.word_button.click()
    bar.regex_button.click()
    bar.find_field.clear()
    qtbot.keyClicks(bar.find_field, r"\btot\w+s\b")
    assert len(bar.matches) == 1 and editor.textCursor().selectedText() == "totals"
    qtbot.keyClicks(bar.find_field, "(")
    assert bar.count_text() == "Invalid regex" and bar.matches == [] and "regex" in bar.count_label.toolTip()
    bar.find_field.setText("nothing here")
    bar.find_next()
    assert bar.count_text() == "No results"


def test_replace_goes_match_by_match_and_replace_all_is_one_undo_step(qtbot, editor):
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar = editor.find_bar()
    assert bar.replace_field.isVisible() and bar.find_field.hasFocus()
    qtbot.keyClicks(bar.find_field, "total")
    bar.word_button.click()
    qtbot.keyClicks(bar.replace_field, "amount")
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_Return)  # the selected match
    assert lines(editor)[0] == "def amount(order):" and bar.count_text() == "1 of 3"
    bar.replace_all_button.click()
    assert editor.toPlainText() == SOURCE.replace("total", "amount")
    assert bar.count_text() == "Replaced 3"
    editor.undo()
    assert editor.toPlainText() == SOURCE.replace("total", "amount", 1)  # all three came back in one step
    bar.regex_button.click()
    bar.find_field.setText(r"(\w+)\.price")
    bar.replace_field.setText(r"\1.cost")
    bar.replace_all()
    assert "total += line.cost" in editor.toPlainText()


def test_replace_is_not_offered_on_read_only_text(qtbot, editor):
    editor.setReadOnly(True)
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar = editor.find_bar()
    assert bar.isVisible() and not bar.replace_field.isVisible()
    bar.find_field.setText("total")
    bar.replace_field.setText("x")
    assert bar.replace_all() == 0 and editor.toPlainText() == SOURCE


# -- go to line
def test_go_to_line_takes_line_and_column_and_says_what_is_wrong(qtbot, editor):
    qtbot.keyClick(editor, Qt.Key.Key_G, CTRL)
    bar = editor.go_to_bar()
    assert bar.isVisible() and bar.field.hasFocus() and bar.field.text() == "1"
    bar.field.clear()
    qtbot.keyClicks(bar.field, "99")
    assert bar.field.property("invalid") and "1 to 6" in bar.message.text()
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.isVisible() and editor.textCursor().blockNumber() == 0  # stays, nothing moved
    bar.field.clear()
    qtbot.keyClicks(bar.field, "abc")
    assert bar.field.property("invalid") and "line number" in bar.message.text()
    bar.field.clear()
    qtbot.keyClicks(bar.field, "4:9")
    assert not bar.field.property("invalid")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    cursor = editor.textCursor()
    assert not bar.isVisible() and editor.hasFocus()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (3, 8)
    qtbot.keyClick(editor, Qt.Key.Key_L, CTRL)
    assert bar.isVisible() and bar.field.text() == "4"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and editor.hasFocus()


# -- line commands
def test_smart_home_goes_to_the_first_non_blank_then_the_line_start(qtbot, editor):
    put_cursor(editor, 1, 9)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert editor.textCursor().positionInBlock() == 4
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert editor.textCursor().positionInBlock() == 0
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert editor.textCursor().positionInBlock() == 4
    put_cursor(editor, 1, 9)
    qtbot.keyClick(editor, Qt.Key.Key_Home, SHIFT)
    assert editor.textCursor().selectedText() == "total"


def test_duplicate_and_delete_lines_work_on_the_selected_lines_in_one_step(qtbot, editor):
    put_cursor(editor, 1, 6)
    qtbot.keyClick(editor, Qt.Key.Key_D, CTRL)
    assert lines(editor)[1:3] == ["    total = 0", "    total = 0"]
    assert editor.textCursor().blockNumber() == 2 and editor.textCursor().positionInBlock() == 6
    assert undo_steps_to(editor, SOURCE) == 1
    block = editor.document().findBlockByNumber(2)
    select(editor, block.position() + 2, editor.document().findBlockByNumber(3).position() + 3)
    qtbot.keyClick(editor, Qt.Key.Key_D, CTRL | SHIFT)
    assert lines(editor)[2:6] == lines(editor)[4:6] + lines(editor)[4:6]
    selection = editor.textCursor()
    assert editor.document().findBlock(selection.selectionStart()).blockNumber() == 4  # the copy is selected
    assert selection.selectedText() == "  for line in order.lines:\u2029   "
    assert undo_steps_to(editor, SOURCE) == 1
    select(editor, block.position() + 2, editor.document().findBlockByNumber(3).position() + 3)
    qtbot.keyClick(editor, Qt.Key.Key_K, CTRL | SHIFT)
    assert lines(editor) == ["def total(order):", "    total = 0", "    return total", ""]
    assert editor.textCursor().blockNumber() == 2
    assert undo_steps_to(editor, SOURCE) == 1


def test_alt_up_and_down_move_the_lines_and_keep_them_selected(qtbot, editor):
    first = editor.document().findBlockByNumber(2)
    select(editor, first.position(), editor.document().findBlockByNumber(3).position() + 4)
    qtbot.keyClick(editor, Qt.Key.Key_Up, ALT)
    moved_up = editor.toPlainText()
    assert lines(editor)[1:4] == ["    for line in order.lines:", "        total += line.price", "    total = 0"]
    assert editor.textCursor().selectedText().startswith("    for line")
    qtbot.keyClick(editor, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(editor, Qt.Key.Key_Down, ALT)
    assert lines(editor)[2:5] == ["    return total", "    for line in order.lines:", "        total += line.price"]
    for expected in (SOURCE, moved_up, SOURCE):  # one undo step per move
        editor.undo()
        assert editor.toPlainText() == expected
    put_cursor(editor, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Up, ALT)  # nothing above the first line
    assert editor.toPlainText() == SOURCE


def test_ctrl_slash_toggles_comments_at_the_common_indentation(qtbot, editor):
    select(editor, editor.document().findBlockByNumber(2).position() + 6, editor.document().findBlockByNumber(3).position() + 3)
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert lines(editor)[2:4] == ["    # for line in order.lines:", "    #     total += line.price"]
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.toPlainText() == SOURCE
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert undo_steps_to(editor, SOURCE) == 1
    editor.set_language("json")  # JSON has no comments
    qtbot.keyClick(editor, Qt.Key.Key_Slash, CTRL)
    assert editor.toPlainText() == SOURCE


def test_enter_keeps_the_indentation_and_adds_a_level_after_a_colon(qtbot, editor):
    editor.set_text("def f(x):\n    y = [\n")
    put_cursor(editor, 0, 9)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert lines(editor)[1] == "    " and editor.textCursor().positionInBlock() == 4
    qtbot.keyClicks(editor, "pass")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert lines(editor)[2] == "    "
    assert undo_steps_to(editor, "def f(x):\n    pass\n    y = [\n") == 1  # a new line with its indent is one step
    editor.set_text("call(a)")
    put_cursor(editor, 0, 5)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "call(\n    a)"


def test_tab_and_shift_tab_indent_and_dedent_the_selected_lines(qtbot, editor):
    select(editor, editor.document().findBlockByNumber(1).position(), editor.document().findBlockByNumber(2).position() + 3)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert lines(editor)[1:3] == ["        total = 0", "        for line in order.lines:"]
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert lines(editor)[1:3] == ["total = 0", "for line in order.lines:"]


def test_the_bracket_at_the_cursor_and_its_partner_are_highlighted(qtbot, editor):
    editor.set_text("f(a[1], {b: (c)})\nx)")
    put_cursor(editor, 0, 1)  # before "("
    assert editor.matched_brackets() == [1, 16]
    put_cursor(editor, 0, 17)  # after ")"
    assert editor.matched_brackets() == [16, 1]
    bold = [s for s in editor.extraSelections() if s.cursor.selectedText() in "()" and s.cursor.hasSelection()]
    assert len(bold) == 2
    put_cursor(editor, 1, 2)  # after an unmatched ")"
    assert editor.matched_brackets() == [19]
    put_cursor(editor, 0, 5)  # between "1" and "]"... after "1": "]" follows
    assert editor.matched_brackets() == [5, 3]


# -- the Edit menu
def focus(qtbot, widget):
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_the_edit_menu_acts_on_the_focused_field_and_follows_what_it_can_do(qtbot, window):
    actions = window.actions_by_name
    search = window.tree.search
    focus(qtbot, search)
    qtbot.keyClicks(search, "order")
    assert actions["undo"].isEnabled() and not actions["copy"].isEnabled()
    actions["select_all"].trigger()
    assert search.selectedText() == "order" and actions["copy"].isEnabled() and actions["cut"].isEnabled()
    actions["cut"].trigger()
    assert search.text() == "" and QGuiApplication.clipboard().text() == "order"
    actions["paste"].trigger()
    actions["paste"].trigger()
    assert search.text() == "orderorder"
    actions["undo"].trigger()
    assert search.text() == "order"
    actions["redo"].trigger()
    assert search.text() == "orderorder"
    page = window.open_location("models/Order/e.json", 1)
    editor = next(e for e in page.findChildren(CodeEditor) if e.isVisible())
    focus(qtbot, editor)
    assert not actions["cut"].isEnabled() and actions["select_all"].isEnabled()
    actions["select_all"].trigger()
    assert editor.textCursor().selectedText() and actions["copy"].isEnabled()


def test_find_and_go_to_line_reach_the_current_pages_editor_from_anywhere(qtbot, window):
    actions = window.actions_by_name
    focus(qtbot, window.tree.search)
    assert not actions["find_text"].isEnabled()  # no page, no editor
    page = window.open_location("models/Order/e.json", 1)
    editor = next(e for e in page.findChildren(CodeEditor) if e.isVisible())
    focus(qtbot, window.tree.search)
    assert actions["find_text"].isEnabled() and [k.toString() for k in actions["go_to_line"].shortcuts()] == ["Ctrl+G", "Ctrl+L"]
    actions["find_text"].trigger()
    assert editor.find_bar().isVisible() and editor.find_bar().find_field.hasFocus()
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    actions["go_to_line"].trigger()
    assert editor.go_to_bar().isVisible() and not editor.find_bar().isVisible()
    assert editor.search_highlights() == []  # the find bar's marks went with it


def test_undo_in_the_function_editor_goes_to_its_history(qtbot, window):
    page = window.open_element("events.FillOrderNo")
    function_editor = page.function_editor
    function_editor.set_mode("code")
    code = function_editor.code_view
    function_editor.undo_action.setEnabled(False)
    focus(qtbot, code)
    window.get_feature("edit").update_actions()
    assert not window.actions_by_name["undo"].isEnabled()
    undone = []
    function_editor.undo_action.triggered.connect(lambda: undone.append(True))
    function_editor.undo_action.setEnabled(True)
    assert window.actions_by_name["undo"].isEnabled()  # follows the function editor's own Undo
    window.actions_by_name["undo"].trigger()
    assert undone == [True]
