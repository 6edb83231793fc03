"""Q filters as SQL: the parsed condition tree becomes a SQLAlchemy expression (bound parameters only).

The meaning follows `jitstudio.project.qfilter` evaluation: text operators are case-insensitive, every
negative operator (and `!=`) is the exact negation of its positive form, so NULL passes `!=`, `nin`, `nlike`.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON, Boolean, ColumnElement, Date, DateTime, Float, Integer, Numeric, String, Table, Time, and_, cast,
    extract, false, not_, or_, true,
)

from ...errors import UserError
from ...project import qfilter
from ...project.qfilter import Condition, Node

_ESCAPE = "\\"


class QueryError(UserError, ValueError):
    """A filter or order that cannot run against the model: names the field or operator."""


@lru_cache(maxsize=2048)
def parse_cached(text: str) -> Node | None:
    try:
        return qfilter.parse(text)
    except qfilter.QSyntaxError as exc:
        raise QueryError(f"invalid filter {text!r}: {exc}") from None


def to_sql(tree: Node | str | None, table: Table) -> ColumnElement[bool]:
    if isinstance(tree, str):
        tree = parse_cached(tree) if tree.strip() else None
    if tree is None:
        return true()
    return _node(tree, table)


def _node(node: Node, table: Table) -> ColumnElement[bool]:
    if isinstance(node, Condition):
        return _condition(node, table)
    parts = [_node(child, table) for child in node.children]
    joined = true() if not parts else (and_(*parts) if node.connector == "AND" else or_(*parts))
    return not_(joined) if node.negated else joined


def _column(table: Table, name: str):
    if "__" in name:
        raise QueryError(f"filter field {name!r}: fields of related records cannot be queried by the local runtime yet")
    if name not in table.c:
        raise QueryError(f"unknown field {name!r} in filter; fields: {', '.join(table.c.keys())}")
    return table.c[name]


def coerce(column, value: Any) -> Any:
    """A filter value in the Python type the column binds (ISO text to dates, numeric text to numbers)."""
    if value is None:
        return None
    kind = column.type
    try:
        if isinstance(kind, DateTime) and isinstance(value, str):
            return datetime.fromisoformat(value)
        if isinstance(kind, DateTime) and isinstance(value, date) and not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day)
        if isinstance(kind, Date) and isinstance(value, str):
            return date.fromisoformat(value[:10])
        if isinstance(kind, Date) and isinstance(value, datetime):
            return value.date()
        if isinstance(kind, Time) and isinstance(value, str):
            return time.fromisoformat(value)
        if isinstance(kind, Boolean) and not isinstance(value, bool):
            return bool(int(value)) if str(value).strip().lstrip("-").isdigit() else str(value).lower() in ("true", "yes")
        if isinstance(kind, (Integer, Numeric, Float)) and isinstance(value, str):
            number = Decimal(value.strip())
            return int(number) if isinstance(kind, Integer) and number == number.to_integral_value() else float(number)
    except (ValueError, InvalidOperation):
        raise QueryError(f"filter value {value!r} does not fit field {column.name!r}: it takes {expected(kind)}") from None
    return value


def expected(kind: Any) -> str:
    """What a column of this type takes, for messages."""
    if isinstance(kind, Integer):
        return "a whole number"
    if isinstance(kind, (Numeric, Float)):
        return "a number"
    if isinstance(kind, DateTime):
        return "a date and time (ISO text such as 2025-01-31T09:30:00)"
    if isinstance(kind, Date):
        return "a date (ISO text such as 2025-01-31)"
    if isinstance(kind, Time):
        return "a time (ISO text such as 09:30:00)"
    if isinstance(kind, Boolean):
        return "true or false"
    if isinstance(kind, JSON):
        return "JSON data"
    return "text"


def _like(text: Any) -> str:
    raw = str(text)
    return raw.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def _contains(col, value: Any):
    target = cast(col, String) if not isinstance(col.type, String) else col
    return target.ilike(f"%{_like(value)}%", escape=_ESCAPE)


def _equal(col, value: Any):
    return col.is_(None) if value is None else col == coerce(col, value)


def _negate(col, positive):
    return or_(not_(positive), col.is_(None))


_LIST_OPS = ("in", "nin", "likeany", "nlikeany", "belong", "nbelong")
_PART_OPS = ("year", "month", "week", "day")


def _operand(cond: Condition) -> Any:
    """The condition's value in the shape its operator takes, or a QueryError saying which shape."""
    op, value = cond.op, cond.value
    shown = f"Q({cond.field!r}, {op!r}, {value!r})"
    if op in _LIST_OPS and value is not None and not isinstance(value, (list, tuple)):
        raise QueryError(f"{shown}: {op!r} takes a list of values, e.g. Q({cond.field!r}, {op!r}, [1, 2])")
    if op == "range" and not (isinstance(value, (list, tuple)) and len(value) == 2):
        raise QueryError(f"{shown}: 'range' takes two values, low and high (None for open), "
                         f"e.g. Q({cond.field!r}, 'range', [1, 10])")
    if op == "isnull" and value not in (True, False, 0, 1):
        raise QueryError(f"{shown}: 'isnull' takes True (empty) or False (not empty)")
    if op in _PART_OPS:
        text = str(value).strip()
        if isinstance(value, bool) or not text.lstrip("-").isdigit():
            raise QueryError(f"{shown}: {op!r} takes a whole number, e.g. Q({cond.field!r}, {op!r}, 2025)")
        return int(text)
    return value


def _condition(cond: Condition, table: Table) -> ColumnElement[bool]:
    col = _column(table, cond.field)
    op, value = cond.op, _operand(cond)
    if op == "=":
        return _equal(col, value)
    if op == "!=":
        return col.is_not(None) if value is None else _negate(col, col == coerce(col, value))
    if op in (">", ">=", "<", "<="):
        if value is None:
            return false()
        bound = coerce(col, value)
        return {">": col > bound, ">=": col >= bound, "<": col < bound, "<=": col <= bound}[op]
    if op in ("in", "nin"):
        items = [coerce(col, v) for v in (value or ()) if v is not None]
        has_none = any(v is None for v in (value or ()))
        positive = or_(col.in_(items), col.is_(None)) if has_none else col.in_(items)
        return positive if op == "in" else _negate(col, positive)
    if op in ("like", "nlike"):
        positive = _contains(col, value)
        return positive if op == "like" else _negate(col, positive)
    if op in ("startswith", "endswith"):
        pattern = f"{_like(value)}%" if op == "startswith" else f"%{_like(value)}"
        target = cast(col, String) if not isinstance(col.type, String) else col
        return target.ilike(pattern, escape=_ESCAPE)
    if op in ("likeany", "nlikeany"):
        positive = or_(false(), *[_contains(col, v) for v in (value or ())])
        return positive if op == "likeany" else _negate(col, positive)
    if op == "isnull":
        empty = or_(col.is_(None), cast(col, String) == "") if isinstance(col.type, (String, JSON)) else col.is_(None)
        return empty if value else not_(empty)
    if op == "range":
        low, high = value
        parts = [col >= coerce(col, low)] if low is not None else []
        parts += [col <= coerce(col, high)] if high is not None else []
        return and_(true(), *parts)
    if op in ("belong", "nbelong"):
        options = []
        for code in value or ():
            options.append(col == code)
            options += [col.like(f"{_like(code)}{sep}%", escape=_ESCAPE) for sep in (".", "/", "-")]
        positive = or_(false(), *options)
        return positive if op == "belong" else _negate(col, positive)
    if op in ("year", "month", "week", "day"):
        return extract(op, col) == value
    if op in ("province", "city", "district"):
        return _contains(col, value)
    raise QueryError(f"operator {op!r} cannot be used in a query")


def order_by(order_list: Any, table: Table) -> list:
    """`[["field", 1], ["other", -1]]` (1 ascending, -1 descending) as ORDER BY terms."""
    terms = []
    for entry in order_list or []:
        if isinstance(entry, str):
            name, direction = entry.lstrip("-"), -1 if entry.startswith("-") else 1
        else:
            name, direction = entry[0], (entry[1] if len(entry) > 1 else 1)
        col = _column(table, name)
        terms.append(col.desc() if int(direction) < 0 else col.asc())
    return terms
