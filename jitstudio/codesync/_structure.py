"""Structural edits: inserting, deleting and moving cards, adding and removing if branches."""
from __future__ import annotations

from typing import Any, Mapping

import libcst as cst

from ._engine import Engine, without_semicolon
from ._flow_fields import apply_flow
from ._errors import FieldValueError, InvalidEditError
from ._model import CONTAINER_KINDS, CardKind
from ._templates import statement_text
from ._verbatim import is_verbatim
from ._tree import Hints, Slot, materialize, materialize_body, units_of

LOOPS = (CardKind.FOR_EACH, CardKind.WHILE)


def _check_index(index: Any, size: int) -> int | None:
    if index is None:
        return None
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= size:
        raise InvalidEditError(f"position must be between 0 and {size}, got {index!r}")
    return index


def _check_container(parent: Slot) -> None:
    if parent.kind is CardKind.IF:
        raise InvalidEditError("insert into one of the if card's branches, not the if card itself")
    if parent.kind is CardKind.TRY:
        raise InvalidEditError("insert into one of the try card's clauses, not the try card itself")
    if parent.kind is not None and parent.kind.value not in CONTAINER_KINDS:
        raise InvalidEditError(f"a {parent.kind.value} card has no body to insert into")


def _check_loop(slot_or_kind: Slot | CardKind, parent: Slot) -> None:
    """``break`` and ``continue`` only go where a loop of this function encloses them."""
    if isinstance(slot_or_kind, CardKind):
        needs_loop = slot_or_kind in (CardKind.BREAK, CardKind.CONTINUE)
    else:
        needs_loop = any(s.kind in (CardKind.BREAK, CardKind.CONTINUE) and not _loop_around(s, slot_or_kind)
                         for s in slot_or_kind.walk())
    if needs_loop and not _loop_around(parent, None, including=True):
        raise InvalidEditError("break and continue only work inside a loop (a for each or while card)")


def _loop_around(slot: Slot, top: Slot | None, including: bool = False) -> bool:
    """Whether a loop encloses ``slot`` (itself too when ``including``), looking no higher than ``top``."""
    if slot is top and not including:
        return False
    current = slot if including else slot.parent
    while current is not None:
        if current.kind in LOOPS:
            return True
        if current is top:
            return False
        current = current.parent
    return False


def _placeholder_line(engine: Engine, hints: Hints) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(body=[engine.placeholder(hints)])


def _small_statements(nodes: list[cst.BaseStatement]) -> list[cst.BaseSmallStatement] | None:
    """The statements of ``nodes`` if each is one plain simple statement that can share a line."""
    smalls = []
    for node in nodes:
        if not (isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1 and not node.leading_lines
                and node.trailing_whitespace.comment is None):
            return None
        smalls.append(node.body[0])
    return smalls


def insert_nodes(engine: Engine, parent: Slot, index: int | None, nodes: list[cst.BaseStatement],
                 hints: Hints) -> None:
    children = parent.children
    at = len(children) if index is None else index
    if parent.body_indent is None:
        kept = [] if engine.holds_place(children) else children
        _insert_in_suite(engine, parent, kept, min(at, len(kept)), nodes, hints)
        return
    if engine.holds_place(children):
        engine.replace_units(parent, 0, 1, nodes, hints)
        return
    groups = units_of(children)
    if at >= len(children):
        engine.replace_units(parent, len(groups), len(groups), nodes, hints)
        return
    unit = next(i for i, group in enumerate(groups) if any(s is children[at] for s in group))
    group = groups[unit]
    if group[0] is not children[at]:
        _insert_in_line(engine, group, group.index(children[at]), nodes, hints)
        return
    engine.replace_units(parent, unit, unit, nodes, hints)


def _insert_in_suite(engine: Engine, parent: Slot, kept: list[Slot], at: int, nodes: list[cst.BaseStatement],
                     hints: Hints) -> None:
    """Into a one-line suite (``if x: a()``): simple statements join the line, so deleting them again
    gives the line back; anything else turns the suite into an indented block."""
    smalls = _small_statements(nodes)
    existing = [child.node for child in kept]
    for child in kept:
        hints[(id(child.node), False)] = child.id
    if smalls is not None:
        body = existing[:at] + smalls + existing[at:]
        body[-1] = _rekeyed(hints, body[-1], without_semicolon(body[-1]))
        engine.rerender_with(parent, parent.node.body.with_changes(body=body), hints)
        return
    lines = []
    for child in kept:
        small = without_semicolon(child.node)
        hints[(id(small), False)] = child.id
        lines.append(cst.SimpleStatementLine(body=[small]))
    lines[at:at] = nodes
    indent = None if engine.block_indent == engine.renderer.indent else engine.block_indent
    block = cst.IndentedBlock(header=parent.node.body.trailing_whitespace, body=lines, indent=indent)
    engine.rerender_with(parent, block, hints)


def _insert_in_line(engine: Engine, group: list[Slot], at: int, nodes: list[cst.BaseStatement],
                    hints: Hints) -> None:
    """Between statements sharing a line (``a = 1; b = 2``): only simple statements fit there."""
    smalls = _small_statements(nodes)
    if smalls is None:
        raise InvalidEditError("this position is inside a line of several statements; "
                               "only a simple statement can go there, insert blocks before or after the line")
    line = group[0].line
    for slot in group:
        hints[(id(slot.node), False)] = slot.id
    body = [s.node for s in group]
    body[at:at] = [_rekeyed(hints, s, without_semicolon(s)) for s in smalls]
    engine.rerender(group[0], line.with_changes(body=body), hints)


def _rekeyed(hints: Hints, old: cst.CSTNode, new: cst.CSTNode) -> cst.CSTNode:
    """``new`` replaces ``old``: the card id meant for ``old`` goes to it."""
    if new is not old and (id(old), False) in hints:
        hints[(id(new), False)] = hints.pop((id(old), False))
    return new


def insert_card(engine: Engine, kind: CardKind, fields: Mapping[str, Any], parent: Slot,
                index: int | None) -> str:
    if kind is CardKind.BRANCH:
        return insert_branch(engine, parent, index, fields)
    if kind is CardKind.CLAUSE:
        return insert_clause(engine, parent, index, fields)
    _check_container(parent)
    _check_loop(kind, parent)
    index = _check_index(index, len(parent.children))
    text = statement_text(kind, fields, engine.exprs, engine.block_indent, engine.renderer.newline,
                          "".join(parent.body_indent or ()))
    statement = engine.parse_statement(text, kind.value)
    card_node = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else statement
    new_id = engine.allocate()
    insert_nodes(engine, parent, index, [statement], {(id(card_node), False): new_id})
    if kind is not CardKind.CODE:
        engine.mark_placeholders(engine.get(new_id))
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
    hints: Hints = {}
    if condition is None:
        if has_else:
            raise InvalidEditError("this if already has an else branch")
        if index not in (None, len(branches)):
            raise InvalidEditError("the else branch can only be the last branch")
        position = len(branches)
        header: cst.CSTNode = cst.Else(body=cst.IndentedBlock(body=[_placeholder_line(engine, hints)]))
    else:
        limit = len(branches) - has_else
        position = limit if index is None else index
        if not isinstance(position, int) or not 1 <= position <= limit:
            raise InvalidEditError(f"an elif goes at a position between 1 and {limit}")
        test = engine.exprs.parse("condition", condition)
        header = cst.If(test=test, body=cst.IndentedBlock(body=[_placeholder_line(engine, hints)]))
    entries = [(b.node, materialize_body(b, hints), b) for b in branches]
    entries.insert(position, (header, header.body, None))
    if_id = if_slot.id
    engine.rerender(if_slot, materialize(if_slot, hints, {id(if_slot): entries}), hints)
    return engine.get(if_id).children[position].id


def insert_clause(engine: Engine, try_slot: Slot, index: int | None, fields: Mapping[str, Any]) -> str:
    """Add an except (``{"exception": ..., "name": ...}``, or none for a bare except), an else
    (``{"keyword": "else"}``) or a finally (``{"keyword": "finally"}``) to a try card, where it belongs."""
    if try_slot.kind is not CardKind.TRY:
        raise InvalidEditError("clauses are inserted into a try card")
    if not isinstance(fields, Mapping) or set(fields) - {"keyword", "exception", "name"}:
        raise FieldValueError("a clause has only the fields keyword, exception and name")
    keyword = fields.get("keyword") or "except"
    clauses = try_slot.children
    have = [c.fields["keyword"] for c in clauses]
    hints: Hints = {}
    body = cst.IndentedBlock(body=[_placeholder_line(engine, hints)])
    if keyword == "except":
        if "else" in have or "finally" in have:
            last_except = max(i for i, k in enumerate(have) if k in ("try", "except"))
        else:
            last_except = len(have) - 1
        position = last_except + 1 if index is None else index
        if not isinstance(position, int) or not 1 <= position <= last_except + 1:
            raise InvalidEditError(f"an except clause goes at a position between 1 and {last_except + 1}")
        if have[position - 1] == "except" and clauses[position - 1].fields["exception"] is None:
            raise InvalidEditError("a bare except must be the last except clause")
        if fields.get("exception") is None and position <= last_except and have[position] == "except":
            raise InvalidEditError("an except for any error goes after the other except clauses")
        part: cst.CSTNode = cst.ExceptHandler(body=body, whitespace_after_except=cst.SimpleWhitespace(""))
        if fields.get("exception") is not None:
            part = _except_with(engine, part, fields)
        elif fields.get("name") is not None:
            raise FieldValueError("name: set the exception first")
    elif keyword in ("else", "finally"):
        if keyword in have:
            raise InvalidEditError(f"this try already has a{'n' if keyword == 'else' else ''} {keyword} clause")
        if keyword == "else" and "except" not in have:
            raise InvalidEditError("an else clause needs an except clause before it")
        if fields.get("exception") is not None or fields.get("name") is not None:
            raise FieldValueError(f"an {keyword} clause has no exception or name")
        position = len(have) - ("finally" in have) if keyword == "else" else len(have)
        part = cst.Else(body=body) if keyword == "else" else cst.Finally(body=body)
    else:
        raise FieldValueError("keyword: a new clause is an except, an else or a finally")
    entries = [(c.node, materialize_body(c, hints), c) for c in clauses]
    entries.insert(position, (part, body, None))
    try_id = try_slot.id
    engine.rerender(try_slot, materialize(try_slot, hints, {id(try_slot): entries}), hints)
    return engine.get(try_id).children[position].id


def _except_with(engine: Engine, handler: cst.ExceptHandler, fields: Mapping[str, Any]) -> cst.ExceptHandler:
    handler = apply_flow(CardKind.CLAUSE, handler, "exception", fields["exception"], engine.exprs, "")
    if fields.get("name") is not None:
        handler = apply_flow(CardKind.CLAUSE, handler, "name", fields["name"], engine.exprs, "")
    return handler


def delete_clause(engine: Engine, clause: Slot) -> None:
    try_slot = clause.parent
    assert try_slot is not None
    keyword = clause.fields["keyword"]
    if keyword == "try":
        raise InvalidEditError("the try clause cannot be deleted; delete the try card instead")
    rest = [c.fields["keyword"] for c in try_slot.children if c is not clause]
    if "except" not in rest and "finally" not in rest:
        raise InvalidEditError("a try needs an except or a finally clause; delete the try card instead")
    if "else" in rest and "except" not in rest:
        raise InvalidEditError("the else clause needs an except clause; delete the else first")
    hints: Hints = {}
    entries = [(c.node, materialize_body(c, hints), c) for c in try_slot.children if c is not clause]
    engine.rerender(try_slot, materialize(try_slot, hints, {id(try_slot): entries}), hints)


def delete(engine: Engine, slot: Slot) -> None:
    hints: Hints = {}
    if slot.kind is CardKind.CLAUSE:
        delete_clause(engine, slot)
        return
    if slot.kind is CardKind.BRANCH:
        if_slot = slot.parent
        assert if_slot is not None
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
        engine.rerender_with(container, container.node.body.with_changes(
            body=smalls or [engine.placeholder(hints)]), hints)
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
    if slot.kind is CardKind.CLAUSE:
        raise InvalidEditError("clauses of a try cannot be moved; delete one and add another instead")
    _check_container(parent)
    _check_loop(slot, parent)
    if slot.is_ancestor_of(parent):
        raise InvalidEditError("a card cannot be moved into itself")
    _check_index(index, len(parent.children) - (slot.parent is parent))
    if is_verbatim(slot.node) and parent.body_indent != slot.parent.body_indent and (
            "\n" in slot.node.value.value or "\r" in slot.node.value.value):
        raise InvalidEditError("this statement spans lines in a form the editor cannot re-indent; "
                               "move it in the code")
    engine.placeholders.discard(slot.id)  # a pass the user moved is theirs now
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
    target = engine.root if parent_id is None else engine.get(parent_id)
    index = _check_index(index, len(target.children))
    insert_nodes(engine, target, index, [unit], hints)
