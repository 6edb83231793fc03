"""Where each card's line unit lies in freshly parsed text, from CPython's statement lines.

libcst can report positions too, but only by rendering the whole module; CPython's ast is already
at hand from the syntax check, and a unit's lines follow from it: its leading comment lines come
before the statement's first line, and comments libcst gives to nested block footers after the
statement's last line."""
from __future__ import annotations

import ast

import libcst as cst

from ._classify import is_block
from ._render import trailing_footer_lines

Spans = dict[int, tuple[int, int]]


class AstSpans:
    def __init__(self, line_starts: list[int], length: int) -> None:
        self.starts = line_starts
        self.length = length
        self.spans: Spans = {}

    def offset(self, line: int) -> int:
        """Offset of the start of 1-based ``line`` (the text's end past the last line)."""
        return self.starts[line - 1] if line - 1 < len(self.starts) else self.length

    def unit(self, node: cst.BaseStatement, statements: list[ast.stmt]) -> int:
        """Record ``node`` (and what is inside it); return its last line."""
        first = statements[0]
        first_line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        last_line = statements[-1].end_lineno + trailing_footer_lines(node)
        start, end = self.offset(first_line - len(node.leading_lines)), self.offset(last_line + 1)
        self.spans[id(node)] = (start, end)
        if isinstance(node, cst.SimpleStatementLine) and len(node.body) > 1:
            for small, tree in zip(node.body, statements):
                self.spans[id(small)] = (self.offset(tree.lineno), self.offset(tree.end_lineno) + 1)
        elif isinstance(node, cst.If):
            self._branches(node, first, end)
        elif isinstance(node, cst.Try) and isinstance(first, ast.Try):
            self._clauses(node, first, end)
        elif is_block(node) or isinstance(node, cst.FunctionDef):
            self.body(node.body, first.body)
        return last_line

    def body(self, body: cst.BaseSuite, statements: list[ast.stmt]) -> int:
        """Record the units of a body; return the body's last line (footer included)."""
        if not isinstance(body, cst.IndentedBlock):
            self.spans[id(body)] = (self.offset(statements[0].lineno), self.offset(statements[-1].end_lineno + 1))
            return statements[-1].end_lineno
        index, last = 0, 0
        for unit in body.body:
            count = len(unit.body) if isinstance(unit, cst.SimpleStatementLine) else 1
            last = self.unit(unit, statements[index:index + count])
            index += count
        return last + len(body.footer)

    def _branches(self, node: cst.If, tree: ast.If, unit_end: int) -> None:
        last = self.body(node.body, tree.body)
        branch = node.orelse
        orelse = tree.orelse
        while branch is not None:
            start = self.offset(last + 1)
            if isinstance(branch, cst.If):
                tree = orelse[0]
                last = self.body(branch.body, tree.body)
                self.spans[id(branch)] = (start, unit_end)
                branch, orelse = branch.orelse, tree.orelse
            else:
                self.body(branch.body, orelse)
                self.spans[id(branch)] = (start, unit_end)
                branch = None


    def _clauses(self, node: cst.Try, tree: ast.Try, unit_end: int) -> None:
        last = self.body(node.body, tree.body)
        bodies = [h.body for h in tree.handlers] + [tree.orelse] * (node.orelse is not None) + [
            tree.finalbody] * (node.finalbody is not None)
        parts = [*node.handlers, *([node.orelse] if node.orelse else []), *([node.finalbody] if node.finalbody else [])]
        for part, statements in zip(parts, bodies):
            start = self.offset(last + 1)
            last = self.body(part.body, statements)
            self.spans[id(part)] = (start, unit_end)


def module_statements(body: list[cst.BaseStatement], tree_body: list[ast.stmt]
                      ) -> list[tuple[cst.BaseStatement, list[ast.stmt]]]:
    """Pair each libcst statement of a body with the ast statements it holds."""
    pairs, index = [], 0
    for statement in body:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        pairs.append((statement, tree_body[index:index + count]))
        index += count
    return pairs
