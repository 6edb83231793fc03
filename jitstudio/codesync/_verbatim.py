"""Reading modules that CPython accepts and libcst's parser does not (``(w): int = 4``).

The statement libcst stumbles on is hidden behind a placeholder of the same number of lines, the
rest is parsed as usual, and the statement comes back as an opaque card holding its exact text.
Every other statement of the module stays editable."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import libcst as cst

_ERROR_AT = re.compile(r"error at (\d+):(\d+)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_PLACEHOLDER = "__jitstudio_verbatim_{}__"
_MAX_STATEMENTS = 20


def parse_module(text: str, tree: ast.Module, config: cst.PartialParserConfig | None = None) -> cst.Module:
    """``text`` (which CPython parsed into ``tree``) as a libcst module rendering back to ``text``.
    Raises libcst's ParserSyntaxError when a statement cannot be set aside."""
    config = config or cst.PartialParserConfig()
    try:
        return cst.parse_module(text, config)
    except cst.ParserSyntaxError as exc:
        first_error = error = exc
    hidden: dict[str, str] = {}
    masked = text
    for _ in range(_MAX_STATEMENTS):
        span = _statement_span(masked, tree, *_error_position(error))
        if span is None:
            raise error
        start, end = span
        name = _PLACEHOLDER.format(len(hidden))
        original = masked[start:end]
        hidden[name] = original
        masked = masked[:start] + name + "(" + "".join(re.findall(r"\r\n|\r|\n", original)) + ")" + masked[end:]
        try:
            module = cst.parse_module(masked, config)
        except cst.ParserSyntaxError as again:
            error = again
            continue
        restored = module.visit(_Restore(hidden))
        if restored.code != text:
            raise first_error
        return restored
    raise error


@dataclass(frozen=True)
class VerbatimText(cst.Name):
    """Source text written out exactly as it was read."""

    def _validate(self) -> None:
        pass

    def _visit_and_replace_children(self, visitor: cst.CSTVisitorT) -> "VerbatimText":
        return self  # the text has no parts to visit, and a visit must not turn it back into a Name


def is_verbatim(node: cst.CSTNode) -> bool:
    """An opaque statement kept as the exact text libcst could not read."""
    return isinstance(node, cst.Expr) and isinstance(node.value, VerbatimText)


def _error_position(error: cst.ParserSyntaxError) -> tuple[int, int | None]:
    """The line and (0-based) column where libcst's parser stopped."""
    match = _ERROR_AT.search(error.message)
    return (int(match.group(1)), int(match.group(2)) - 1) if match else (error.raw_line, None)


def _statement_span(text: str, tree: ast.Module, line: int, column: int | None) -> tuple[int, int] | None:
    """Character offsets of the innermost statement holding the position (on a line holding several
    statements, the one holding the column, else the last one)."""
    lines = _LINE.findall(text)
    starts = [0]
    for piece in lines:
        starts.append(starts[-1] + len(piece))

    def span(node: ast.stmt) -> tuple[int, int]:
        end_line = node.end_lineno or node.lineno
        return (starts[node.lineno - 1] + _chars(lines[node.lineno - 1], node.col_offset),
                starts[end_line - 1] + _chars(lines[end_line - 1], node.end_col_offset or 0))

    where = starts[line - 1] + column if column is not None and line - 1 < len(lines) else None
    found: ast.stmt | None = None
    candidates: list[ast.stmt] = list(tree.body)
    while candidates:
        holding = [n for n in candidates if n.lineno <= line <= (n.end_lineno or n.lineno)]
        if not holding:
            break
        exact = [n for n in holding if where is not None and span(n)[0] <= where < span(n)[1]]
        found = (exact or holding)[-1]
        candidates = list(_inner_statements(found))
    return span(found) if found is not None and found.end_col_offset is not None else None


def _inner_statements(node: ast.stmt):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            yield child
        elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
            yield from child.body


def _chars(line: str, utf8_offset: int) -> int:
    return len(line.encode("utf-8")[:utf8_offset].decode("utf-8", errors="ignore"))


class _Restore(cst.CSTTransformer):
    def __init__(self, hidden: dict[str, str]) -> None:
        super().__init__()
        self.hidden = hidden

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.Expr:
        value = updated.value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in self.hidden:
            return updated.with_changes(value=VerbatimText(self.hidden[value.func.value]))
        return updated
