"""Methods of a service class added, renamed and removed with libcst: every other line stays as written."""
from __future__ import annotations

from typing import Any, Sequence, cast

import libcst as cst

from ..errors import UserError


class SourceEditError(UserError, ValueError):
    """service.py cannot take the edit (it does not parse, has no class, or lacks the method)."""


def _module(text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        raise SourceEditError(f"service.py is not valid Python ({str(exc).splitlines()[0]}); fix it first") from None


def _class_index(module: cst.Module, class_name: str | None) -> int:
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, cst.ClassDef) and (class_name is None or stmt.name.value == class_name):
            return index
    raise SourceEditError(f"service.py has no class {class_name or ''}".rstrip() + "; fix it first")


def _methods(body: Sequence[cst.BaseStatement]) -> dict[str, int]:
    return {stmt.name.value: i for i, stmt in enumerate(body) if isinstance(stmt, cst.FunctionDef)}


def _is_pass(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in stmt.body)


def _with_class_body(module: cst.Module, index: int, body: list[Any]) -> str:
    cls = cast(cst.ClassDef, module.body[index])
    block = cls.body if isinstance(cls.body, cst.IndentedBlock) else cst.IndentedBlock(body=[])
    new_cls = cls.with_changes(body=block.with_changes(body=body))
    return module.with_changes(body=[*module.body[:index], new_cls, *module.body[index + 1:]]).code


def _body(statement: cst.CSTNode) -> list[Any]:
    """The statements of a class (a FunctionDef, a SimpleStatementLine…); empty for `class X: pass` on one line."""
    cls = cast(cst.ClassDef, statement)
    return list(cls.body.body) if isinstance(cls.body, cst.IndentedBlock) else []


def add_method(text: str, class_name: str | None, method_source: str, after: str | None = None) -> str:
    """`text` with the method (its source at column 0) inserted into the class after method `after` (or last),
    a blank line before it; a class holding only `pass` gets the method instead."""
    module = _module(text)
    index = _class_index(module, class_name)
    body = _body(module.body[index])
    method = cst.parse_statement(method_source, config=module.config_for_parsing)
    if not isinstance(method, cst.FunctionDef):
        raise SourceEditError("a method must be a def")
    if method.name.value in _methods(body):
        raise SourceEditError(f"service.py already has a method '{method.name.value}'")
    if all(_is_pass(stmt) for stmt in body):
        return _with_class_body(module, index, [method])
    position = _methods(body).get(after or "", len(body) - 1) + 1
    method = method.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    return _with_class_body(module, index, [*body[:position], method, *body[position:]])


class _SelfCalls(cst.CSTTransformer):
    """`self.old` becomes `self.new`."""

    def __init__(self, old: str, new: str):
        super().__init__()
        self.old, self.new = old, new

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        if isinstance(updated.value, cst.Name) and updated.value.value == "self" and updated.attr.value == self.old:
            return updated.with_changes(attr=cst.Name(self.new))
        return updated


def rename_method(text: str, class_name: str | None, old: str, new: str) -> str:
    """`text` with method `old` of the class renamed to `new`, and the class's `self.old` uses with it."""
    module = _module(text)
    index = _class_index(module, class_name)
    body = _body(module.body[index])
    methods = _methods(body)
    if old not in methods:
        raise SourceEditError(f"service.py has no method '{old}'")
    if new in methods:
        raise SourceEditError(f"service.py already has a method '{new}'")
    body[methods[old]] = body[methods[old]].with_changes(name=cst.Name(new))
    calls = _SelfCalls(old, new)
    body = [cast(cst.BaseStatement, stmt.visit(calls)) for stmt in body]
    return _with_class_body(module, index, body)


def _blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def _method_at(text: str, class_name: str | None, name: str) -> tuple[cst.Module, int, list, int]:
    """The module, its class's index, the class body and the position of method `name` in it."""
    module = _module(text)
    index = _class_index(module, class_name)
    body = _body(module.body[index])
    position = _methods(body).get(name)
    if position is None:
        raise SourceEditError(f"service.py has no method '{name}'")
    return module, index, body, position


def remove_method(text: str, class_name: str | None, name: str) -> str:
    """`text` without method `name`; comments above it stay, above what follows (`pass` when nothing is left)."""
    module, index, body, position = _method_at(text, class_name, name)
    removed = body.pop(position)
    kept_comments = any(not _blank(line) for line in removed.leading_lines)
    if not body:
        body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=removed.leading_lines if kept_comments else ())]
    elif position < len(body):
        # what follows takes the removed method's place: its spacing and the comments above it
        following = body[position]
        own = list(following.leading_lines)
        while own and _blank(own[0]):
            own.pop(0)
        body[position] = following.with_changes(leading_lines=[*removed.leading_lines, *own])
    return _with_class_body(module, index, body)


def set_parameters(text: str, class_name: str | None, name: str, params: list[str]) -> str:
    """`text` with the positional parameters after `self` of method `name` made `params`: one kept keeps its
    default and annotation, a new one after a parameter with a default gets `=None`; *args and keyword-only
    parameters stay."""
    module, index, body, position = _method_at(text, class_name, name)
    method = body[position]
    current = list(method.params.params)
    head = current[:1] if current and current[0].name.value in ("self", "cls") else []
    head = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in head]
    by_name = {p.name.value: p for p in current[len(head):]}
    new_params, defaulted = [], False
    for param_name in params:
        param = by_name.get(param_name) or cst.Param(cst.Name(param_name))
        if param.default is None and defaulted:
            param = param.with_changes(default=cst.Name("None"), equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
        defaulted = defaulted or param.default is not None
        new_params.append(param.with_changes(comma=cst.MaybeSentinel.DEFAULT))
    body[position] = method.with_changes(params=method.params.with_changes(params=[*head, *new_params]))
    return _with_class_body(module, index, body)
