"""The values a write may put in a field, checked before the database sees them, with the same rule on
every database: text within its length (`maxLen`), whole numbers within 64 bits, numbers for numeric
fields, dates and times for date fields, no lists or objects where one value goes. A value that does not fit
is a FieldValueError naming the model, the field and what is allowed."""
from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, Time

from ...errors import AppError, UserError
from .sqlfilter import QueryError, coerce, expected

__all__ = ["DataError", "FieldValueError", "write_value"]

_INT_RANGE = (-(2 ** 63), 2 ** 63 - 1)
_SHOWN = 60


class DataError(AppError, ValueError):
    """A data-API call that cannot be done as asked: names the model, the field or the row."""


class FieldValueError(UserError, DataError):
    """A field or value the caller gave that the model cannot take: names the model, the field and what it
    takes (a user error: the command line exits 2)."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def write_value(model: str, column: Any, datatype: str, value: Any) -> Any:
    """`value` as field `column` stores it, or FieldValueError."""
    where = f"{model}.{column.name} ({datatype})"
    try:
        value = coerce(column, value)
    except QueryError:
        raise FieldValueError(f"{where}: {_shown(value)} is not {expected(column.type)}") from None
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(value, (list, tuple, dict, set, bytes, bytearray)):
        raise FieldValueError(f"{where} holds one value, not a {type(value).__name__}: {_shown(value)}; "
                              f"it takes {expected(kind)}")
    if isinstance(kind, Boolean):
        return value
    if isinstance(kind, Integer):
        return _whole(where, value)
    if isinstance(kind, (Numeric, Float)):
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise FieldValueError(f"{where}: {_shown(value)} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldValueError(f"{where}: {value} is not a finite number")
        return value
    if isinstance(kind, (DateTime, Date, Time)):
        if not isinstance(value, (datetime, date, time)):
            raise FieldValueError(f"{where}: {_shown(value)} is not {expected(kind)}")
        return value
    if isinstance(kind, (String, Text)):
        text = value if isinstance(value, str) else str(value)
        limit = getattr(kind, "length", None)
        if limit and len(text) > limit:
            raise FieldValueError(f"{where}: {len(text):,} characters; it takes at most {limit:,} (maxLen)")
        return value
    return value


def _whole(where: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int):
        raise FieldValueError(f"{where}: {_shown(value)} is not a whole number")
    if not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
        raise FieldValueError(f"{where}: {_shown(value)} is out of range; whole numbers go from "
                              f"{_INT_RANGE[0]:,} to {_INT_RANGE[1]:,}")
    return value

