"""Structural edits: inserting, deleting and moving cards, adding and removing if branches."""
from __future__ import annotations

from typing import Any, Mapping

import libcst as cst

from ._engine import Engine, is_bare_pass, without_semicolon
from ._errors import FieldValueError, InvalidEditError
from ._model import CardKind
from ._templates import pass_line, statement_text
from ._tree import Hints, Slot, materialize, materialize_body, units_of

CONTAINERS = (None, CardKind.BRANCH, CardKind.FOR_EACH)


def _check_index(index: Any, size: int) -> int | None:
    if index is None:
        return None
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= size:
        raise InvalidEditError(f"position must be between 0 and {size}, got {index!r}")
    return index


def _check_container(parent: Slot) -> None:
    if parent.kind is CardKind.IF:
        raise InvalidEditError("insert into one of the if card's branches, not the if card itself")
    if parent.kind not in CONTAINERS:
        raise InvalidEditError(f"a {parent.kind.value} card has no body to insert into")


def insert_nodes(engine: Engine, parent: Slot, index: int | None, nodes: list[cst.BaseStatement],
                 hints: Hints) -> None:
    children = parent.children
    if parent.body_indent is None:  # a one-line suite becomes an indented block
        lines = []
        for child in children:
            small = without_semicolon(child.node)
            hints[(id(small), False)] = child.id
            lines.append(cst.SimpleStatementLine(body=[small]))
        at = len(lines) if index is None else index
        lines[at:at] = nodes
        block = cst.IndentedBlock(header=parent.node.body.trailing_whitespace, body=lines)
        engine.rerender_with(parent, block, hints)
        return
    if len(children) == 1 and is_bare_pass(children[0]):
        engine.replace_units(parent, 0, 1, nodes, hints)
        return
    groups = units_of(children)
    if index is None or index >= len(children):
        at = len(groups)
    else:
        at = next(i for i, group in enumerate(groups) if any(s is children[index] for s in group))
    engine.replace_units(parent, at, at, nodes, hints)


def insert_card(engine: Engine, kind: CardKind, fields: Mapping[str, Any], parent: Slot,
                index: int | None) -> str:
    if kind is CardKind.BRANCH:
        return insert_branch(engine, parent, index, fields)
    _check_container(parent)
    index = _check_index(index, len(parent.children))
    text = statement_text(kind, fields, engine.exprs, engine.renderer.indent, engine.renderer.newline)
    statement = engine.parse_statement(text, kind.value)
    card_node = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else statement
    new_id = engine.allocate()
    insert_nodes(engine, parent, index, [statement], {(id(card_node), False): new_id})
    return new_id


def insert_branch(engine: Engine, if_slot: Slot, index: int | None, fields: Mapping[str, Any]) -> str:
    if if_slot.kind is not CardKind.IF:
        raise InvalidEditError("branches are inserted into an if card")
    if not isinstance(fields, Mapping) or set(fields) - {"condition", "keyword"}:
        raise FieldValueError("a branch has only the fields keyword and condition")
    condition = fields.get("condition")
    if fields.get("keyword", "else" if condition is None else "elif") != ("else" if condition is None else "elif"):
        raise FieldValueError("a new branch is an elif (with a condition) or an else (without one)")
    branches = if_slot.children
    has_else = branches[-1].fields["keyword"] == "else"
    if condition is None:
        if has_else:
            raise InvalidEditError("this if already has an else branch")
        if index not in (None, len(branches)):
            raise InvalidEditError("the else branch can only be the last branch")
        position = len(branches)
        header: cst.CSTNode = cst.Else(body=cst.IndentedBlock(body=[pass_line()]))
    else:
        limit = len(branches) - has_else
        position = limit if index is None else index
        if not isinstance(position, int) or not 1 <= position <= limit:
            raise InvalidEditError(f"an elif goes at a position between 1 and {limit}")
        test = engine.exprs.parse("condition", condition)
        header = cst.If(test=test, body=cst.IndentedBlock(body=[pass_line()]))
    hints: Hints = {}
    entries = [(b.node, materialize_body(b, hints), b) for b in branches]
    entries.insert(position, (header, header.body, None))
    if_id = if_slot.id
    engine.rerender(if_slot, materialize(if_slot, hints, {id(if_slot): entries}), hints)
    return engine.find(if_id).children[position].id


def delete(engine: Engine, slot: Slot) -> None:
    hints: Hints = {}
    if slot.kind is CardKind.BRANCH:
        if_slot = slot.parent
        if slot is if_slot.children[0]:
            raise InvalidEditError("the first branch of an if cannot be deleted; delete the if card instead")
        entries = [(b.node, materialize_body(b, hints), b) for b in if_slot.children if b is not slot]
        engine.rerender(if_slot, materialize(if_slot, hints, {id(if_slot): entries}), hints)
        return
    if slot.in_suite:
        container = slot.parent
        kept = [c for c in container.children if c is not slot]
        smalls = []
        for position, child in enumerate(kept):
            node = child.node
            if position == len(kept) - 1 and container.children[-1] is slot:
                node = without_semicolon(node)
            hints[(id(node), False)] = child.id
            smalls.append(node)
        engine.rerender_with(container, container.node.body.with_changes(body=smalls or [cst.Pass()]), hints)
        return
    line = slot.line
    if line is not slot.node and len(line.body) > 1:
        body = [s for s in line.body if s is not slot.node]
        if line.body[-1] is slot.node:
            siblings = [c for c in slot.parent.children if c.line is line and c is not slot]
            body[-1] = without_semicolon(body[-1])
            hints[(id(body[-1]), False)] = siblings[-1].id
        engine.rerender(slot, line.with_changes(body=body), hints)
        return
    parent = slot.parent
    at = next(i for i, group in enumerate(units_of(parent.children)) if group[0] is slot)
    engine.replace_units(parent, at, at + 1, [], hints)


def move(engine: Engine, slot: Slot, parent: Slot, index: int | None) -> None:
    if slot.kind is CardKind.BRANCH:
        raise InvalidEditError("branches cannot be moved; change their conditions instead")
    _check_container(parent)
    if slot.is_ancestor_of(parent):
        raise InvalidEditError("a card cannot be moved into itself")
    _check_index(index, len(parent.children) - (slot.parent is parent))
    hints: Hints = {}
    node = materialize(slot, hints)
    if slot.line is slot.node:
        unit: cst.BaseStatement = node
    elif not slot.in_suite and len(slot.line.body) == 1:
        unit = slot.line
    else:
        small = without_semicolon(node)
        hints[(id(small), False)] = slot.id
        unit = cst.SimpleStatementLine(body=[small])
    parent_id = None if parent is engine.root else parent.id
    delete(engine, slot)
    target = engine.root if parent_id is None else engine.find(parent_id)
    index = _check_index(index, len(target.children))
    insert_nodes(engine, target, index, [unit], hints)
