"""Line editing commands of the code editor. Each works on the lines the cursor or the selection covers and
is one undo step: duplicate, delete, move up/down, toggle comment, indent/dedent, smart Home, new line with
indentation."""
from __future__ import annotations

from PySide6.QtGui import QTextBlock, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

INDENT = "    "
OPENERS = {"(": ")", "[": "]", "{": "}"}
COMMENT_PREFIXES = {"python": "#", "toml": "#", "yaml": "#", "javascript": "//", "typescript": "//"}
KEEP = QTextCursor.MoveMode.KeepAnchor


def covered_blocks(cursor: QTextCursor) -> tuple[QTextBlock, QTextBlock]:
    """The first and last line of the selection; a selection ending at the start of a line leaves that out."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
        last = last.previous()
    return first, last


def _blocks(first: QTextBlock, last: QTextBlock) -> list[QTextBlock]:
    blocks, block = [first], first
    while block != last and block.next().isValid():
        block = block.next()
        blocks.append(block)
    return blocks


def _end_of(block: QTextBlock) -> int:
    return block.position() + block.length() - 1


def _span_text(editor: QPlainTextEdit, start: int, end: int) -> str:
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, KEEP)
    return cursor.selection().toPlainText()


def _select(editor: QPlainTextEdit, anchor: int, position: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(anchor)
    cursor.setPosition(position, KEEP)
    editor.setTextCursor(cursor)


def duplicate_lines(editor: QPlainTextEdit) -> None:
    """Copy the covered lines below themselves and move the cursor (and selection) onto the copy."""
    cursor = editor.textCursor()
    first, last = covered_blocks(cursor)
    anchor, position = cursor.anchor(), cursor.position()
    text = _span_text(editor, first.position(), _end_of(last))
    shift = _end_of(last) + 1 - first.position()
    edit = QTextCursor(editor.document())
    edit.setPosition(_end_of(last))
    edit.insertText("\n" + text)
    _select(editor, anchor + shift, position + shift)


def delete_lines(editor: QPlainTextEdit) -> None:
    cursor = editor.textCursor()
    first, last = covered_blocks(cursor)
    column = cursor.positionInBlock()
    edit = QTextCursor(editor.document())
    if last.next().isValid():
        edit.setPosition(first.position())
        edit.setPosition(last.next().position(), KEEP)
    else:
        edit.setPosition(max(0, first.position() - 1))
        edit.setPosition(_end_of(last), KEEP)
    edit.removeSelectedText()
    block = editor.document().findBlock(first.position() if last.next().isValid() else edit.position())
    landing = QTextCursor(block)
    landing.setPosition(block.position() + min(column, block.length() - 1))
    editor.setTextCursor(landing)


def move_lines(editor: QPlainTextEdit, up: bool) -> bool:
    """Swap the covered lines with the line above (or below); the selection moves with them."""
    cursor = editor.textCursor()
    first, last = covered_blocks(cursor)
    neighbour = first.previous() if up else last.next()
    if not neighbour.isValid():
        return False
    anchor, position = cursor.anchor(), cursor.position()
    lines = _span_text(editor, first.position(), _end_of(last))
    edit = QTextCursor(editor.document())
    if up:
        edit.setPosition(neighbour.position())
        edit.setPosition(_end_of(last), KEEP)
        edit.insertText(lines + "\n" + neighbour.text())
        shift = -neighbour.length()
    else:
        shift = neighbour.length()
        edit.setPosition(first.position())
        edit.setPosition(_end_of(neighbour), KEEP)
        edit.insertText(neighbour.text() + "\n" + lines)
    _select(editor, anchor + shift, position + shift)
    return True


def toggle_comment(editor: QPlainTextEdit, prefix: str) -> None:
    """Comment the covered lines out at their common indentation, or uncomment them when all are comments."""
    blocks = [b for b in _blocks(*covered_blocks(editor.textCursor())) if b.text().strip()]
    if not blocks:
        return
    commented = all(b.text().lstrip().startswith(prefix) for b in blocks)
    column = min(len(b.text()) - len(b.text().lstrip()) for b in blocks)
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in blocks:
        text = block.text()
        if commented:
            start = len(text) - len(text.lstrip())
            length = len(prefix) + (text[start + len(prefix):].startswith(" "))
            edit.setPosition(block.position() + start)
            edit.setPosition(block.position() + start + length, KEEP)
            edit.removeSelectedText()
        else:
            edit.setPosition(block.position() + column)
            edit.insertText(prefix + " ")
    edit.endEditBlock()


def indent_lines(editor: QPlainTextEdit) -> None:
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in _blocks(*covered_blocks(editor.textCursor())):
        if block.text().strip():
            edit.setPosition(block.position())
            edit.insertText(INDENT)
    edit.endEditBlock()


def dedent_lines(editor: QPlainTextEdit) -> None:
    edit = QTextCursor(editor.document())
    edit.beginEditBlock()
    for block in _blocks(*covered_blocks(editor.textCursor())):
        text = block.text()
        width = 1 if text.startswith("\t") else min(len(INDENT), len(text) - len(text.lstrip(" ")))
        if width:
            edit.setPosition(block.position())
            edit.setPosition(block.position() + width, KEEP)
            edit.removeSelectedText()
    edit.endEditBlock()


def smart_home(editor: QPlainTextEdit, select: bool) -> None:
    """To the line's first non-blank character, or to its start when the cursor is there already."""
    cursor = editor.textCursor()
    text = cursor.block().text()
    indent = len(text) - len(text.lstrip())
    column = 0 if cursor.positionInBlock() == indent else indent
    cursor.setPosition(cursor.block().position() + column, KEEP if select else QTextCursor.MoveMode.MoveAnchor)
    editor.setTextCursor(cursor)


def new_line(editor: QPlainTextEdit) -> None:
    """Enter: a new line with the indentation of this one, one level more after a ':' or an opening bracket;
    between a bracket pair the closing one goes to its own line."""
    cursor = editor.textCursor()
    start = editor.document().findBlock(cursor.selectionStart())
    before = start.text()[: cursor.selectionStart() - start.position()]
    indent = before[: len(before) - len(before.lstrip())]
    stripped = before.rstrip()
    deeper = stripped.endswith(":") or (stripped[-1:] in OPENERS)
    cursor.beginEditBlock()
    cursor.removeSelectedText()
    after = cursor.block().text()[cursor.positionInBlock():]
    cursor.insertText("\n" + indent + (INDENT if deeper else ""))
    if stripped[-1:] in OPENERS and after.lstrip().startswith(OPENERS[stripped[-1]]):
        position = cursor.position()
        cursor.insertText("\n" + indent)
        cursor.setPosition(position)
    cursor.endEditBlock()
    editor.setTextCursor(cursor)
