"""The statements of a source file: each line mapped to the first line of the statement it belongs to, and
that statement's text, so a statement written over several lines is one step of the execution path."""
from __future__ import annotations

import ast
import linecache
import os
from dataclasses import dataclass

MAX_TEXT = 200

_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


@dataclass(frozen=True)
class Statements:
    starts: dict[int, int]
    text: dict[int, str]

    def code(self, line: int, filename: str) -> str:
        return self.text.get(line) or linecache.getline(filename, line).strip()


_EMPTY = Statements({}, {})
_cache: dict[str, tuple[tuple[int, int] | None, Statements]] = {}


def statements_of(filename: str) -> Statements:
    """The statements of a file, re-read when the file changed on disk."""
    try:
        info = os.stat(filename)
        key: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        key = None
    hit = _cache.get(filename)
    if hit is not None and hit[0] == key:
        return hit[1]
    linecache.checkcache(filename)
    lines = linecache.getlines(filename)
    try:
        found = _map(ast.parse("".join(lines)), lines)
    except (SyntaxError, ValueError):
        found = _EMPTY
    _cache[filename] = (key, found)
    return found


def _map(tree: ast.AST, lines: list[str]) -> Statements:
    starts: dict[int, int] = {}
    text: dict[int, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        first = node.lineno
        if isinstance(node, _COMPOUND):
            last = max(first, _first_body_line(node) - 1)
        else:
            last = node.end_lineno or first
        if last == first:
            continue
        for line in range(first, last + 1):
            starts[line] = first
        joined = " ".join(part.strip() for part in lines[first - 1:last] if part.strip())
        text[first] = joined if len(joined) <= MAX_TEXT else joined[:MAX_TEXT - 1] + "…"
    return Statements(starts, text)


def _first_body_line(node: ast.stmt) -> int:
    body = getattr(node, "body", None) or getattr(node, "cases", None)
    if body:
        return getattr(body[0], "lineno", node.lineno)
    return node.lineno + 1
