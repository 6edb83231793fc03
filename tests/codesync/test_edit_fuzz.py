"""Random sequences of form edits on real third-party functions (see _corpus.py) keep the text and
the cards consistent. After every edit the public API accepts:

(a) the source compiles;
(b) every line before the touched card's line unit (its comment lines included; for an insert,
    the place it went into; for a move, both; for a branch or clause, the whole if or try) and
    every line after it is byte-identical, allowing for the lines inserted or removed there;
(c) the cards equal those of a fresh parse of the text (kind, line span, fields, comments, nesting);
(d) deleting a card just inserted, or moving a card back where it was, restores the text exactly
    (when the API can express the way back: no ``;``-shared lines, no one-line suites);
(e) writing a field back with its own value changes nothing, and an edit refused with a
    CodeSyncError changes nothing.
Any exception other than a CodeSyncError is a failure too. Each failure comes with a reproduction.

Size: JITSTUDIO_EDIT_FUZZ_FUNCTIONS functions, JITSTUDIO_EDIT_FUZZ_STEPS edits each; another
JITSTUDIO_EDIT_FUZZ_SEED picks other functions and other edits."""
from __future__ import annotations

import ast
import difflib
import os
import random
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Mapping

import pytest

from _corpus import Function, lines_of, pick_functions
from jitstudio.codesync import (FIELD_NAMES, LOG_LEVELS, MODEL_OPERATIONS, Card, CardKind, CodeSyncError,
                                FunctionDocument)

EXPRESSIONS = [
    "x", "0", "'text'", "None", "a.b(c, key=1)", "[1, 2]", "(a, b)", "x if y else z", "not done", "f'{x}!'",
    "lambda: 0", "{**kw}", "d['k']", "(n := 3)", "-1", "(\n    first\n    + second\n)", "[\n    1,\n\n    2,\n]",
    "('a'\n 'b')", "x == 1 or (y\n        and z)",
]
STATEMENTS = [
    "x = 1", "pass", "print(x)", "x += 1", "del x", "assert x, 'why'", "import os", "x: int = 4", "(w): int = 4",
    "a = 1; b = 2", "# note\ny = 2", "y = 2  # tail", "x = yield y", "return", "return (x)", "raise",
    "while x:\n    x -= 1", "with a as b:\n    pass", "try:\n    run()\nexcept Exception:\n    pass",
    "if a:\n    b()\nelse:\n    c()", "for i in range(3):\n    pass", "x = (\n    1,\n\n    2,\n)",
    "def inner():\n    return 1",
]
# Values of the fields that are not plain expressions, by field name (other fields take EXPRESSIONS).
VALUES = {
    "code": STATEMENTS, "target": ["x", "a, b", "self.value", "d['k']", "(p, q)", "[r, s]", "obj.attr[0]"],
    "service": ["services.Svc", "services.pkg.Other"], "model": ["models.Order", "models.pkg.Line"],
    "function": ["run", "fetch"], "operation": sorted(MODEL_OPERATIONS), "level": sorted(LOG_LEVELS),
    "via": ["app.event", "JitEvent"], "keyword": ["elif", "else", "except", "finally"],
    "operator": ["+=", "-=", "|=", "**="], "name": ["exc", "error"], "items": ["ctx()", "open(p) as f", "a as b, c"],
    "text": ["One line.", "Two\nlines.", "Quotes ''' and \"\"\" inside", "back\\slash", "trailing space "],
}
# Kinds that are a part of another card (an if's branches, a try's clauses): inserted into it, never moved.
HEADS = {"branch", "clause"}


class Broken(Exception):
    """An invariant does not hold: args are (invariant, detail)."""


@dataclass
class Failure:
    function: Function
    edits: list[str]
    invariant: str
    detail: str
    operation: str

    @property
    def signature(self) -> str:
        return f"{self.invariant} after {self.operation}"

    def __str__(self) -> str:
        src = self.function.source
        load = (f"src = {src!r}" if len(src) <= 3000 else
                f"from _corpus import load; src = load({self.function.path!r}, {self.function.qualname!r}).source")
        lines = [f"{self.signature}", f"in {self.function.where}", self.detail.rstrip(), "reproduce:",
                 "    from jitstudio.codesync import FunctionDocument", f"    {load}",
                 f"    doc = FunctionDocument.from_source(src, {self.function.function!r}, "
                 f"{self.function.class_name!r})", *(f"    {e}" for e in self.edits)]
        return "\n".join(lines)


# ----- reading the document ----------------------------------------------------------------------

@dataclass
class Place:
    card: Card
    parent: Card | None
    index: int


def places(doc: FunctionDocument) -> list[Place]:
    out: list[Place] = []

    def visit(cards: tuple[Card, ...], parent: Card | None) -> None:
        for index, card in enumerate(cards):
            out.append(Place(card, parent, index))
            visit(card.children, card)
    visit(doc.cards, None)
    return out


def plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def shape(cards: tuple[Card, ...]) -> list:
    return [(c.kind, c.line_span, {k: plain(v) for k, v in c.fields.items()}, c.comments, shape(c.children))
            for c in cards]


def children_of(doc: FunctionDocument, parent: Card | None) -> tuple[Card, ...]:
    return doc.cards if parent is None else parent.children


class Layout:
    """A text's lines, which lines begin with a statement (rather than hold one after ``:`` or
    ``;``), and the line of the function's ``def``."""

    def __init__(self, text: str, function: str, tree: ast.Module) -> None:
        self.lines = lines_of(text)
        self.starts: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt):
                heads = [(node.lineno, node.col_offset, b""), *(
                    (d.lineno, d.col_offset, b"@") for d in getattr(node, "decorator_list", ()))]
                self.starts |= {line for line, col, mark in heads
                                if self.lines[line - 1].encode()[:col].strip() in (b"", mark)}
        self.def_line = next(n.lineno for n in ast.walk(tree)
                             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function)


def _same(found: list[str], unit: list[str], at_end: bool) -> bool:
    if found == unit:
        return True  # the engine keeps the text newline-terminated; the source may not be
    return at_end and found[:-1] == unit[:-1] and found[-1] == unit[-1].rstrip("\r\n")


def unit_range(doc: FunctionDocument, card: Card, layout: Layout) -> tuple[int, int] | None:
    """0-based [first, end) lines of a card's line unit (leading comments and footers included);
    None when the unit does not start a line (a statement of a one-line suite)."""
    unit, lines = lines_of(doc.statement_text(card.id)), layout.lines
    first, last = card.line_span[0] - 1, card.line_span[1] - 1
    for start in range(max(0, first - len(unit) + 1), first + 1):
        end = start + len(unit)
        if end - 1 >= last and _same(lines[start:end], unit, end == len(lines)):
            return start, end
    return None


def suite_range(cards: tuple[Card, ...]) -> tuple[int, int]:
    return min(c.line_span[0] for c in cards) - 1, max(c.line_span[1] for c in cards)


def own_range(doc: FunctionDocument, place: Place, layout: Layout) -> tuple[int, int]:
    """Where an edit of this card may change the text: its line unit, or its one-line suite; for
    a branch or a clause, the whole statement it belongs to."""
    if place.card.kind in HEADS and place.parent is not None:
        return unit_range(doc, place.parent, layout) or suite_range(place.parent.children)
    return unit_range(doc, place.card, layout) or suite_range(children_of(doc, place.parent))


def is_suite(layout: Layout, parent: Card | None, cards: tuple[Card, ...]) -> bool:
    """Whether the body holding ``cards`` is a one-line suite (``if x: a; b``)."""
    line = cards[0].line_span[0]
    return line == (layout.def_line if parent is None else parent.line_span[0]) or line not in layout.starts


def shares_lines(card: Card, siblings: tuple[Card, ...]) -> bool:
    return any(s.id != card.id and s.line_span[0] <= card.line_span[1] and card.line_span[0] <= s.line_span[1]
               for s in siblings)


def insert_range(doc: FunctionDocument, layout: Layout, parent: Card | None, cards: tuple[Card, ...],
                 index: int | None) -> tuple[int, int]:
    """Where inserting into a body holding ``cards`` at ``index`` may change the text: the point
    between two units, a lone ``pass`` it replaces, or a one-line suite it turns into a block."""
    if is_suite(layout, parent, cards):
        return suite_range(cards)
    if len(cards) == 1 and doc.statement_text(cards[0].id).strip() == "pass":
        return block_unit(doc, cards[0], layout)
    if index is None or index >= len(cards):
        point = block_unit(doc, cards[-1], layout)[1]
    else:
        point = block_unit(doc, cards[index], layout)[0]
    return point, point


def block_unit(doc: FunctionDocument, card: Card, layout: Layout) -> tuple[int, int]:
    """The line unit of a card of an indented block, which always starts a line."""
    found = unit_range(doc, card, layout)
    if found is None:
        raise Broken("statement_text is not the card's lines",
                     f"card {card}\nstatement_text {doc.statement_text(card.id)!r}")
    return found


def hull(*ranges: tuple[int, int]) -> tuple[int, int]:
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


# ----- one function's run ------------------------------------------------------------------------

class Run:
    def __init__(self, function: Function, seed: int) -> None:
        self.function = function
        self.rng = random.Random(f"{seed}:{function.where}")
        self.seen: dict[str, list[str]] = {}  # values of the function's own fields, by name ("" for expressions)
        self.tree = "", ast.parse("")  # the last text parsed and its tree
        self.edits: list[str] = []
        self.operation = "loading"
        self.steps = 0

    def run(self, steps: int) -> Failure | None:
        actions = [self.same_value, self.new_value, self.insert, self.move, self.delete]
        try:
            self.load()
            for _ in range(steps):
                action = self.rng.choices(actions, [2, 3, 2, 1.5, 1.5])[0]
                self.operation = action.__name__
                action()
                self.steps += 1
        except Broken as broken:
            return Failure(self.function, self.edits, broken.args[0], broken.args[1], self.operation)
        except Exception as exc:
            detail = "".join(traceback.format_exception(exc)[-4:])
            return Failure(self.function, self.edits, f"raised {type(exc).__name__}", detail, self.operation)
        return None

    def load(self) -> None:
        docs = FunctionDocument.all_from_source(self.function.source)
        if len(docs) != 1 or docs[0].source != self.function.source:
            raise Broken("loading", f"{len(docs)} documents, or a source that changed on loading")
        self.doc = docs[0]
        for card in self.doc.walk():
            for name, value in card.fields.items():
                if isinstance(value, str):
                    self.seen.setdefault(name if name in VALUES else "", []).append(value)
        self.check(self.function.source, (0, len(lines_of(self.function.source))))

    # ----- values --------------------------------------------------------------------------------

    def value(self, name: str, kind: str) -> Any:
        """A value for field ``name``: a fixed one or one of the function's own; now and then None."""
        if name == "args" and kind != "publish":
            return {str(i): self.value("", "") for i in range(self.rng.randint(0, 2))}
        if self.rng.random() < 0.1:
            return None
        key = name if name in VALUES else ""
        return self.rng.choice([*VALUES.get(name, EXPRESSIONS), *self.seen.get(key, ())])

    def args(self, current: Mapping[str, str]) -> tuple[str, str | None]:
        """One argument to add, change or (None) remove."""
        key = self.rng.choice([*current, str(sum(k.isdigit() for k in current)), "key", "*", "**"])
        return key, None if key in current and self.rng.random() < 0.5 else self.value("", "")

    def new_value(self) -> None:
        place = self.pick([p for p in places(self.doc) if p.card.fields])
        if place is None:
            return
        card = place.card
        name = self.rng.choice(list(card.fields))
        current = card.fields[name]
        if isinstance(current, Mapping):  # call arguments: one of them, or all of them with one changed
            key, value = self.args(current)
            if self.rng.random() < 0.8:
                name = f"{name}.{key}"
            else:
                value = {k: v for k, v in {**current, key: value}.items() if v is not None}
        else:
            value = self.value(name, card.kind.value)
        before, layout = self.doc.source, self.layout()
        allowed = own_range(self.doc, place, layout)
        if self.edit(f"set_field({card.kind.value}.{name.partition('.')[0]})", "set_field", card.id, name, value):
            self.check(before, allowed)

    def same_value(self) -> None:
        place = self.pick([p for p in places(self.doc) if p.card.fields])
        if place is None:
            return
        card = place.card
        name = self.rng.choice(list(card.fields))
        before, layout = self.doc.source, self.layout()
        allowed = own_range(self.doc, place, layout)
        if self.edit(f"set_field({card.kind.value}.{name}, same value)", "set_field", card.id, name,
                     plain(card.fields[name])):
            if self.doc.source != before:
                raise Broken("(e) writing a field back with its own value changed the text",
                             _diff(before, self.doc.source))
            self.check(before, allowed)

    # ----- edits ---------------------------------------------------------------------------------

    def edit(self, what: str, method: str, *args: Any) -> Any:
        """Call the API; None when it refuses with a CodeSyncError (which must change nothing)."""
        self.operation = what
        call = f"doc.{method}({', '.join(map(repr, args))})"
        self.edits.append(call)
        before = self.doc.source
        try:
            return getattr(self.doc, method)(*args) or True
        except CodeSyncError as exc:
            self.edits[-1] = f"{call}  # refused: {type(exc).__name__}"
            if self.doc.source != before:
                raise Broken("(e) a refused edit changed the text", _diff(before, self.doc.source)) from None
            return None

    def pick(self, candidates: list[Any]) -> Any:
        return self.rng.choice(candidates) if candidates else None

    def insert(self) -> None:
        all_places = places(self.doc)
        kind = self.rng.choice([k.value for k in CardKind])
        fields = {n: self.value(n, kind) for n in FIELD_NAMES.get(CardKind(kind), ()) if self.rng.random() < 0.9}
        before, layout = self.doc.source, self.layout()
        if kind in HEADS:  # a branch or a clause: into an if or a try, which the engine writes again
            owner = self.pick([p for p in all_places if any(c.kind == kind for c in p.card.children)])
            if owner is None:
                return
            parent, cards, suite = owner.card, owner.card.children, False
            index = self.rng.choice([None, *range(len(cards) + 1)])
            allowed = own_range(self.doc, owner, layout)
        else:
            parent = self.rng.choice(self.containers(all_places))
            cards = children_of(self.doc, parent)
            index = self.rng.choice([None, *range(len(cards) + 1)])
            allowed = insert_range(self.doc, layout, parent, cards, index)
            suite = is_suite(layout, parent, cards)
        new = self.edit(f"insert_card({kind})", "insert_card", kind, fields, parent and parent.id, index)
        if not new:
            return
        self.check(before, allowed)
        if self.rng.random() < 0.5:
            # an insert makes one card (with its children), or more when the code holds several statements
            restorable = not suite and len(places(self.doc)) - len(all_places) <= sum(1 for _ in new.walk())
            self.delete_place(self.find(new.id))
            if restorable and self.doc.source != before:
                raise Broken("(d) deleting the card just inserted did not restore the text",
                             _diff(before, self.doc.source))

    def containers(self, all_places: list[Place]) -> list[Card | None]:
        """The bodies cards go into: the function's, and every card's whose children are not heads."""
        return [None, *(p.card for p in all_places if p.card.children
                        and not any(c.kind in HEADS for c in p.card.children))]

    def move(self) -> None:
        all_places = places(self.doc)
        place = self.pick([p for p in all_places if p.card.kind not in HEADS])
        if place is None:
            return
        card, inside = place.card, {c.id for c in place.card.walk()}
        parent = self.rng.choice([c for c in self.containers(all_places) if c is None or c.id not in inside])
        home = place.parent and place.parent.id
        before, layout = self.doc.source, self.layout()
        origin = children_of(self.doc, place.parent)
        targets = tuple(c for c in children_of(self.doc, parent) if c.id != card.id)
        index = self.rng.choice([None, *range(len(targets) + 1)])
        allowed = self.move_range(place, layout, parent, targets, index)
        restorable = not (shares_lines(card, origin) or is_suite(layout, place.parent, origin)
                          or is_suite(layout, parent, children_of(self.doc, parent)))
        if not self.edit(f"move_card({card.kind.value})", "move_card", card.id, parent and parent.id, index):
            return
        self.check(before, allowed)
        if self.rng.random() < 0.5:
            now, layout = self.doc.source, self.layout()
            parent = home and self.find(home).card
            targets = tuple(c for c in children_of(self.doc, parent) if c.id != card.id)
            allowed = self.move_range(self.find(card.id), layout, parent, targets, place.index)
            if not self.edit(f"move_card({card.kind.value}) back", "move_card", card.id, home, place.index):
                raise Broken("(d) moving the card back was refused", self.edits[-1])
            self.check(now, allowed)
            if restorable and self.doc.source != before:
                raise Broken("(d) moving the card back did not restore the text", _diff(before, self.doc.source))

    def move_range(self, place: Place, layout: Layout, parent: Card | None, targets: tuple[Card, ...],
                   index: int | None) -> tuple[int, int]:
        """Where a move may change the text: from the card's unit to the place it goes to."""
        allowed = own_range(self.doc, place, layout)
        return hull(allowed, insert_range(self.doc, layout, parent, targets, index)) if targets else allowed

    def delete(self) -> None:
        self.delete_place(self.pick(places(self.doc)))

    def delete_place(self, place: Place) -> None:
        before, layout = self.doc.source, self.layout()
        allowed = own_range(self.doc, place, layout)
        if self.edit(f"delete_card({place.card.kind.value})", "delete_card", place.card.id):
            self.check(before, allowed)

    def find(self, card_id: str) -> Place:
        return next(p for p in places(self.doc) if p.card.id == card_id)

    def layout(self) -> Layout:
        text = self.doc.source
        if self.tree[0] != text:
            self.tree = text, ast.parse(text)
        return Layout(text, self.doc.function, self.tree[1])

    # ----- invariants ----------------------------------------------------------------------------

    def check(self, before: str, allowed: tuple[int, int]) -> None:
        after = self.doc.source
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.tree = after, ast.parse(after)
                compile(self.tree[1], "<edited>", "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise Broken("(a) the source does not compile",
                         f"{exc.msg} at line {exc.lineno}\n{_diff(before, after)}") from None
        if not kept_outside(before, after, *allowed):
            raise Broken("(b) lines outside the edited card changed",
                         f"allowed to change lines {allowed[0] + 1}-{allowed[1]} only\n{_diff(before, after)}")
        fresh = FunctionDocument.from_source(after, self.doc.function, self.doc.class_name)
        mine, theirs = shape(self.doc.cards), shape(fresh.cards)
        if mine != theirs:
            raise Broken("(c) the cards differ from a fresh parse", _first_difference(mine, theirs))


def kept_outside(before: str, after: str, first: int, end: int) -> bool:
    """Whether every line of ``before`` outside [first, end) (0-based) is in ``after`` unchanged,
    lines inserted or removed in that range aside. The last line has no line break in a module
    without a final newline; it may gain or lose one only when the edit reaches the end."""
    old, new = lines_of(_terminated(before)), _terminated(after)
    if end < len(old) and (_terminated(before) == before) != (new == after):
        return False
    head, tail = "".join(old[:first]), "".join(old[end:])
    return new.startswith(head) and new.endswith(tail) and len(head) + len(tail) <= len(new)


def _terminated(text: str) -> str:
    return text if text.endswith(("\n", "\r")) else text + "\n"


def _diff(before: str, after: str, limit: int = 40) -> str:
    diff = list(difflib.unified_diff(lines_of(before), lines_of(after), "before", "after", n=1))
    text = "".join(line if line.endswith(("\n", "\r")) else line + "\\ no newline\n" for line in diff[:limit])
    return text + ("...\n" if len(diff) > limit else "")


def _first_difference(mine: list, theirs: list) -> str:
    flat = lambda cards: [c for card in cards for c in [card[:4], *flat(card[4])]]
    a, b = flat(mine), flat(theirs)
    for x, y in zip(a, b):
        if x != y:
            return f"document: {x}\nfresh:    {y}"
    return f"document has {len(a)} cards, a fresh parse {len(b)}"


def fuzz(functions: list[Function], steps: int, seed: int = 0) -> tuple[int, list[Failure]]:
    """Run every function; return the edits made and the failures (at most one per function)."""
    done, failures = 0, []
    for function in functions:
        run = Run(function, seed)
        failure = run.run(steps)
        done += run.steps
        if failure:
            failures.append(failure)
    return done, failures


def fuzz_in_parallel(functions: list[Function], steps: int, seed: int = 0) -> tuple[int, list[Failure]]:
    chunks = [functions[i:i + 20] for i in range(0, len(functions), 20)]
    with ProcessPoolExecutor(max(1, min(os.cpu_count() or 1, 4))) as pool:
        results = list(pool.map(fuzz, chunks, [steps] * len(chunks), [seed] * len(chunks)))
    return sum(r[0] for r in results), [f for r in results for f in r[1]]


def _size(functions: int, steps: int) -> tuple[int, int, int]:
    env = os.environ.get
    return (int(env("JITSTUDIO_EDIT_FUZZ_FUNCTIONS", functions)), int(env("JITSTUDIO_EDIT_FUZZ_STEPS", steps)),
            int(env("JITSTUDIO_EDIT_FUZZ_SEED", 0)))


def summary(failures: list[Failure], shown: int = 8) -> str:
    groups: dict[str, list[Failure]] = {}
    for failure in failures:
        groups.setdefault(failure.signature, []).append(failure)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), len(g[0].function.source)))
    head = [f"{len(failures)} functions broke an invariant, {len(groups)} distinct kinds:"]
    head += [f"  {len(g):4}  {g[0].signature}" for g in ordered]
    examples = [str(min(g, key=lambda f: (len(f.edits), len(f.function.source)))) for g in ordered[:shown]]
    return "\n\n".join(["\n".join(head), *examples])


def test_random_edits_keep_text_and_cards_consistent():
    functions, steps, seed = _size(150, 8)
    done, failures = fuzz_in_parallel(pick_functions(functions, seed), steps, seed)
    if failures:
        pytest.fail(summary(failures), pytrace=False)
    assert done > 0


@pytest.mark.slow  # about three minutes on two cores; allowed far more while CI runs a second suite alongside
@pytest.mark.timeout(1200)
def test_many_random_edits_keep_text_and_cards_consistent():
    functions, steps, seed = _size(3000, 14)
    started = time.perf_counter()
    picked = pick_functions(functions, seed)
    done, failures = fuzz_in_parallel(picked, steps, seed)
    print(f"\nedit fuzz: {len(picked)} functions, {done} edits, {time.perf_counter() - started:.0f} s")
    if failures:
        pytest.fail(summary(failures), pytrace=False)
    assert done >= len(picked) * steps // 2
