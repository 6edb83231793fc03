"""Pygments syntax highlighting for a QTextDocument, lexing the whole text so multi-line strings colour right."""
from __future__ import annotations

from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

LIGHT_STYLE, DARK_STYLE = "friendly", "one-dark"


def _char_format(style: dict) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if style.get("color"):
        fmt.setForeground(QColor(f"#{style['color']}"))
    if style.get("bold"):
        fmt.setFontWeight(QFont.Weight.Bold)
    if style.get("italic"):
        fmt.setFontItalic(True)
    return fmt


class PygmentsHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, language: str = "python", dark: bool = False):
        super().__init__(document)
        self._lexer = get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
        self._formats: dict = {}
        self._spans: list[tuple[int, int, QTextCharFormat]] = []
        self._lexed_revision = -1
        self.set_dark(dark)

    def set_language(self, language: str) -> None:
        self._lexer = get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
        self._lexed_revision = -1
        self.rehighlight()

    def set_dark(self, dark: bool) -> None:
        style = get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE)
        self._formats = {token: _char_format(s) for token, s in style}
        self._lexed_revision = -1
        self.rehighlight()

    def _format_for(self, token) -> QTextCharFormat | None:
        while token is not Token and token not in self._formats:
            token = token.parent
        fmt = self._formats.get(token)
        return fmt if fmt is not None and fmt.foreground().color().isValid() and fmt.hasProperty(QTextCharFormat.Property.ForegroundBrush) else None

    def _lex(self) -> None:
        document = self.document()
        if document.revision() == self._lexed_revision and self._spans:
            return
        self._lexed_revision = document.revision()
        text = document.toPlainText()
        spans, offset = [], 0
        for token, value in self._lexer.get_tokens(text):
            fmt = self._format_for(token)
            if fmt is not None and value:
                spans.append((offset, offset + len(value), fmt))
            offset += len(value)
        self._spans = spans

    def highlightBlock(self, text: str) -> None:
        self._lex()
        block = self.currentBlock()
        start, end = block.position(), block.position() + len(text)
        # spans are sorted; find the first one ending after the block start
        lo, hi = 0, len(self._spans)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._spans[mid][1] <= start:
                lo = mid + 1
            else:
                hi = mid
        for s, e, fmt in self._spans[lo:]:
            if s >= end:
                break
            self.setFormat(max(s, start) - start, min(e, end) - max(s, start), fmt)
