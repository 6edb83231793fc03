"""Rendering libcst nodes at a given indentation while recording where chosen nodes landed."""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from itertools import accumulate
from typing import Any, Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _RecordingState(CodegenState):
    """A codegen state noting the token range of every node whose id() is in ``interest``."""

    def __init__(self, default_indent: str, default_newline: str, interest: set[int]) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.interest = interest
        self.marks: dict[int, list[int]] = {}

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.interest:
            self.marks[id(node)] = [len(self.tokens), -1]

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.interest:
            self.marks[id(node)][1] = len(self.tokens)


@contextmanager
def deep_recursion(limit: int = 20000):
    """libcst renders recursively; long operator chains (``a + b + ...``) nest thousands deep."""
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


class Renderer:
    """Turns nodes into text with a module's default indentation and newline."""

    def __init__(self, module: cst.Module) -> None:
        self.indent = module.default_indent
        self.newline = module.default_newline

    def __call__(self, node: cst.CSTNode) -> str:
        state = CodegenState(default_indent=self.indent, default_newline=self.newline)
        try:
            node._codegen(state)
        except RecursionError:
            state = CodegenState(default_indent=self.indent, default_newline=self.newline)
            with deep_recursion():
                node._codegen(state)
        return "".join(state.tokens)

    def render(
        self,
        nodes: Iterable[cst.CSTNode],
        indent_tokens: list[str],
        interest: set[int] = frozenset(),  # type: ignore[assignment]
        **codegen_kwargs: Any,
    ) -> tuple[str, dict[int, tuple[int, int]]]:
        """Render ``nodes`` one after another at ``indent_tokens``; return the text and the
        (start, end) character offsets, within that text, of every node in ``interest``."""
        state = _RecordingState(self.indent, self.newline, interest)
        state.indent_tokens = list(indent_tokens)
        with deep_recursion():
            for node in nodes:
                node._codegen(state, **codegen_kwargs)
        tokens = state.tokens
        text = "".join(tokens)
        if not state.marks:
            return text, {}
        offsets = [0, *accumulate(map(len, tokens))]
        return text, {key: (offsets[a], offsets[b]) for key, (a, b) in state.marks.items()}


class LineCounter:
    """1-based line numbers of character offsets, counting line breaks the way CPython does from the
    offset asked for before: asked in source order, the whole walk costs one pass over the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._has_cr = "\r" in text
        self._offset, self._line = 0, 1

    def line_of(self, offset: int) -> int:
        if offset >= self._offset:
            self._line += self._breaks(self._offset, offset)
        else:
            self._line -= self._breaks(offset, self._offset)
        self._offset = offset
        return self._line

    def _breaks(self, start: int, end: int) -> int:
        return _breaks(self._text, start, end) if self._has_cr else self._text.count("\n", start, end)


def count_breaks(text: str, start: int, end: int) -> int:
    """Line breaks between two offsets, as CPython counts them."""
    return _breaks(text, start, end)


def _breaks(text: str, start: int, end: int) -> int:
    count = text.count("\n", start, end)
    if "\r" in text:
        count += text.count("\r", start, end) - text.count("\r\n", start, end)
        if 0 < end < len(text) and text[end - 1] == "\r" and text[end] == "\n" and end - 1 >= start:
            count -= 1
    return count


def count_newlines(text: str) -> int:
    return len(_NEWLINE.findall(text))


def skip_lines(text: str, start: int, count: int) -> int:
    """The offset just after ``count`` line breaks, starting at ``start``."""
    pos = start
    for _ in range(count):
        match = _NEWLINE.search(text, pos)
        if match is None:
            return len(text)
        pos = match.end()
    return pos


def _last_part(node: cst.CSTNode) -> cst.CSTNode | None:
    """The part of a compound statement whose text comes last."""
    if isinstance(node, (cst.If, cst.For, cst.While)):
        return node.orelse or node.body
    if isinstance(node, (cst.Try, cst.TryStar)):
        return node.finalbody or node.orelse or (node.handlers[-1] if node.handlers else node.body)
    if isinstance(node, (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.With,
                         cst.FunctionDef, cst.ClassDef, cst.MatchCase)):
        return node.body
    children = node.children
    return children[-1] if children else None


def trailing_footer_lines(node: cst.CSTNode) -> int:
    """How many comment/blank lines at the end of a compound statement belong to its blocks'
    footers rather than to the statement itself."""
    count = 0
    while node is not None:
        if isinstance(node, cst.IndentedBlock):
            count += len(node.footer)
            if not node.body:
                return count
            node = node.body[-1]
        elif isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return count
        elif isinstance(node, cst.Match):
            count += len(node.footer)
            node = node.cases[-1]
        else:
            node = _last_part(node)
    return count
