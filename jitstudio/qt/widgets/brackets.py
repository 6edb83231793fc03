"""Bracket matching: the bracket next to the cursor and its partner, found by counting nesting (brackets in
strings and comments count too) within a bounded number of lines."""
from __future__ import annotations

from PySide6.QtGui import QTextBlock, QTextDocument

PAIRS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {closer: opener for opener, closer in PAIRS.items()}
MAX_LINES = 3000


def _utf16_offsets(text: str) -> list[int]:
    offsets, position = [], 0
    for char in text:
        offsets.append(position)
        position += 2 if ord(char) >= 0x10000 else 1
    return offsets


def _char_at(document: QTextDocument, position: int) -> str:
    if not 0 <= position < document.characterCount():
        return ""
    return document.characterAt(position)


def _scan(block: QTextBlock, index: int, bracket: str, forward: bool) -> int | None:
    """The position of the partner of the `bracket` at `index` of `block`'s text, or None."""
    partner = PAIRS.get(bracket) or CLOSERS[bracket]
    depth, lines = 0, 0
    while block.isValid() and lines < MAX_LINES:
        text = block.text()
        indices = range(index, len(text)) if forward else range(index, -1, -1)
        for i in indices:
            if text[i] == bracket:
                depth += 1
            elif text[i] == partner:
                depth -= 1
                if depth == 0:
                    return block.position() + (i if text.isascii() else _utf16_offsets(text)[i])
        block = block.next() if forward else block.previous()
        index = 0 if forward else len(block.text()) - 1
        lines += 1
    return None


def _python_index(text: str, column: int) -> int:
    """The str index of the character at UTF-16 `column` of `text`."""
    return _utf16_offsets(text + " ").index(column) if not text.isascii() else column


def bracket_pair(document: QTextDocument, cursor_position: int) -> tuple[int, int | None] | None:
    """(the bracket's position, its partner's or None when unmatched) for a bracket right after or right
    before the cursor; None when there is no bracket there."""
    for position in (cursor_position, cursor_position - 1):
        char = _char_at(document, position)
        if char in PAIRS or char in CLOSERS:
            block = document.findBlock(position)
            index = _python_index(block.text(), position - block.position())
            return position, _scan(block, index, char, forward=char in PAIRS)
    return None
