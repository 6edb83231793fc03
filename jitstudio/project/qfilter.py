"""The Q filter language of model events and data queries.

Both spellings parse into one tree of `Condition` and `Group` nodes:

* canonical: ``Q(Q('status', '=', 'active'), Q.AND, Q('amount', '>', 100))``
* Django-like: ``Q(status='active') & Q(amount__gt=100)``, with ``|``, ``~`` and parentheses.

`to_text` always writes the canonical spelling (``~Q(...)`` for negation), and
``parse(to_text(tree)) == tree`` for trees built with `Q_and`, `Q_or` and `Q_not`
(the forms `parse` returns). Nothing in the text is ever executed.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ._qeval import evaluate_node
from ._qparse import parse_text
from ._qtree import (
    ALIASES,
    OPERATOR_KINDS,
    OPERATORS,
    Condition,
    Group,
    Node,
    OperatorInfo,
    QSyntaxError,
    Q_and,
    Q_not,
    Q_or,
    Value,
    allowed_operators_text,
    field_path_ok,
)

__all__ = [
    "ALIASES",
    "OPERATORS",
    "Condition",
    "Group",
    "Node",
    "OperatorInfo",
    "QIssue",
    "QSyntaxError",
    "Q_and",
    "Q_not",
    "Q_or",
    "Value",
    "check",
    "evaluate",
    "parse",
    "to_text",
]

_DATE_PART_LIMITS = {"month": (1, 12), "week": (1, 53), "day": (1, 31)}
_ORDERING = (">", ">=", "<", "<=")


def parse(text: str | None) -> Node | None:
    """The condition tree of a filter; None for an empty or blank filter. Raises QSyntaxError."""
    if text is None:
        return None
    return parse_text(text)


def evaluate(tree: Node | str | None, row: Mapping[str, Any]) -> bool:
    """Whether `row` passes the filter (a tree or filter text). No filter passes every row."""
    if isinstance(tree, str):
        tree = parse(tree)
    return evaluate_node(tree, row)


# -- canonical text -----------------------------------------------------

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "'" + "".join(out) + "'"


def value_text(value: Any) -> str:
    """A value as Q filter text; dates become ISO strings."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        if not math.isfinite(value):
            raise ValueError(f"a Q filter cannot hold the number {value}")
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, date):
        return _quote(value.isoformat())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    raise TypeError(f"a Q filter cannot hold a value of type {type(value).__name__}")


def _node_text(node: Node) -> str:
    if isinstance(node, Condition):
        return f"Q({_quote(node.field)}, {_quote(node.op)}, {value_text(node.value)})"
    if not isinstance(node, Group):
        raise TypeError(f"expected a Condition or Group, not {type(node).__name__}")
    joiner = f", Q.{node.connector}, "
    body = joiner.join(_node_text(child) for child in node.children)
    return ("~" if node.negated else "") + f"Q({body})"


def to_text(tree: Node | None) -> str:
    """Canonical text. A lone condition is wrapped, ``Q(Q('age', '>', 18))``; None gives ''."""
    if tree is None:
        return ""
    if isinstance(tree, Condition):
        return f"Q({_node_text(tree)})"
    return _node_text(tree)


# -- checks ---------------------------------------------------------------


@dataclass(frozen=True)
class QIssue:
    """A problem in a parsed filter; `offset` is where the condition starts in the filter text."""

    message: str
    offset: int


def conditions(tree: Node | None) -> Iterator[Condition]:
    """Every condition in the tree, left to right."""
    if isinstance(tree, Condition):
        yield tree
    elif isinstance(tree, Group):
        for child in tree.children:
            yield from conditions(child)


def check(tree: Node | None, fields: Collection[str] | None = None) -> list[QIssue]:
    """Problems a parse cannot see: unknown fields (first path step only, when `fields` is given),
    unknown operators and badly shaped values."""
    issues: list[QIssue] = []
    for cond in conditions(tree):
        for message in _condition_problems(cond, fields):
            issues.append(QIssue(message, cond.span[0]))
    return issues


def _condition_problems(cond: Condition, fields: Collection[str] | None) -> Iterator[str]:
    if not field_path_ok(cond.field):
        yield f"invalid field name {cond.field!r}; use letters, digits and _, with __ between a relation and its field"
    elif fields is not None:
        head = cond.field.split("__")[0]
        if head not in fields:
            yield _unknown_field(head, fields)
        yield from _operator_lookalike(cond)
    if cond.op not in OPERATOR_KINDS:
        yield f"unknown operator {cond.op!r}; allowed: {allowed_operators_text()}"
        return
    problem = _value_problem(cond.op, cond.value)
    if problem:
        yield problem


def _unknown_field(head: str, fields: Collection[str]) -> str:
    known = sorted(fields)
    if not known:
        return f"unknown field {head!r}; the model has no fields"
    close = difflib.get_close_matches(head, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown field {head!r}; {hint}known fields: {', '.join(known)}"


def _operator_lookalike(cond: Condition) -> Iterator[str]:
    """`age__gtt=18` parses as field `age__gtt`; point out that `gtt` looks like a mistyped operator."""
    steps = cond.field.split("__")
    if len(steps) < 2:
        return
    close = difflib.get_close_matches(steps[-1], [*OPERATOR_KINDS, *ALIASES], n=1, cutoff=0.75)
    if close:
        yield f"{steps[-1]!r} in {cond.field!r} is not an operator; did you mean {close[0]!r}?"


def _value_problem(op: str, value: Value) -> str | None:
    kind = OPERATOR_KINDS[op]
    is_list = isinstance(value, (tuple, list))
    shown = value_text(value) if _writable(value) else repr(value)
    if kind == "list" and not is_list:
        return f"operator {op!r} takes a list such as ['a', 'b'], not {shown}"
    if kind == "pair" and not (is_list and len(value) == 2):
        return f"operator {op!r} takes a list of two values [low, high], not {shown}"
    if kind == "flag" and (is_list or isinstance(value, str) or value not in (0, 1)):
        return f"operator {op!r} takes 1 (is empty) or 0 (is not empty), not {shown}"
    if kind != "scalar":
        return None
    if is_list:
        hint = "; use 'in' for a list of choices" if op in ("=", "!=") else ""
        return f"operator {op!r} takes a single value, not the list {shown}{hint}"
    if op in _ORDERING and value is None:
        return f"operator {op!r} never matches None; use 'isnull' to test for empty values"
    if op in ("year", *_DATE_PART_LIMITS):
        return _date_part_problem(op, value, shown)
    return None


def _date_part_problem(op: str, value: Value, shown: str) -> str | None:
    number = value
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    low, high = _DATE_PART_LIMITS.get(op, (1, 9999))
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        return f"operator {op!r} takes a whole number from {low} to {high}, not {shown}"
    return None


def _writable(value: Any) -> bool:
    try:
        value_text(value)
    except (TypeError, ValueError):
        return False
    return True
