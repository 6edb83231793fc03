"""Small rules of Python syntax the field writers share."""
from __future__ import annotations

import keyword
from typing import Any

import libcst as cst

from ._errors import FieldValueError


def keyword_gap(whitespace: Any, expr: cst.BaseExpression) -> Any:
    """The space after ``return``/``raise``/``if``…: none was needed before a bracket, one is now."""
    if isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value and not getattr(expr, "lpar", None):
        return cst.SimpleWhitespace(" ")
    return whitespace


def identifier(field: str, value: Any, allowed: frozenset[str] | None = None) -> str:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value):
        raise FieldValueError(f"{field}: {value!r} is not a valid name")
    if allowed is not None and value not in allowed:
        raise FieldValueError(f"{field}: {value!r} is not one of {', '.join(sorted(allowed))}")
    return value


def statement_call(node: cst.CSTNode) -> cst.Call:
    assert isinstance(node, (cst.Assign, cst.Expr)) and isinstance(node.value, cst.Call)
    return node.value
