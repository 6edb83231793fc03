"""Evaluate a Q condition tree against one row (a dict), with forgiving type coercion."""
from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from numbers import Real
from typing import Any, Callable

from ._qtree import Condition, Group, Node

HIERARCHY_SEPARATORS = (".", "/", "-")
_SEQUENCES = (list, tuple, set, frozenset)
_COMPARE_ERRORS = (TypeError, ValueError, ArithmeticError)


def lookup(row: Any, field: str) -> Any:
    """`row[field]` if that key exists, else walk `a__b` through nested mappings; missing is None."""
    if isinstance(row, Mapping) and field in row:
        return row[field]
    current = row
    for step in field.split("__"):
        if not isinstance(current, Mapping) or step not in current:
            return None
        current = current[step]
    return current


def _is_number(value: Any) -> bool:
    return isinstance(value, (Real, Decimal))


def _to_number(text: str) -> int | float | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _to_moment(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _align(a: Any, b: Any) -> tuple[Any, Any]:
    """Coerce a number/numeric-string pair to numbers and a date/ISO-string pair to datetimes."""
    if _is_number(a) and isinstance(b, str):
        number = _to_number(b)
        return (a, number) if number is not None else (a, b)
    if isinstance(a, str) and _is_number(b):
        number = _to_number(a)
        return (number, b) if number is not None else (a, b)
    if isinstance(a, date) or isinstance(b, date):
        ma, mb = _to_moment(a), _to_moment(b)
        if ma is None or mb is None:
            return a, b
        if isinstance(ma, datetime) or isinstance(mb, datetime):
            ma, mb = _as_datetime(ma, mb), _as_datetime(mb, ma)
        return ma, mb
    return a, b


def _as_datetime(moment: date, other: date) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=getattr(other, "tzinfo", None))


def equal(a: Any, b: Any) -> bool:
    """None equals only None; numbers equal numeric strings; dates equal ISO strings."""
    if a is None or b is None:
        return a is None and b is None
    x, y = _align(a, b)
    try:
        return bool(x == y)
    except _COMPARE_ERRORS:
        return False


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def test(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return False
        x, y = _align(a, b)
        try:
            return bool(compare(x, y))
        except _COMPARE_ERRORS:
            return False

    return test


greater, greater_equal = _ordered(operator.gt), _ordered(operator.ge)
less, less_equal = _ordered(operator.lt), _ordered(operator.le)


def _items(value: Any) -> tuple:
    return tuple(value) if isinstance(value, _SEQUENCES) else (value,)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return (value.isoformat() if isinstance(value, date) else str(value)).casefold()


def _text_test(test: Callable[[str, str], bool]) -> Callable[[Any, Any], bool]:
    """Case-insensitive text test; a list-valued field passes when any element passes."""

    def run(a: Any, b: Any) -> bool:
        needle = _text(b)
        if needle is None:
            return False
        for item in _items(a):
            hay = _text(item)
            if hay is not None and test(hay, needle):
                return True
        return False

    return run


like = _text_test(lambda hay, needle: needle in hay)
startswith = _text_test(str.startswith)
endswith = _text_test(str.endswith)


def likeany(a: Any, b: Any) -> bool:
    return any(like(a, needle) for needle in _items(b))


def is_in(a: Any, b: Any) -> bool:
    return any(equal(item, choice) for item in _items(a) for choice in _items(b))


def is_null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def isnull(a: Any, b: Any) -> bool:
    return is_null(a) == _flag(b)


def in_range(a: Any, b: Any) -> bool:
    """Inclusive; a None bound is open."""
    if not isinstance(b, _SEQUENCES) or len(b) != 2 or a is None:
        return False
    low, high = tuple(b)
    return (low is None or greater_equal(a, low)) and (high is None or less_equal(a, high))


def belong(a: Any, b: Any) -> bool:
    """Equal to one of the codes, or below one of them in a hierarchy (`code` + separator + ...)."""
    for item in _items(a):
        hay = _text(item)
        if hay is None:
            continue
        for code in _items(b):
            code_text = _text(code)
            if code_text is None:
                continue
            if hay == code_text or any(hay.startswith(code_text + sep) for sep in HIERARCHY_SEPARATORS):
                return True
    return False


def _date_part(part: str) -> Callable[[Any, Any], bool]:
    def test(a: Any, b: Any) -> bool:
        moment = _to_moment(a)
        if moment is None:
            return False
        value = moment.isocalendar()[1] if part == "week" else getattr(moment, part)
        return any(equal(value, choice) for choice in _items(b))

    return test


def _address_part(part: str) -> Callable[[Any, Any], bool]:
    """An address dict matches on its `part` key; an address string matches by substring."""

    def test(a: Any, b: Any) -> bool:
        if isinstance(a, Mapping):
            mine = _text(a.get(part))
            return mine is not None and any(mine == _text(choice) for choice in _items(b))
        return isinstance(a, str) and likeany(a, b)

    return test


def _negate(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: not test(a, b)


TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "=": equal,
    "!=": _negate(equal),
    ">": greater,
    ">=": greater_equal,
    "<": less,
    "<=": less_equal,
    "in": is_in,
    "nin": _negate(is_in),
    "like": like,
    "nlike": _negate(like),
    "startswith": startswith,
    "endswith": endswith,
    "likeany": likeany,
    "nlikeany": _negate(likeany),
    "isnull": isnull,
    "range": in_range,
    "belong": belong,
    "nbelong": _negate(belong),
    **{part: _date_part(part) for part in ("year", "month", "week", "day")},
    **{part: _address_part(part) for part in ("province", "city", "district")},
}


def evaluate_node(node: Node | None, row: Mapping[str, Any]) -> bool:
    if node is None:
        return True
    if isinstance(node, Condition):
        test = TESTS.get(node.op)
        if test is None:
            raise ValueError(f"unknown operator {node.op!r}")
        return test(lookup(row, node.field), node.value)
    if isinstance(node, Group):
        results = (evaluate_node(child, row) for child in node.children)
        matched = any(results) if node.connector == "OR" and node.children else all(results)
        return matched != node.negated
    raise TypeError(f"expected a Condition or Group, not {type(node).__name__}")
