"""The reusable code editor: highlighting, gutter, markers, indentation, modified flag."""
from PySide6.QtCore import Qt

from jitstudio.qt.widgets.code_editor import CodeEditor, Marker


def test_editor_highlights_marks_and_tracks_modification(qtbot):
    editor = CodeEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.set_text('def f(x):\n    """doc\n    more"""\n    return x\n')
    assert not editor.is_modified()
    second = editor.document().findBlockByNumber(2)
    formats = second.layout().formats()
    assert formats and formats[0].format.foreground().color().isValid()  # inside the multi-line string
    editor.set_markers([Marker(4, "name 'x' is not defined")])
    assert [m.line for m in editor.markers()] == [4]
    assert any(s.format.toolTip() == "name 'x' is not defined" for s in editor.extraSelections())
    assert editor.gutter_width() > 20
    editor.go_to_line(1, 10)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.textCursor().block().text() == "    "  # indented after a colon
    assert editor.is_modified()
    with qtbot.waitSignal(editor.sig_modified):
        editor.document().setModified(False)
