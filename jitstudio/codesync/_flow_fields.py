"""Writing the fields of the statement cards beyond calls: while, with, except clauses, assert,
augmented assignment, docstrings and the callee of a plain call."""
from __future__ import annotations

from typing import Any

import libcst as cst

from ._classify import AUG_OPERATOR_NODES, with_items
from ._errors import FieldValueError
from ._model import AUG_OPERATORS, CardKind
from ._syntax import identifier, keyword_gap, statement_call

# Expressions that can be called as written; anything else is called in brackets: (a or b)().
_CALLABLE_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript)


def apply_flow(kind: CardKind, node: cst.CSTNode, base: str, value: Any, exprs: Any, indent: str) -> cst.CSTNode:
    if kind is CardKind.WHILE:
        assert isinstance(node, cst.While)
        test = exprs.parse("condition", _required(base, value))
        return node.with_changes(test=test, whitespace_after_while=keyword_gap(node.whitespace_after_while, test))
    if kind is CardKind.WITH:
        assert isinstance(node, cst.With)
        return _with_items(node, _required(base, value), exprs)
    if kind is CardKind.CLAUSE:
        return _except_clause(node, base, value, exprs)
    if kind is CardKind.ASSERT:
        assert isinstance(node, cst.Assert)
        if base == "condition":
            test = exprs.parse("condition", _required(base, value))
            return node.with_changes(test=test, whitespace_after_assert=keyword_gap(node.whitespace_after_assert, test))
        if value is None:
            return node.with_changes(msg=None, comma=cst.MaybeSentinel.DEFAULT)
        return node.with_changes(msg=exprs.parse("message", value))
    if kind is CardKind.AUG_ASSIGN:
        assert isinstance(node, cst.AugAssign)
        if base == "operator":
            old: Any = node.operator
            return node.with_changes(operator=aug_operator_node(value).with_changes(
                whitespace_before=old.whitespace_before, whitespace_after=old.whitespace_after))
        field = "target" if base == "target" else "value"
        return node.with_changes(**{field: exprs.parse(base, _required(base, value), parenthesize_tuple=False)})
    if kind is CardKind.CALL:
        call = statement_call(node)
        return node.with_changes(value=call.with_changes(func=callee_node(value, exprs)))
    if kind is CardKind.DOCSTRING:
        assert isinstance(node, cst.Expr)
        if not isinstance(value, str):
            raise FieldValueError("text: expected text")
        return node.with_changes(value=docstring_node(value, node.value, indent, exprs.config.default_newline))
    raise FieldValueError(f"{kind.value} cards have no field {base!r}")


def aug_operator_node(value: Any) -> Any:
    """The node of an augmented assignment operator given as text (``+=``…)."""
    if value not in AUG_OPERATOR_NODES:
        raise FieldValueError(f"operator: expected one of {', '.join(AUG_OPERATORS)}, got {value!r}")
    return AUG_OPERATOR_NODES[value]


def callee_node(value: Any, exprs: Any) -> cst.BaseExpression:
    callee = exprs.parse("callee", _required("callee", value))
    if not isinstance(callee, _CALLABLE_ATOMS) and not callee.lpar:
        callee = callee.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return callee


def _with_items(node: cst.With, text: str, exprs: Any) -> cst.With:
    if not isinstance(text, str) or not text.strip():
        raise FieldValueError("items: what the with statement opens is required")
    try:
        parsed = cst.parse_statement(f"with {text.strip()}:\n    pass\n", config=exprs.config)
    except Exception:
        raise FieldValueError(f"items: {text!r} is not what a with statement takes") from None
    if not isinstance(parsed, cst.With) or with_items(parsed, exprs.render) != text.strip():
        raise FieldValueError(f"items: {text!r} is not what a with statement takes (comments are not kept)")
    gap = node.whitespace_after_with
    if isinstance(gap, cst.SimpleWhitespace) and not gap.value and not parsed.lpar:
        gap = cst.SimpleWhitespace(" ")
    return node.with_changes(items=parsed.items, lpar=parsed.lpar, rpar=parsed.rpar, whitespace_after_with=gap)


def _except_clause(node: cst.CSTNode, base: str, value: Any, exprs: Any) -> cst.CSTNode:
    if not isinstance(node, cst.ExceptHandler):
        raise FieldValueError(f"only except clauses have the field {base!r}")
    if base == "exception":
        if value is None:
            return node.with_changes(type=None, name=None, whitespace_after_except=cst.SimpleWhitespace(""))
        kind = exprs.parse("exception", value)
        return node.with_changes(type=kind, whitespace_after_except=keyword_gap(node.whitespace_after_except, kind))
    if value is None:
        return node.with_changes(name=None)
    if node.type is None:
        raise FieldValueError("name: set the exception first")
    name = cst.Name(identifier("name", value))
    return node.with_changes(name=node.name.with_changes(name=name) if node.name else cst.AsName(name=name))


def docstring_node(text: str, old: cst.BaseExpression | None, indent: str, newline: str = "\n") -> cst.SimpleString:
    """A string literal holding ``text``, its continuation lines indented at ``indent``, in the
    quotes the old docstring used (three double quotes for a new one)."""
    prefix, quote = "", '"""'
    if isinstance(old, cst.SimpleString):
        prefix = old.prefix.replace("b", "").replace("B", "")
        quote = old.quote
    if "\n" in text and len(quote) == 1:
        quote = quote * 3
    body = text.replace("\\", "\\\\") if "r" not in prefix.lower() else text
    if "r" in prefix.lower() and (quote[0] in body or body.endswith("\\")):
        prefix = prefix.replace("r", "").replace("R", "")
        body = text.replace("\\", "\\\\")
    if len(quote) == 1:
        body = body.replace(quote, "\\" + quote)
    else:
        body = body.replace(quote, ("\\" + quote[0]) * 3)
        if body.endswith(quote[0]):
            body = body[:-1] + "\\" + quote[0]
    lines = body.split("\n")
    body = lines[0] + "".join(newline + (indent + line if line else "") for line in lines[1:])
    if isinstance(old, cst.SimpleString) and old.value[:-len(old.quote)].rstrip(" \t").endswith("\n"):
        body += newline + indent
    return cst.SimpleString(f"{prefix}{quote}{body}{quote}")


def _required(name: str, value: Any) -> Any:
    if value is None:
        raise FieldValueError(f"{name}: a value is required")
    return value
