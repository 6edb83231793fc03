"""Pygments syntax highlighting for a QTextDocument, one block (line) at a time.

Each line is lexed from the pygments state stack the previous line ended in, and the stack it ends in is
kept as the block's state (`setCurrentBlockState`, an index into the stacks seen so far). An edit
re-lexes the changed line, and QSyntaxHighlighter goes on to the next lines only while their starting
state differs from before, so a keystroke costs one line, and opening or closing a multi-line string
re-colours exactly the lines it covers."""
from __future__ import annotations

import re

from pygments.lexer import ExtendedRegexLexer, RegexLexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Error, String, Token, Whitespace, _TokenType
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

LIGHT_STYLE, DARK_STYLE = "friendly", "one-dark"
ROOT = ("root",)
# pygments colours a triple-quoted string that starts a line as a docstring when it sees the whole text
DOCSTRING_START = re.compile(r"""(\s*)([rRuUbB]{,2})(\"\"\"|''')""")


def prepare_lexers(languages: tuple[str, ...] = ("python", "json")) -> None:
    """Compile the lexers' rules ahead of the first editor (pygments does it when a lexer is first made);
    pure Python, so it can run on a worker thread."""
    for language in languages:
        get_lexer_by_name(language)


def _char_format(style: dict) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if style.get("color"):
        fmt.setForeground(QColor(f"#{style['color']}"))
    if style.get("bold"):
        fmt.setFontWeight(QFont.Weight.Bold)
    if style.get("italic"):
        fmt.setFontItalic(True)
    return fmt


def lex_line(lexer: RegexLexer, text: str, stack: tuple[str, ...]) -> tuple[list[tuple[int, object, str]], tuple[str, ...]]:
    """Tokens of `text` lexed from the state `stack`, and the stack the lexer ends in.

    The loop of `RegexLexer.get_tokens_unprocessed`, which keeps its stack to itself."""
    tokendefs = lexer._tokens
    statestack = list(stack)
    statetokens = tokendefs[statestack[-1]]
    tokens: list[tuple[int, object, str]] = []
    pos, length = 0, len(text)
    while True:
        for rexmatch, action, new_state in statetokens:
            m = rexmatch(text, pos)
            if not m:
                continue
            if action is not None:
                if type(action) is _TokenType:
                    tokens.append((pos, action, m.group()))
                else:
                    tokens.extend(action(lexer, m))
            pos = m.end()
            if new_state is not None:
                if isinstance(new_state, tuple):
                    for state in new_state:
                        if state == "#pop":
                            if len(statestack) > 1:
                                statestack.pop()
                        elif state == "#push":
                            statestack.append(statestack[-1])
                        else:
                            statestack.append(state)
                elif isinstance(new_state, int):
                    del statestack[1 if abs(new_state) >= len(statestack) else new_state:]
                elif new_state == "#push":
                    statestack.append(statestack[-1])
                statetokens = tokendefs[statestack[-1]]
            break
        else:
            if pos >= length:
                break
            if text[pos] == "\n":
                statestack = ["root"]
                statetokens = tokendefs["root"]
                tokens.append((pos, Whitespace, "\n"))
            else:
                tokens.append((pos, Error, text[pos]))
            pos += 1
    return tokens, tuple(statestack)


class PygmentsHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, language: str = "python", dark: bool = False):
        super().__init__(document)
        self._formats: dict = {}
        self._format_cache: dict = {}
        self._set_lexer(language)
        self.set_dark(dark)

    def _set_lexer(self, language: str) -> None:
        self._lexer = get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
        # a RegexLexer's state is its stack; other lexers (JSON, plain text) are lexed line by line without one
        self._stateful = isinstance(self._lexer, RegexLexer) and not isinstance(self._lexer, ExtendedRegexLexer)
        self._docstrings = "python" in self._lexer.aliases
        self._states: list[tuple[tuple[str, ...], str | None]] = [(ROOT, None)]
        self._state_ids: dict[tuple[tuple[str, ...], str | None], int] = {(ROOT, None): 0}

    def _state_id(self, stack: tuple[str, ...], docstring_quote: str | None) -> int:
        key = (stack, docstring_quote)
        state = self._state_ids.get(key)
        if state is None:
            state = self._state_ids[key] = len(self._states)
            self._states.append(key)
        return state

    def set_language(self, language: str) -> None:
        self._set_lexer(language)
        self.rehighlight()

    def set_dark(self, dark: bool) -> None:
        style = get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE)
        self._formats = {token: _char_format(s) for token, s in style}
        self._format_cache = {}
        self.rehighlight()

    def _format_for(self, token) -> QTextCharFormat | None:
        if token in self._format_cache:
            return self._format_cache[token]
        found = token
        while found is not Token and found not in self._formats:
            found = found.parent
        fmt = self._formats.get(found)
        if fmt is None or not fmt.hasProperty(QTextCharFormat.Property.ForegroundBrush) or not fmt.foreground().color().isValid():
            fmt = None
        self._format_cache[token] = fmt
        return fmt

    def _lex(self, text: str) -> tuple[list[tuple[int, object, str]], int]:
        if not self._stateful:
            return list(self._lexer.get_tokens_unprocessed(text)), 0
        previous = self.previousBlockState()
        stack, quote = self._states[previous] if 0 <= previous < len(self._states) else (ROOT, None)
        if quote is not None:  # inside a docstring, up to its closing quotes
            close = text.find(quote)
            if close < 0:
                return [(0, String.Doc, text)], previous
            rest, end = lex_line(self._lexer, text[close + 3:] + "\n", ROOT)
            return [(0, String.Doc, text[:close + 3])] + [(p + close + 3, t, v) for p, t, v in rest], self._state_id(end, None)
        tokens, end = lex_line(self._lexer, text + "\n", stack)
        if self._docstrings and stack == ROOT and end != ROOT:
            m = DOCSTRING_START.match(text)
            if m and text.find(m.group(3), m.end()) < 0:
                start = m.start(3)
                tokens = [tok for tok in tokens if tok[0] < start] + [(start, String.Doc, text[start:])]
                return tokens, self._state_id(end, m.group(3))
        return tokens, self._state_id(end, None)

    def highlightBlock(self, text: str) -> None:
        tokens, state = self._lex(text)
        self.setCurrentBlockState(state)
        # setFormat counts UTF-16 code units; Python counts code points
        units = None if text.isascii() or all(ord(c) < 0x10000 for c in text) else _utf16_offsets(text)
        length = len(text)
        for start, token, value in tokens:
            if start >= length:
                break
            fmt = self._format_for(token)
            if fmt is None or not value:
                continue
            end = min(start + len(value), length)
            if units is not None:
                start, end = units[start], units[end]
            self.setFormat(start, end - start, fmt)


def _utf16_offsets(text: str) -> list[int]:
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets
