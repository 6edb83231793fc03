"""How much of real code the form shows as typed cards (run by hand: python bench/card_coverage.py [--limit N]).

On the third-party corpus of tests/codesync/_corpus.py (the packages `pip install -e ".[test]"`
installs), every function is loaded into cards and its body's statements (every nesting level, from
CPython's ast) are mapped to the innermost card holding them. A statement is opaque when it lies
inside a ``code`` card (statements of a nested def or class lie inside that def's code card); every
other kind counts as typed, so new kinds are measured as they land. Prints the totals and, per
statement type, how many statements of that type are the statement of a code card ("top") and how
many statements those code cards hide (themselves included).

Statements are matched to cards body by body (a card per statement, an if's branches to its
if/elif/else bodies, a try's clauses to its try/except/else/finally bodies); where a body's count
differs, by line: the deepest card whose line span holds the statement's first line."""
from __future__ import annotations

import argparse
import ast
import os
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "codesync"))

from _corpus import corpus_files, functions_of, lines_of, read_module  # noqa: E402
from jitstudio.codesync import Card, CardKind, FunctionDocument  # noqa: E402


HEADS = {"branch", "clause"}  # cards for the parts of an if or a try, each holding one body


def kind_of(node: ast.stmt) -> str:
    if isinstance(node, ast.Expr):
        value = node.value
        if isinstance(value, ast.Call):
            return "Expr-call"
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return "Expr-string"
        if isinstance(value, ast.Constant) and value.value is Ellipsis:
            return "Expr-ellipsis"
        return f"Expr-{type(value).__name__.lower()}"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return f"nested {type(node).__name__}"
    return type(node).__name__


def inner(node: ast.stmt) -> list[ast.stmt]:
    """Every statement nested in ``node`` (not ``node`` itself)."""
    return [n for n in ast.walk(node) if isinstance(n, ast.stmt) and n is not node]


class Tally:
    def __init__(self) -> None:
        self.functions = self.statements = self.opaque = self.cards = self.code_cards = 0
        self.by_line = self.unmapped = 0
        self.per_type: Counter = Counter()        # statements of each type
        self.top: Counter = Counter()             # code cards whose statement is of this type
        self.hidden: Counter = Counter()          # statements those code cards hold
        self.kinds: Counter = Counter()

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


class Mapper:
    """Statements of one function to its cards."""

    def __init__(self, lines: list[str], tally: Tally) -> None:
        self.lines = lines
        self.tally = tally

    def is_elif(self, node: ast.stmt) -> bool:
        return self.lines[node.lineno - 1].encode()[node.col_offset:].startswith(b"elif")

    def bodies(self, node: ast.stmt) -> tuple[list[list[ast.stmt]], list[ast.stmt]]:
        """A statement's bodies in source order (an if's elif chain flattened) and the elif statements."""
        if isinstance(node, ast.If):
            bodies, elifs = [node.body], []
            while len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) and self.is_elif(node.orelse[0]):
                node = node.orelse[0]
                elifs.append(node)
                bodies.append(node.body)
            return bodies + ([node.orelse] if node.orelse else []), elifs
        parts = [getattr(node, "body", None), *(h.body for h in getattr(node, "handlers", ())),
                 *(c.body for c in getattr(node, "cases", ())), getattr(node, "orelse", None),
                 getattr(node, "finalbody", None)]
        return [p for p in parts if isinstance(p, list) and p], []

    def body(self, cards: tuple[Card, ...], statements: list[ast.stmt], owner: Card | None = None) -> None:
        if len(cards) == len(statements):
            for card, statement in zip(cards, statements):
                self.statement(card, statement)
            return
        self.tally.by_line += 1
        for statement in statements:
            for node in [statement, *inner(statement)]:
                self.count(node, innermost(cards, node.lineno) or owner)

    def statement(self, card: Card, node: ast.stmt) -> None:
        self.count(node, card)
        nested = inner(node)
        if card.kind is CardKind.CODE:
            self.tally.top[kind_of(node)] += 1
            self.tally.hidden[kind_of(node)] += 1 + len(nested)
            for child in nested:
                self.count(child, card)
            return
        bodies, elifs = self.bodies(node)
        if card.children and all(c.kind in HEADS for c in card.children) and len(card.children) == len(bodies):
            heads = [None, *elifs] + [None] * (len(bodies) - 1 - len(elifs))  # if, elifs, else
            for branch, body, head in zip(card.children, bodies, heads):
                if head is not None:
                    self.count(head, branch)
                self.body(branch.children, body, branch)
        elif card.children or nested:
            self.body(card.children, [s for body in bodies for s in body], card)

    def count(self, node: ast.stmt, card: Card | None) -> None:
        self.tally.statements += 1
        self.tally.per_type[kind_of(node)] += 1
        if card is None:
            self.tally.unmapped += 1
        elif card.kind is CardKind.CODE:
            self.tally.opaque += 1


def innermost(cards: tuple[Card, ...], line: int) -> Card | None:
    for card in cards:
        if card.line_span[0] <= line <= card.line_span[1]:
            return innermost(card.children, line) or card
    return None


def measure(paths: list[Path]) -> Tally:
    tally = Tally()
    for path in paths:
        module = read_module(path)
        if module is None:
            continue
        text, tree = module
        try:
            docs = FunctionDocument.all_from_source(text)
        except Exception as exc:  # noqa: BLE001 - the engine changes under this script; report and go on
            print(f"{path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        functions = functions_of(tree)
        if len(docs) != len(functions):
            print(f"{path}: {len(docs)} documents for {len(functions)} functions", file=sys.stderr)
            continue
        mapper = Mapper(lines_of(text), tally)
        for doc, (_, node) in zip(docs, functions):
            tally.functions += 1
            cards = list(doc.walk())
            tally.cards += len(cards)
            tally.kinds.update(c.kind.value for c in cards)
            tally.code_cards += sum(c.kind is CardKind.CODE for c in cards)
            mapper.body(doc.cards, node.body)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N modules (in a fixed shuffled order)")
    args = parser.parse_args()
    files = corpus_files()
    random.Random(0).shuffle(files)
    files = files[:args.limit]
    workers = max(1, min(os.cpu_count() or 1, 4))
    started = time.perf_counter()
    total = Tally()
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(measure, [files[i:i + 50] for i in range(0, len(files), 50)]):
            total.add(part)
    share = lambda part, whole: f"{100 * part / whole:.1f} %" if whole else "-"
    print(f"{len(files)} modules, {total.functions} functions, {total.statements} statements, "
          f"{time.perf_counter() - started:.0f} s")
    print(f"statements inside opaque code cards: {total.opaque} ({share(total.opaque, total.statements)})")
    print(f"cards: {total.cards}, of which code cards: {total.code_cards} ({share(total.code_cards, total.cards)})")
    print("cards by kind: " + ", ".join(f"{k} {n}" for k, n in total.kinds.most_common()))
    if total.by_line or total.unmapped:
        print(f"bodies matched by line (card count differs from statement count): {total.by_line}, "
              f"statements in no card: {total.unmapped}")
    print(f"\n{'statement type':<22}{'statements':>11}{'top of code card':>18}{'hidden by them':>16}{'share':>8}")
    for name, hidden in sorted(total.hidden.items(), key=lambda item: -item[1]):
        print(f"{name:<22}{total.per_type[name]:>11}{total.top[name]:>18}{hidden:>16}"
              f"{share(hidden, total.statements):>8}")


if __name__ == "__main__":
    main()
