"""Loading every function of the standard library (used by test_stdlib_roundtrip.py)."""
from __future__ import annotations

import ast
import os
import sysconfig
import tokenize
import warnings
from pathlib import Path

from jitstudio.codesync import CardKind, FunctionDocument

SKIP_DIRS = {"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"}


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("test"))
        files += [Path(directory, n) for n in sorted(names) if n.endswith(".py") and not n.startswith("test_")]
    return files


def _ast_functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    out, queue = [], [tree.body]
    while queue:
        for node in queue.pop(0):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append(node)
            elif isinstance(node, ast.ClassDef):
                queue.append(node.body)
    return out


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _expected(cards, statements: list[ast.stmt], problems: list[str], where: str) -> None:
    """Cards line up with CPython's statements: same count and the same line spans."""
    if len(cards) != len(statements):
        problems.append(f"{where}: {len(cards)} cards for {len(statements)} statements")
        return
    for card, stmt in zip(cards, statements):
        span = (_first_line(stmt), stmt.end_lineno)
        if card.line_span != span:
            problems.append(f"{where}: card {card.kind} spans {card.line_span}, CPython says {span}")
            return
        if card.kind is CardKind.IF:
            branches, node = [], stmt
            while True:
                branches.append(node.body)
                if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) and len(branches) < len(card.children) \
                        and card.children[len(branches)].fields["keyword"] == "elif":
                    node = node.orelse[0]
                    continue
                if node.orelse:
                    branches.append(node.orelse)
                break
            if len(branches) != len(card.children):
                problems.append(f"{where}: if with {len(card.children)} branches, CPython has {len(branches)}")
                return
            for branch, body in zip(card.children, branches):
                _expected(branch.children, body, problems, where)
        elif card.kind is CardKind.FOR_EACH:
            _expected(card.children, stmt.body, problems, where)


def check_file(path: str) -> tuple[int, int, list[str]]:
    """(functions loaded, cards, problems) for one module; a module CPython rejects counts as 0."""
    with tokenize.open(path) as handle:
        source = handle.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return 0, 0, []
    problems: list[str] = []
    docs = FunctionDocument.all_from_source(source)
    expected = _ast_functions(tree)
    if len(docs) != len(expected):
        problems.append(f"{path}: {len(docs)} documents for {len(expected)} functions")
        return len(docs), 0, problems
    cards = 0
    for doc, func in zip(docs, expected):
        if doc.source != source:
            problems.append(f"{path}:{func.lineno} {doc.function}: source changed without an edit")
        cards += sum(1 for _ in doc.walk())
        _expected(doc.cards, func.body, problems, f"{path}:{func.lineno} {doc.function}")
    return len(docs), cards, problems


def check_files(paths: list[str]) -> tuple[int, int, list[str]]:
    functions = cards = 0
    problems: list[str] = []
    for path in paths:
        try:
            f, c, p = check_file(path)
        except Exception as exc:  # reported, with the module, as a failure of the round trip
            f, c, p = 0, 0, [f"{path}: {type(exc).__name__}: {exc}"]
        functions, cards = functions + f, cards + c
        problems += p
    return functions, cards, problems
