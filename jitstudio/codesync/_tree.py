"""The document's working tree: one slot per card, holding its node and where its text lies."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import libcst as cst

from ._classify import (NO_RENDER, branch_fields, classify_compound, classify_small, clause_fields, fields_of,
                        is_block, is_container)
from ._model import BLOCK_KINDS, CONTAINER_KINDS, CardKind
from ._render import count_breaks, skip_lines

# Hints carry card ids across a rebuild: (id(node), is_branch) -> card id.
Hints = dict[tuple[int, bool], str]
# Overrides replace, while materializing, a container slot's body (by id(slot)) or, for an if
# card, its whole list of (branch header, body, branch slot or None) entries.
Overrides = dict[int, Any]


class Slot:
    """A card while the document is live. Offsets are character positions in the document text:
    ``start``/``end`` bound the whole line unit (leading comment lines included), ``stmt_start``
    is where the statement itself begins. Cards sharing a ``line`` (``a = 1; b = 2``) share offsets."""

    __slots__ = ("id", "kind", "node", "line", "parent", "children", "_fields", "render",
                 "start", "end", "stmt_start", "in_suite", "body_indent", "own_lines", "edited")

    def __init__(self, id: str, kind: CardKind | None, node: cst.CSTNode, line: cst.CSTNode | None,
                 parent: "Slot | None", fields: dict[str, Any] | None, start: int, end: int, stmt_start: int,
                 render: Callable | None = None) -> None:
        self.id = id
        self.kind = kind
        self.node = node
        self.line = line
        self.parent = parent
        self.children: list[Slot] = []
        self._fields = fields
        self.render = render
        self.start = start
        self.end = end
        self.stmt_start = stmt_start
        self.in_suite = False
        self.body_indent: list[str] | None = None
        # Of a statement sharing its line unit with others (``a = 1; b = 2`` over several lines):
        # its first and last line, counted from the unit's first statement line.
        self.own_lines: tuple[int, int] | None = None
        # The engine version of the last change of text inside this slot (0: none since it was built).
        self.edited = 0

    @property
    def fields(self) -> dict[str, Any]:
        """Rendered on first use: most cards of a large module are never looked at."""
        if self._fields is None:
            self._fields = fields_of(self.kind, self.node, self.line is self.node, self.render)
        return self._fields

    @fields.setter
    def fields(self, value: dict[str, Any]) -> None:
        self._fields = value

    def walk(self) -> Iterator["Slot"]:
        stack = [self]
        while stack:
            slot = stack.pop()
            yield slot
            stack.extend(reversed(slot.children))

    def is_ancestor_of(self, other: "Slot") -> bool:
        while other is not None:
            if other is self:
                return True
            other = other.parent
        return False


def try_parts(node: cst.Try) -> list[cst.CSTNode]:
    """The clauses of a try in source order: the try itself (its body), each except, else, finally."""
    parts: list[cst.CSTNode] = [node, *node.handlers]
    if node.orelse is not None:
        parts.append(node.orelse)
    if node.finalbody is not None:
        parts.append(node.finalbody)
    return parts


def branch_nodes(node: cst.If) -> list[cst.If | cst.Else]:
    chain: list[cst.If | cst.Else] = [node]
    while isinstance(chain[-1], cst.If) and chain[-1].orelse is not None:
        chain.append(chain[-1].orelse)
    return chain


def collect_interest(unit: cst.CSTNode, out: set[int]) -> None:
    """Ids of every node whose position the tree needs, inside one line unit."""
    out.add(id(unit))
    if isinstance(unit, cst.SimpleStatementLine) and len(unit.body) > 1:
        out.update(id(small) for small in unit.body)
    elif isinstance(unit, cst.If):
        for branch in branch_nodes(unit):
            out.add(id(branch))
            collect_body_interest(branch.body, out)
    elif isinstance(unit, cst.Try):
        for part in try_parts(unit):
            out.add(id(part))
            collect_body_interest(part.body, out)
    elif is_block(unit):
        collect_body_interest(unit.body, out)


def collect_body_interest(body: cst.BaseSuite, out: set[int]) -> None:
    if isinstance(body, cst.IndentedBlock):
        for statement in body.body:
            collect_interest(statement, out)
    else:
        out.add(id(body))


class Builder:
    """Builds slots for freshly rendered nodes whose spans (relative to ``base``) were recorded."""

    def __init__(self, text: str, base: int, spans: dict[int, tuple[int, int]], render: Callable,
                 allocate: Callable[[], str], hints: Hints) -> None:
        self.text = text
        self.base = base
        self.spans = spans
        self.render = render
        self.allocate = allocate
        self.hints = hints

    def _id(self, node: cst.CSTNode, branch: bool = False) -> str:
        return self.hints.pop((id(node), branch), None) or self.allocate()

    def _span(self, node: cst.CSTNode, leading: int) -> tuple[int, int, int]:
        start, end = self.spans[id(node)]
        start += self.base
        return start, end + self.base, skip_lines(self.text, start, leading)

    def _own_lines(self, stmt: int, small: cst.CSTNode) -> tuple[int, int]:
        first, end = self.spans[id(small)]
        first, end = first + self.base, end + self.base
        return count_breaks(self.text, stmt, first), count_breaks(self.text, stmt, max(first, end - 1))

    def root(self, funcdef: cst.FunctionDef, indent: list[str]) -> Slot:
        start, end, stmt = self._span(funcdef, len(funcdef.leading_lines))
        root = Slot(self._id(funcdef), None, funcdef, funcdef, None, {}, start, end, stmt)
        self.body(root, funcdef.body, indent)
        return root

    def body(self, container: Slot, body: cst.BaseSuite, indent: list[str]) -> None:
        if isinstance(body, cst.IndentedBlock):
            container.body_indent = [*indent, body.indent if body.indent is not None else self.render.indent]
            for statement in body.body:
                container.children.extend(self.unit(statement, container, container.body_indent))
            return
        start, end = self.spans[id(body)]
        start += self.base
        for small in body.body:
            kind = classify_small(small, NO_RENDER)[0]
            slot = Slot(self._id(small), kind, small, None, container, None, start, end + self.base, start,
                        self.render)
            slot.in_suite = True
            container.children.append(slot)

    def unit(self, node: cst.BaseStatement, parent: Slot, indent: list[str]) -> list[Slot]:
        start, end, stmt = self._span(node, len(node.leading_lines))
        if isinstance(node, cst.SimpleStatementLine):
            slots = []
            for small in node.body:
                kind = classify_small(small, NO_RENDER)[0]
                slot = Slot(self._id(small), kind, small, node, parent, None, start, end, stmt, self.render)
                if len(node.body) > 1 and id(small) in self.spans:
                    slot.own_lines = self._own_lines(stmt, small)
                slots.append(slot)
            return slots
        kind = classify_compound(node, NO_RENDER)[0]
        slot = Slot(self._id(node), kind, node, node, parent, None, start, end, stmt, self.render)
        if kind.value in BLOCK_KINDS:
            self.body(slot, node.body, indent)
        elif kind is CardKind.IF or kind is CardKind.TRY:
            parts = branch_nodes(node) if kind is CardKind.IF else try_parts(node)
            for index, part in enumerate(parts):
                if index == 0:
                    p_start, p_end, p_stmt = start, end, stmt
                else:
                    p_start, p_end, p_stmt = self._span(part, len(part.leading_lines))
                fields = (branch_fields(part, index == 0, self.render) if kind is CardKind.IF
                          else clause_fields(part, self.render))
                child = Slot(self._id(part, True), CardKind.BRANCH if kind is CardKind.IF else CardKind.CLAUSE,
                             part, None, slot, fields, p_start, p_end, p_stmt)
                self.body(child, part.body, indent)
                slot.children.append(child)
        return [slot]


# ----- turning slots back into nodes -------------------------------------------------------------

def units_of(children: list[Slot]) -> list[list[Slot]]:
    """Group a container's cards by the line unit they live in."""
    groups: list[list[Slot]] = []
    for child in children:
        if groups and child.line is not None and groups[-1][0].line is child.line:
            groups[-1].append(child)
        else:
            groups.append([child])
    return groups


def materialize(slot: Slot, hints: Hints, overrides: Overrides | None = None) -> cst.CSTNode:
    """The current node of a card, its bodies rebuilt from its children (slot nodes of containers
    only hold their headers up to date). ``overrides`` replaces chosen slots' bodies or branches."""
    overrides = overrides or {}
    if slot.kind is CardKind.IF:
        if id(slot) in overrides:
            entries = overrides[id(slot)]
            node = chain([(h, b) for h, b, _ in entries], hints, [s for _, _, s in entries])
        else:
            node = chain([(b.node, materialize_body(b, hints, overrides)) for b in slot.children],
                         hints, slot.children)
    elif slot.kind is CardKind.TRY:
        entries = overrides.get(id(slot)) or [(c.node, materialize_body(c, hints, overrides), c) for c in slot.children]
        node = assemble_try(entries, hints)
    elif slot.kind is None or slot.kind.value in BLOCK_KINDS:
        node = slot.node.with_changes(body=materialize_body(slot, hints, overrides))
    else:
        node = slot.node
    hints[(id(node), False)] = slot.id
    return node


def chain(branches: list[tuple[cst.CSTNode, cst.BaseSuite]], hints: Hints,
          slots: list[Slot | None] | None = None) -> cst.If:
    result: cst.CSTNode | None = None
    for index in range(len(branches) - 1, -1, -1):
        header, body = branches[index]
        if isinstance(header, cst.If):
            node = header.with_changes(body=body, orelse=result)
        else:
            node = header.with_changes(body=body)
        slot = slots[index] if slots is not None and index < len(slots) else None
        if slot is not None:
            hints[(id(node), True)] = slot.id
        result = node
    assert isinstance(result, cst.If)
    return result


def assemble_try(entries: list[tuple[cst.CSTNode, cst.BaseSuite, Slot | None]], hints: Hints) -> cst.Try:
    """A try statement from its clauses: (clause node, its body, its clause slot or None)."""
    handlers, orelse, finalbody = [], None, None
    for part, body, slot in entries[1:]:
        new = part.with_changes(body=body)
        if slot is not None:
            hints[(id(new), True)] = slot.id
        if isinstance(new, cst.ExceptHandler):
            handlers.append(new)
        elif isinstance(new, cst.Else):
            orelse = new
        else:
            finalbody = new
    header, body, slot = entries[0]
    node = header.with_changes(body=body, handlers=handlers, orelse=orelse, finalbody=finalbody)
    if slot is not None:
        hints[(id(node), True)] = slot.id
    return node


def materialize_body(container: Slot, hints: Hints, overrides: Overrides | None = None) -> cst.BaseSuite:
    if overrides and id(container) in overrides:
        return overrides[id(container)]
    body = container.node.body
    if not isinstance(body, cst.IndentedBlock):
        return body.with_changes(body=[c.node for c in container.children])
    return body.with_changes(body=[unit_node(group, hints, overrides) for group in units_of(container.children)])


def unit_node(group: list[Slot], hints: Hints, overrides: Overrides | None = None) -> cst.BaseStatement:
    first = group[0]
    if first.line is first.node:
        return materialize(first, hints, overrides)
    for slot in group:
        hints[(id(slot.node), False)] = slot.id
    nodes = [s.node for s in group]
    if len(first.line.body) == len(nodes) and all(a is b for a, b in zip(first.line.body, nodes)):
        return first.line
    return first.line.with_changes(body=nodes)


def is_container_slot(slot: Slot) -> bool:
    return slot.kind is None or slot.kind.value in CONTAINER_KINDS


__all__ = ["Slot", "Builder", "collect_interest", "collect_body_interest", "materialize", "chain",
           "materialize_body", "unit_node", "units_of", "branch_nodes", "is_container", "Hints"]
