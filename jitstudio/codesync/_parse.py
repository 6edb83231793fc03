"""Parsing a module: CPython's verdict first, then libcst; finding functions; building their slot trees."""
from __future__ import annotations

import ast
import re
import warnings
from typing import Callable, Iterator, cast

import libcst as cst

from ._model import CodeError
from ._render import Renderer
from ._positions import AstSpans, module_statements
from ._verbatim import parse_module
from ._tree import Builder, Slot

_FIRST_NEWLINE = re.compile(r"\r\n|\r|\n")


def cpython_parse(text: str) -> tuple[ast.Module | None, CodeError | None]:
    """CPython's tree of ``text``, or the syntax error it reports (columns 1-based, as in tracebacks)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = cast(ast.Module, compile(text, "<source>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True))
            # What only the compiler checks: `return` outside a function, `break` outside a loop…
            compile(tree, "<source>", "exec", dont_inherit=True)
            return tree, None
        except SyntaxError as exc:
            return None, CodeError(exc.msg, exc.lineno, exc.offset, exc.end_lineno, exc.end_offset, exc.text)
        except ValueError as exc:
            return None, CodeError(str(exc), None, None)


_SCOPE_WORDS = ("global", "nonlocal", "await", "async", "yield", "break", "continue", "__debug__")


def has_scope_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a word whose place only the compiler checks."""
    return any(text.find(word, start, end) != -1 for word in _SCOPE_WORDS)  # a plain find is fast


def compiler_problem(function_text: str, indent: list[str]) -> str | None:
    """The compiler's complaint about one function's text, standing at ``indent`` inside classes, or None."""
    header = "".join("".join(indent[:level]) + "class _:\n" for level in range(len(indent)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(header + function_text, "<function>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.lineno or 0) - len(indent)
        return f"{exc.msg} (line {line} of the function)" if line > 0 else exc.msg
    except ValueError as exc:
        return str(exc)
    return None


def terminated(text: str) -> str:
    """``text`` ending in a newline (libcst positions are simplest to keep that way)."""
    if text.endswith(("\n", "\r")):
        return text
    match = _FIRST_NEWLINE.search(text)
    return text + (match.group() if match else "\n")


class Parsed:
    """A module that parses: its libcst tree, CPython's tree, and line starts of the text."""

    def __init__(self, module: cst.Module, tree: ast.Module, text: str) -> None:
        self.module = module
        self.tree = tree
        self.text = text
        self.renderer = Renderer(module)
        self.line_starts = [0, *(m.end() for m in _FIRST_NEWLINE.finditer(text))]


BOM = "\ufeff"


def parse(text: str) -> tuple[Parsed | None, CodeError | None]:
    """``text`` parsed; a byte order mark in front (a file read without utf-8-sig) is set aside:
    ``Parsed.text`` starts after it."""
    if text.startswith(BOM):
        text = text[len(BOM):]
    tree, error = cpython_parse(text)
    if tree is None:
        return None, error
    padded = terminated(text)
    try:
        return Parsed(parse_module(padded, tree), tree, padded), None
    except cst.ParserSyntaxError as exc:
        return None, CodeError(exc.message, exc.raw_line, exc.raw_column + 1)
    except Exception as exc:  # the native parser reports a few inputs with other exception types
        return None, CodeError(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc), None, None)


def _indent(block: cst.BaseSuite, renderer: Renderer) -> str:
    assert isinstance(block, cst.IndentedBlock)
    return block.indent if block.indent is not None else renderer.indent


Function = tuple[str | None, cst.FunctionDef, list[str], ast.stmt]


def iter_functions(parsed: Parsed) -> Iterator[Function]:
    """Every module-level function and every method of a (nested) class: (dotted class name or
    None, the def, the indentation its statement is rendered at, its ast node)."""
    queue: list[tuple[str | None, list, list, list[str]]] = [
        (None, list(parsed.module.body), parsed.tree.body, [])]
    while queue:
        owner, statements, tree_body, indent = queue.pop(0)
        for statement, trees in module_statements(statements, tree_body):
            if isinstance(statement, cst.FunctionDef):
                yield owner, statement, indent, trees[0]
            elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
                name = statement.name.value if owner is None else f"{owner}.{statement.name.value}"
                queue.append((name, list(statement.body.body), trees[0].body,
                              [*indent, _indent(statement.body, parsed.renderer)]))


def find_function(parsed: Parsed, function: str, class_name: str | None, occurrence: int = 0,
                  line: int | None = None) -> tuple[cst.FunctionDef, list[str], ast.stmt, int] | None:
    """The ``occurrence``-th definition of ``function`` in its class, or the one spanning ``line``."""
    count = 0
    for owner, funcdef, indent, tree in iter_functions(parsed):
        if owner != class_name or funcdef.name.value != function:
            continue
        first = min([tree.lineno, *(d.lineno for d in getattr(tree, "decorator_list", ()))])
        if (first <= line <= (tree.end_lineno or tree.lineno)) if line is not None else count == occurrence:
            return funcdef, indent, tree, count
        count += 1
    return None


def build_root(parsed: Parsed, funcdef: cst.FunctionDef, indent: list[str], tree: ast.stmt,
               allocate: Callable[[], str]) -> Slot:
    """The slot tree of one function, positioned from CPython's line numbers."""
    spans = AstSpans(parsed.line_starts, len(parsed.text))
    spans.unit(funcdef, [tree])
    return Builder(parsed.text, 0, spans.spans, parsed.renderer, allocate, {}).root(funcdef, indent)
