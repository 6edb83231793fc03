"""Incremental highlighting colours exactly as lexing the whole text does, re-lexes only what an edit
affects, and follows multi-line strings as they open and close; the palette folds away in a narrow editor;
the host's markers show beside the editor's own."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pygments.lexers import get_lexer_by_name

from jitstudio.qt.funceditor import QtFunctionEditor
from jitstudio.qt.widgets import highlighter
from jitstudio.qt.widgets.code_editor import CodeEditor, Marker

SAMPLE = '''"""Module docstring
over two lines."""
import os


def customFunc(eventOutData):
    r"""A raw docstring
    \\d+ stays raw."""
    text = """not a docstring:
    assigned"""
    name = f"{eventOutData!r:>10} and {os.sep}"
    emoji = "🎉 party"  # a comment after a wide character
    return text.strip()
'''


def _key(fmt):
    return None if fmt is None else (fmt.foreground().color().name(), fmt.fontItalic(), int(fmt.fontWeight()))


def shown_colours(editor):
    """Per character of the text: the colour, italics and weight the highlighter gave it."""
    text = editor.toPlainText()
    colours = [None] * len(text)
    block, position = editor.document().begin(), 0  # Qt counts UTF-16 units, Python code points
    while block.isValid():
        units = [i for i, ch in enumerate(block.text()) for _ in range(2 if ord(ch) > 0xFFFF else 1)]
        for fmt_range in block.layout().formats():
            key = _key(fmt_range.format)
            for unit in range(fmt_range.start, fmt_range.start + fmt_range.length):
                colours[position + units[unit]] = key
        position += len(block.text()) + 1
        block = block.next()
    return colours


def whole_text_colours(editor):
    """What the highlighter's formats give when pygments lexes the whole text at once."""
    text = editor.toPlainText()
    colours = [None] * len(text)
    lexer = get_lexer_by_name("python", stripnl=False, stripall=False, ensurenl=False)
    for start, token, value in lexer.get_tokens_unprocessed(text):
        key = _key(editor.highlighter._format_for(token))
        for i in range(start, start + len(value)):
            colours[i] = key
    return colours


def same_as_whole_text(editor):
    text = editor.toPlainText()
    shown, wanted = shown_colours(editor), whole_text_colours(editor)
    return [i for i, ch in enumerate(text) if not ch.isspace() and shown[i] != wanted[i]] == []


def test_line_by_line_colours_match_whole_text_lexing(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.set_text(SAMPLE)
    qtbot.waitUntil(lambda: bool(editor.document().begin().layout().formats()))
    assert same_as_whole_text(editor)


def test_opening_and_closing_a_multiline_string_recolours_the_lines_below(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.set_text("x = 1\ny = 2\nz = 3\n")
    qtbot.waitUntil(lambda: bool(editor.document().begin().layout().formats()))
    cursor = QTextCursor(editor.document().findBlockByNumber(0))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, ' + """')
    assert same_as_whole_text(editor)
    string = whole_text_colours(editor)[editor.toPlainText().index("y = 2")]
    assert shown_colours(editor)[editor.toPlainText().index("z = 3")] == string
    cursor = QTextCursor(editor.document().findBlockByNumber(1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, '"""')
    assert same_as_whole_text(editor)
    assert shown_colours(editor)[editor.toPlainText().index("z = 3")] != string


def test_a_keystroke_relexes_only_its_line(qtbot, monkeypatch):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.set_text("".join(f"value{i} = {i}\n" for i in range(500)))
    qtbot.waitUntil(lambda: bool(editor.document().begin().layout().formats()))
    lexed = []
    original = highlighter.lex_line
    monkeypatch.setattr(highlighter, "lex_line", lambda lexer, text, stack: (lexed.append(text), original(lexer, text, stack))[1])
    editor.setTextCursor(QTextCursor(editor.document().findBlockByNumber(250)))
    qtbot.keyClick(editor, Qt.Key.Key_X)
    assert lexed == ["xvalue250 = 250\n"]


def test_palette_folds_away_in_a_narrow_editor_until_asked_for(qtbot, shop, project):
    editor = QtFunctionEditor(project, shop / "events/OrderPaidNotify/inner.py")
    qtbot.addWidget(editor)
    editor.resize(700, 600)
    editor.show()
    qtbot.waitExposed(editor)
    assert not editor.palette.isVisible() and not editor.palette_button.isChecked()
    qtbot.mouseClick(editor.palette_button, Qt.MouseButton.LeftButton)
    assert editor.palette.isVisible()
    editor.resize(650, 600)
    qtbot.wait(10)
    assert editor.palette.isVisible()
    wide = QtFunctionEditor(project, shop / "events/OrderPaidNotify/inner.py")
    qtbot.addWidget(wide)
    wide.resize(1100, 700)
    wide.show()
    qtbot.waitExposed(wide)
    assert wide.palette.isVisible()


def test_host_markers_show_beside_the_editors_own(qtbot, shop, project):
    editor = QtFunctionEditor(project, shop / "events/OrderPaidNotify/inner.py")
    qtbot.addWidget(editor)
    editor.set_extra_markers([Marker(2, "checked by the project", "warning")])
    assert [m.message for m in editor.code_view.markers()] == ["checked by the project"]
    editor.code_view.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.code_view, "x = (")
    editor.flush_typing()
    messages = [m.message for m in editor.code_view.markers()]
    assert "checked by the project" in messages and any(m.severity == "error" for m in editor.code_view.markers())
