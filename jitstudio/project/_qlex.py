"""Tokenizer for Q filter text; string literals are decoded with Python's escape rules."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from ._qtree import QSyntaxError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[^\W\d]\w*)
  | (?P<string>['"])
  | (?P<op>[()\[\],=&|~.+-])
    """,
    re.VERBOSE,
)

_SIMPLE_ESCAPES = {
    "\n": "", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
    "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_OCTAL = "01234567"


@dataclass(frozen=True)
class Token:
    kind: str  # name, number, string, op, end
    text: str
    start: int
    end: int
    value: object = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise QSyntaxError(f"unexpected character {text[pos]!r}", pos, text)
        kind = match.lastgroup
        if kind == "string":
            value, end = _read_string(text, pos)
            tokens.append(Token("string", text[pos:end], pos, end, value))
            pos = end
            continue
        end = match.end()
        if kind == "number":
            tokens.append(Token("number", match.group(), pos, end, _number(match.group(), pos, text)))
        elif kind != "ws":
            tokens.append(Token(kind, match.group(), pos, end))
        pos = end
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


def _number(literal: str, pos: int, text: str) -> int | float:
    try:
        if any(ch in literal for ch in ".eE"):
            number = float(literal)
            if not math.isfinite(number):
                raise ValueError
            return number
        return int(literal)
    except ValueError:
        raise QSyntaxError(f"number {literal[:20]!r} is out of range", pos, text) from None


def _read_string(text: str, start: int) -> tuple[str, int]:
    """Decode the string literal starting at `start`; returns (value, end offset)."""
    quote = text[start]
    out: list[str] = []
    pos = start + 1
    while True:
        if pos >= len(text) or text[pos] == "\n":
            raise QSyntaxError("unterminated string: add the closing quote on the same line", start, text)
        ch = text[pos]
        if ch == quote:
            return "".join(out), pos + 1
        if ch != "\\":
            out.append(ch)
            pos += 1
            continue
        if pos + 1 >= len(text):
            raise QSyntaxError("unterminated string: add the closing quote on the same line", start, text)
        decoded, pos = _read_escape(text, pos)
        out.append(decoded)


def _read_escape(text: str, pos: int) -> tuple[str, int]:
    """Decode the escape sequence whose backslash is at `pos`, Python style."""
    kind = text[pos + 1]
    if kind in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[kind], pos + 2
    if kind in _HEX_ESCAPES:
        digits = text[pos + 2 : pos + 2 + _HEX_ESCAPES[kind]]
        if len(digits) != _HEX_ESCAPES[kind] or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise QSyntaxError(
                f"invalid escape '\\{kind}': it needs {_HEX_ESCAPES[kind]} hex digits", pos, text
            )
        code = int(digits, 16)
        if code > 0x10FFFF:
            raise QSyntaxError(f"invalid escape '\\{kind}{digits}': beyond the last Unicode character", pos, text)
        return chr(code), pos + 2 + len(digits)
    if kind in _OCTAL:
        end = pos + 1
        while end < len(text) and end < pos + 4 and text[end] in _OCTAL:
            end += 1
        return chr(int(text[pos + 1 : end], 8)), end
    if kind == "N" and text.startswith("{", pos + 2):
        close = text.find("}", pos + 3)
        try:
            if close < 0:
                raise KeyError
            return unicodedata.lookup(text[pos + 3 : close]), close + 1
        except KeyError:
            raise QSyntaxError("invalid escape '\\N{...}': unknown character name", pos, text) from None
    return "\\" + kind, pos + 2
