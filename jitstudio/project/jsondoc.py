"""JSON documents that know where every key and value sits, and can be edited with the smallest change.

The values come from the standard json module; a second pass records the text span of every member so that a
problem can name its line and column and an edit can replace exactly one value and leave every other byte.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from ..errors import UserError

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = ("true", "false", "null")
_NOT_JSON = ("NaN", "Infinity", "-Infinity")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Python's own limit on converting digits to an int (sys.get_int_max_str_digits) is where json.loads would fail.
MAX_DIGITS = 4300


class JsonSyntaxError(UserError, ValueError):
    def __init__(self, message: str, line: int, col: int, offset: int):
        super().__init__(f"{line}:{col}: {message}")
        self.message, self.line, self.col, self.offset = message, line, col, offset


class Span(NamedTuple):
    start: int
    end: int


class Located(NamedTuple):
    value: Span
    key: Span | None = None


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(path) -> str:
    return "".join("/" + escape_pointer_token(str(p)) for p in path)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.spans: dict[str, Located] = {}

    def value(self, i: int, pointer: str, key: Span | None) -> int:
        text, spans = self.text, self.spans
        ws: Callable[[str, int], re.Match[str]] = _WS.match  # type: ignore[assignment]  # (it matches the empty string too)
        i = ws(text, i).end()
        start = i
        ch = text[i]
        if ch == "{":
            i = ws(text, i + 1).end()
            if text[i] == "}":
                i += 1
            else:
                while True:
                    i = ws(text, i).end()
                    m = _STRING.match(text, i)
                    if m is None:
                        raise ValueError(f"no member name at offset {i}")  # json.loads accepted the text first
                    key_start, key_end = m.span()
                    name = text[key_start + 1 : key_end - 1]
                    if "\\" in name:
                        name = _decoded_string(text, key_start, key_end)
                    token = name.replace("~", "~0").replace("/", "~1") if "~" in name or "/" in name else name
                    i = ws(text, key_end).end() + 1  # ':'
                    i = ws(text, self.value(i, pointer + "/" + token, Span(key_start, key_end))).end()
                    if text[i] == "}":
                        i += 1
                        break
                    i += 1  # ','
        elif ch == "[":
            i = ws(text, i + 1).end()
            index = 0
            if text[i] == "]":
                i += 1
            else:
                while True:
                    i = ws(text, self.value(i, f"{pointer}/{index}", None)).end()
                    index += 1
                    if text[i] == "]":
                        i += 1
                        break
                    i += 1
        elif ch == '"':
            i = _STRING.match(text, i).end()
            if "\\u" in text[start:i]:
                _decoded_string(text, start, i)
        elif text.startswith(_NOT_JSON, i):
            # Python's json module reads these, but they are not JSON and other tools reject them.
            word = next(w for w in _NOT_JSON if text.startswith(w, i))
            line, col = line_col(text, i)
            raise JsonSyntaxError(f"{word} is not a JSON value; use a number or null", line, col, i)
        elif ch in "-0123456789":
            i = _NUMBER.match(text, i).end()
            if i - start > 15 or "e" in text[start:i] or "E" in text[start:i]:
                _check_number(text, start, i)
        else:
            i += next(len(w) for w in _LITERALS if text.startswith(w, i))
        spans[pointer] = Located(Span(start, i), key)
        return i


@dataclass
class JsonDocument:
    """The text of one JSON file, its parsed data, and the span of every member by JSON pointer."""

    text: str
    data: Any = None
    spans: dict[str, Located] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> "JsonDocument":
        try:
            data = json.loads(text, parse_int=_bounded_int)
        except json.JSONDecodeError as exc:
            raise _syntax_error(exc) from None
        scanner = _Scanner(text)
        scanner.value(0, "", None)
        return cls(text, data, scanner.spans)

    def locate(self, pointer: str, prefer_key: bool = False) -> tuple[int, int]:
        """Line and column of the member at pointer, or of its nearest existing parent."""
        probe = pointer
        while probe and probe not in self.spans:
            probe = probe.rsplit("/", 1)[0]
        located = self.spans.get(probe)
        if located is None:
            return 1, 1
        span = located.key if (prefer_key or probe != pointer) and located.key else located.value
        return line_col(self.text, span.start)

    def locate_in_string(self, pointer: str, index: int) -> tuple[int, int]:
        """Line and column of character `index` of the string value at pointer, counting escapes as written."""
        located = self.spans.get(pointer)
        if located is None or self.text[located.value.start] != '"':
            return self.locate(pointer)
        start = located.value.start
        return line_col(self.text, start + _raw_index(self.text[start : located.value.end], index))

    def get(self, pointer: str, default: Any = None) -> Any:
        node = self.data
        for token in _tokens(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return default
        return node

    # -- edits: each returns a new document, leaving every byte outside the edited member as it was
    def set(self, pointer: str, value: Any) -> "JsonDocument":
        if pointer in self.spans:
            span = self.spans[pointer].value
            around = self.spans.get(pointer.rsplit("/", 1)[0]) if pointer else None
            one_line = around is not None and "\n" not in self.text[around.value.start : around.value.end]
            return self._splice(span.start, span.end, self._dump(value, span.start, None if one_line else ""))
        parent, _, key = pointer.rpartition("/")
        key = key.replace("~1", "/").replace("~0", "~")
        container = self.get(parent)
        if not isinstance(container, dict):
            raise KeyError(f"no object at {parent or '/'} to hold {key!r}")
        return self._insert_member(parent, key, value)

    def put(self, pointer: str, value: Any) -> "JsonDocument":
        """`set`, except that a member already holding the value is left as written, and missing parent
        objects are created inside the nearest existing one."""
        tokens = pointer.lstrip("/").split("/")
        depth = next((d for d in range(len(tokens) - 1, 0, -1) if isinstance(self.get("/" + "/".join(tokens[:d])), dict)), 0)
        nested = value
        for token in reversed(tokens[depth + 1:]):
            nested = {token.replace("~1", "/").replace("~0", "~"): nested}
        top = "/" + "/".join(tokens[: depth + 1])
        if top in self.spans and self.get(top) == nested and type(self.get(top)) is type(nested):
            return self
        return self.set(top, nested)

    def delete(self, pointer: str) -> "JsonDocument":
        located = self.spans.get(pointer)
        if located is None or located.key is None:
            raise KeyError(pointer)
        start, end = located.key.start, located.value.end
        text = self.text
        after = _WS.match(text, end).end()
        if text[after] == ",":
            end = after + 1
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            if not text[line_start:start].strip() and line_end != -1 and not text[end:line_end].strip():
                start, end = line_start, line_end + 1
            else:
                while end < len(text) and text[end] == " ":
                    end += 1
        else:
            before = start - 1
            while before >= 0 and text[before] in " \t\r\n":
                before -= 1
            if text[before] == ",":
                start = before
        return JsonDocument.parse(text[:start] + text[end:])

    def _insert_member(self, parent: str, key: str, value: Any) -> "JsonDocument":
        span = self.spans[parent].value
        text = self.text
        close = span.end - 1
        members = [p for p, loc in self.spans.items() if loc.key and p.rsplit("/", 1)[0] == parent]
        if not members:
            outer_indent = self._indent_at(span.start)
            inner_indent = outer_indent + indent_unit(text)
            newline = "\r\n" if "\r\n" in text else "\n"
            dumped = self._dump(value, indent=inner_indent)
            member = f'{newline}{inner_indent}{json.dumps(key, ensure_ascii=False)}: {dumped}{newline}{outer_indent}'
            return JsonDocument.parse(text[: span.start + 1] + member + text[close:])
        last = max((self.spans[p] for p in members), key=lambda loc: loc.value.end)
        first = min((self.spans[p] for p in members), key=lambda loc: loc.key.start)
        between = text[span.start + 1 : first.key.start]
        one_line = "\n" not in text[span.start : span.end]
        separator = between if "\n" in between else " "
        dumped = self._dump(value, indent=None if one_line else self._indent_at(first.key.start))
        insert = f",{separator}{json.dumps(key, ensure_ascii=False)}: {dumped}"
        return self._splice(last.value.end, last.value.end, insert)

    def _indent_at(self, offset: int) -> str:
        return line_indent(self.text, offset)

    def _dump(self, value: Any, offset: int | None = None, indent: str | None = "") -> str:
        """The text of value; containers spread over lines indented from `indent` (or the line at offset),
        or on one line when indent is None."""
        if isinstance(value, (dict, list)) and value and indent is not None:
            if offset is not None:
                indent = self._indent_at(offset)
            body = json.dumps(value, ensure_ascii=False, indent=indent_unit(self.text))
            newline = "\r\n" if "\r\n" in self.text else "\n"
            return body.replace("\n", newline + indent)
        return json.dumps(value, ensure_ascii=False)

    def _splice(self, start: int, end: int, replacement: str) -> "JsonDocument":
        return JsonDocument.parse(self.text[:start] + replacement + self.text[end:])

    def replace_scalars(self, values: dict[str, Any]) -> "JsonDocument":
        """Members that hold a number, string, boolean or null given new such values, without parsing the
        text again: every other span moves by the change in length before it. (A drawing's positions are
        rewritten this way as the nodes are dragged.)"""
        edits = []
        for pointer, value in values.items():
            old = self.get(pointer, _MISSING)
            if pointer not in self.spans or isinstance(old, (dict, list)) or old is _MISSING \
                    or isinstance(value, (dict, list)) or (isinstance(value, float) and not math.isfinite(value)):
                raise KeyError(f"{pointer} is not a member holding a plain value")
            span = self.spans[pointer].value
            edits.append((span.start, span.end, json.dumps(value, ensure_ascii=False), pointer, value))
        edits.sort()
        pieces, ends, shifts, at, shift = [], [], [], 0, 0
        for start, end, written, _pointer, _value in edits:
            pieces += [self.text[at:start], written]
            at = end
            shift += len(written) - (end - start)
            ends.append(end)
            shifts.append(shift)
        pieces.append(self.text[at:])

        def moved(offset: int) -> int:
            index = bisect.bisect_right(ends, offset)
            return offset + (shifts[index - 1] if index else 0)

        replaced = {pointer: (start, len(written)) for start, _end, written, pointer, _value in edits}
        # Spans are recorded as their values end, so they are in order of their ends: those that end before
        # the first edit stay, those that start after the last one all move by the whole change.
        items = list(self.spans.items())
        first = bisect.bisect_left(items, ends[0], key=lambda item: item[1].value.end)
        spans = dict(items[:first])
        last_end, total, make = ends[-1], shifts[-1], tuple.__new__  # (the NamedTuples' own __new__ costs a call)
        for pointer, located in items[first:]:
            value_span, key = located
            if key is not None and key.start >= last_end or key is None and value_span.start >= last_end:
                spans[pointer] = make(Located, (make(Span, (value_span[0] + total, value_span[1] + total)),
                                                key and make(Span, (key[0] + total, key[1] + total))))
                continue
            if key is not None and key.start >= ends[0]:
                key = Span(moved(key.start), moved(key.end))
            if pointer in replaced:
                start = moved(value_span.start)
                value_span = Span(start, start + replaced[pointer][1])
            else:
                value_span = Span(moved(value_span.start), moved(value_span.end))
            spans[pointer] = Located(value_span, key)
        data = self.data
        for _start, _end, _written, pointer, value in edits:
            data = _with_value(data, _tokens(pointer), value)
        return JsonDocument("".join(pieces), data, spans)


def _decoded_string(text: str, start: int, end: int) -> str:
    """The value of the string literal text[start:end]; a lone surrogate escape in it is a located error, as no
    UTF-8 file, database or terminal can hold one."""
    literal = text[start:end]
    value = json.loads(literal)
    lone = _SURROGATE.search(value)
    if lone:
        offset = start + _raw_index(literal, lone.start())
        line, col = line_col(text, offset)
        escape = text[offset : offset + 6]
        raise JsonSyntaxError(f"{escape} is half of a UTF-16 surrogate pair without its other half; write the "
                              "character itself, or both halves of its pair", line, col, offset)
    return value


def _bounded_int(digits: str) -> int:
    """The int of a JSON integer; one too long to convert reads as 0 here and is reported by the scanner."""
    return 0 if len(digits.lstrip("-")) > MAX_DIGITS else int(digits)


def _check_number(text: str, start: int, end: int) -> None:
    token = text[start:end]
    if token.lstrip("-").isdigit():
        too_big = len(token.lstrip("-")) > MAX_DIGITS
        message = f"a number of {len(token.lstrip('-'))} digits; numbers may have at most {MAX_DIGITS} digits"
    else:
        too_big = math.isinf(float(token))
        shown = token if len(token) <= 24 else token[:20] + "…"
        message = f"the number {shown} is too large; numbers must lie within ±1.7e308"
    if too_big:
        line, col = line_col(text, start)
        raise JsonSyntaxError(message, line, col, start)


def line_indent(text: str, offset: int) -> str:
    """The whitespace that starts the line holding `offset`."""
    line = text[text.rfind("\n", 0, offset) + 1 : offset]
    return line[: len(line) - len(line.lstrip())]


def indent_unit(text: str) -> str:
    """One level of the document's indentation (two spaces when it has none)."""
    m = re.search(r"\n([ \t]+)\S", text)
    return m.group(1) if m else "  "


def _raw_index(literal: str, index: int) -> int:
    """Offset in a JSON string literal (quotes included) of the index-th character of its decoded value."""
    i, decoded = 1, 0
    while decoded < index and i < len(literal) - 1:
        if literal[i] != "\\":
            step = 1
        elif literal[i + 1] != "u":
            step = 2
        else:
            step = 6
            if 0xD800 <= int(literal[i + 2 : i + 6], 16) < 0xDC00 and literal.startswith("\\u", i + 6):
                if 0xDC00 <= int(literal[i + 8 : i + 12], 16) < 0xE000:
                    step = 12
        i += step
        decoded += 1
    return i


_MISSING = object()


def _with_value(node: Any, tokens: list[str], value: Any) -> Any:
    """A copy of `node` with the value at `tokens` replaced; only the containers on the way are copied."""
    if not tokens:
        return value
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, list):
        copy = list(node)
        copy[int(head)] = _with_value(node[int(head)], rest, value)
        return copy
    return {**node, head: _with_value(node[head], rest, value)}


def _tokens(pointer: str):
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


_TRAILING_COMMA = {"}": "a comma before the closing '}'; remove the trailing comma",
                   "]": "a comma before the closing ']'; remove the trailing comma"}


def _syntax_error(exc: json.JSONDecodeError) -> "JsonSyntaxError":
    """The error in plain words; a trailing comma is named as such at the comma on every Python version
    (3.13 says so itself, earlier versions report the bracket after it as a missing key or value)."""
    text, pos = exc.doc, exc.pos
    closing = text[pos:pos + 1]
    before = len(text[:pos].rstrip()) - 1
    if closing in _TRAILING_COMMA and before >= 0 and text[before] == ",":
        line = text.count("\n", 0, before) + 1
        return JsonSyntaxError(_TRAILING_COMMA[closing], line, before - text.rfind("\n", 0, before), before)
    if exc.msg.startswith("Illegal trailing comma before end of "):
        bracket = "}" if exc.msg.endswith("object") else "]"
        return JsonSyntaxError(_TRAILING_COMMA[bracket], exc.lineno, exc.colno, exc.pos)
    return JsonSyntaxError(_plain(exc.msg), exc.lineno, exc.colno, exc.pos)


def _plain(msg: str) -> str:
    return {
        "Expecting value": "expected a value (a string, number, object, list, true, false or null)",
        "Expecting ',' delimiter": "expected ',' between members",
        "Expecting ':' delimiter": "expected ':' after the key",
        "Expecting property name enclosed in double quotes": "expected a key in double quotes",
        "Extra data": "unexpected text after the end of the JSON value",
        "Unterminated string starting at": "string is not closed",
        "Invalid control character at": "a string holds a line break or control character; close the string on its line or escape the character (\\n, \\t)",
        "Invalid \\escape": "invalid escape in a string; use \\\\, \\\", \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX",
        "Invalid \\uXXXX escape": "invalid \\u escape in a string; write four hex digits, e.g. \\u00e9",
    }.get(msg, msg[0].lower() + msg[1:])


def dumps_new(data: Any) -> str:
    """The text of a new JSON file as jitstudio writes it."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
