"""Literal values of card fields: text, numbers, true/false, dates and lists of values that a user enters
without Python syntax, read from and written back as the Python expression text a field holds."""
from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable, Iterable

from ._catalog import DICT_TYPES, INTEGER_TYPES, LIST_TYPES, NUMBER_TYPES, TEXT_TYPES

# The scalar datatypes of jitstudio.runtime.values that hold true/false (the catalog has no group for them).
BOOLEAN_TYPES = frozenset({"Bool", "JitBool"})
# Lists of rows, records or files, and filters: values a user builds as expressions, not types on one line.
_EXPRESSION_TYPES = frozenset({"RowList", "MultiRelateData", "File", "Image", "QFilter"})
_WHEN_KINDS = {"Date": "date", "Datetime": "datetime", "Time": "time"}
_KNOWN_TYPES = NUMBER_TYPES | INTEGER_TYPES | TEXT_TYPES | DICT_TYPES | LIST_TYPES | BOOLEAN_TYPES

_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
_WHEN_PATTERNS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime": re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}([ T]{_TIME})?"),
    "time": re.compile(_TIME),
}
_WHEN_PARSERS: dict[str, Callable[[str], date | datetime | time]] = {
    "date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat}
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Literal:
    """A field's value as a plain value. ``kind`` is text, number, boolean, none, list, or (when the data
    type asks for one) date, datetime or time; dates are `datetime.date`/`datetime`/`time` values, lists
    are lists or tuples of scalars."""

    kind: str
    value: Any


def literal_kind_for(data_type: str | None) -> str | None:
    """The literal editor a JitAI data type asks for: text, number, integer, boolean, date, datetime, time
    or list; None when its values are expressions (dicts, rows, files, filters) or the type is unknown."""
    if not data_type:
        return None
    if data_type in _WHEN_KINDS:
        return _WHEN_KINDS[data_type]
    if data_type in BOOLEAN_TYPES:
        return "boolean"
    if data_type in INTEGER_TYPES:
        return "integer"
    if data_type in NUMBER_TYPES:
        return "number"
    if data_type in _EXPRESSION_TYPES or data_type in DICT_TYPES:
        return None
    if data_type in LIST_TYPES:
        return "list"
    if data_type in TEXT_TYPES:
        return "text"
    return None


def literal_of(expression_text: str | None, data_type: str | None = None) -> Literal | None:
    """The literal an expression is, or None when it is anything else (names, calls, f-strings, bytes,
    implicitly concatenated strings, dicts, nested lists). A string is a date, datetime or time only
    when `data_type` asks for one and it is written in ISO form."""
    if expression_text is None:
        return None
    text = expression_text.strip()
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    if not all(_is_scalar(element) for element in elements):
        return None
    if _string_constants(node) != _string_tokens(text):  # "a" "b" is one constant written as two strings
        return None
    value = ast.literal_eval(node)
    if isinstance(value, (list, tuple)):
        return Literal("list", value)
    if isinstance(value, bool):
        return Literal("boolean", value)
    if isinstance(value, (int, float)):
        return Literal("number", value)
    if value is None:
        return Literal("none", None)
    when = literal_kind_for(data_type)
    moment = when_of(when, value) if when is not None and when in _WHEN_PARSERS else None
    return Literal("text", value) if when is None or moment is None else Literal(when, moment)


def expression_of(kind: str | None, value: Any, data_type: str | None = None, previous: str | None = None) -> str:
    """The Python expression text of a literal. Strings take the quote of the `previous` expression when it
    had one (else double quotes) and a tuple stays a tuple; a kind of None follows `data_type`, then the
    value. Raises ValueError for a value that has no literal (NaN, infinity, nested lists)."""
    kind = kind or literal_kind_for(data_type) or _kind_of_value(value)
    quote = _quote_of(previous)
    if kind == "list":
        items = [_scalar_expression(item, quote) for item in value]
        old = literal_of(previous)
        if isinstance(value, tuple) or (old is not None and isinstance(old.value, tuple)):
            return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
        return f"[{', '.join(items)}]"
    if kind in ("date", "datetime", "time") and not isinstance(value, str):
        return _quoted(when_text(value), quote)
    if kind in ("integer", "number") and literal_kind_for(data_type) == "integer" and isinstance(value, float) \
            and value.is_integer():
        value = int(value)
    return _scalar_expression(value, quote)


def literal_editor_kind(expression_text: str | None, data_type: str | None = None) -> str | None:
    """Which literal editor shows a field: the data type's when the field is empty or holds a literal of
    that type, the literal's own kind when the type is unknown; None when it needs the expression editor."""
    wanted = literal_kind_for(data_type)
    if expression_text is None or not expression_text.strip():
        return wanted
    literal = literal_of(expression_text, data_type)
    if literal is None or literal.kind == "none":
        return None
    if wanted is None:
        return None if data_type in _KNOWN_TYPES else literal.kind
    return wanted if _fits(wanted, literal) else None


def _fits(editor_kind: str, literal: Literal) -> bool:
    """Whether a literal editor of `editor_kind` can show `literal`."""
    if editor_kind == "integer":
        return literal.kind == "number" and isinstance(literal.value, int)
    return literal.kind == editor_kind


def when_of(kind: str, text: str) -> date | datetime | time | None:
    """The date, datetime or time (per `kind`) that `text` writes in ISO form, or None."""
    if not _WHEN_PATTERNS[kind].fullmatch(text):
        return None
    try:
        return _WHEN_PARSERS[kind](text)
    except ValueError:
        return None


def when_text(value: date | datetime | time) -> str:
    """ISO text of a date, datetime (``2024-05-01 09:30:00``) or time."""
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()


def number_of(text: str) -> int | float | None:
    """A number typed by a user (``12``, ``-3``, ``12.5``, ``1e3``), or None when the text is not one."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def list_text(values: Iterable[Any]) -> str:
    """A list of values as one line: ``sales, 3, True``. Text is quoted only where it would read back as
    something else (a number, a comma, quotes, spaces at its ends)."""
    return ", ".join(value if isinstance(value, str) and _reads_back(value) else _scalar_expression(value, '"')
                     for value in values)


def list_items(text: str) -> list[Any]:
    """The values of a line written as `list_text` writes it; a piece that is not a literal is text."""
    pieces = [piece.strip() for piece in _split_commas(text)]
    return [_item_value(piece) for piece in pieces if piece]


def _quoted(text: str, quote: str = '"') -> str:
    """A string literal of `text` in `quote`, escaped as repr escapes (so it reads back the same)."""
    escapes = {"\\": "\\\\", quote: "\\" + quote, "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    body = "".join(escapes.get(ch) or (ch if ch.isprintable() else repr(ch)[1:-1]) for ch in text)
    return f"{quote}{body}{quote}"


# ----- helpers -------------------------------------------------------------------------------------


def _is_scalar(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
        number = node.value if isinstance(node, ast.Constant) else None
        return isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number)
    if not isinstance(node, ast.Constant) or type(node.value) not in _SCALARS:
        return False
    return not isinstance(node.value, float) or math.isfinite(node.value)


def _string_constants(node: ast.expr) -> int:
    return sum(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(node))


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []


def _string_tokens(text: str) -> int:
    return sum(token.type == tokenize.STRING for token in _tokens(text))


def _quote_of(previous: str | None) -> str:
    for token in _tokens(previous or ""):
        if token.type == tokenize.STRING:
            return token.string.lstrip("rRuU")[0]
    return '"'


def _kind_of_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "none" if value is None else "text"


def _scalar_expression(value: Any, quote: str) -> str:
    if isinstance(value, str):
        return _quoted(value, quote)
    if value is None or isinstance(value, bool) or isinstance(value, int):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    raise ValueError(f"{value!r} has no literal a field can hold")


def _reads_back(text: str) -> bool:
    """Whether `text` written bare in a list line is read back as the same text."""
    return bool(text) and text == text.strip() and not any(ch in text for ch in ",\"'\\") \
        and text.isprintable() and _item_value(text) == text


def _item_value(piece: str) -> Any:
    literal = literal_of(piece)
    if literal is not None and literal.kind in ("text", "number", "boolean", "none"):
        return literal.value
    return piece


def _split_commas(text: str) -> list[str]:
    """`text` split at the commas outside quotes (an unclosed quote runs to the end)."""
    pieces: list[str] = []
    current: list[str] = []
    quote, escaped = None, False
    for ch in text:
        if quote is not None:
            escaped, closes = (ch == "\\" and not escaped), (ch == quote and not escaped)
            quote = None if closes else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ",":
            pieces.append("".join(current))
            current = []
            continue
        current.append(ch)
    pieces.append("".join(current))
    return pieces
