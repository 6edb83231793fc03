"""The base of the JitAI datatypes: `JitValue` (a typed value with `.value`), `native` and `wrap`.

`TYPES` maps datatype names to their classes; `values` fills it with the containers and scalar types.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

TYPES: dict[str, type["JitValue"]] = {}


def native(obj: Any) -> Any:
    """The plain Python value of a datatype object (recursively for containers); plain values pass."""
    if isinstance(obj, JitValue):
        return obj.value
    if isinstance(obj, dict):
        return {k: native(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [native(v) for v in obj]
    return obj


def wrap(value: Any, datatype: str | None = None) -> "JitValue":
    """A typed value for a plain one; the datatype is inferred when not given."""
    if isinstance(value, JitValue):
        return value
    if datatype is None:
        datatype = infer_datatype(value)
    cls = TYPES.get(datatype, JitValue)
    return cls.new({}, value) if cls is not JitValue else JitValue(value, datatype=datatype)


def infer_datatype(value: Any) -> str:
    if isinstance(value, bool):
        return "Checkbox"
    if isinstance(value, (int, float, Decimal)):
        return "Numeric"
    if isinstance(value, datetime):
        return "Datetime"
    if isinstance(value, date):
        return "Date"
    if isinstance(value, time):
        return "Time"
    if isinstance(value, dict):
        return "JitDict"
    if isinstance(value, (list, tuple)):
        return "JitList"
    return "Stext"


class JitValue:
    """A value of one JitAI datatype. Called with keyword arguments only (as in model.py), it is a field
    declaration whose keywords are its config; `Type.new(config, value)` makes a value."""

    datatype = "Stext"

    def __init__(self, value: Any = None, datatype: str | None = None, **config: Any):
        self._value = value
        if datatype is not None:
            self.datatype = datatype
        self.config = config

    @classmethod
    def new(cls, config: dict | None = None, value: Any = None) -> "JitValue":
        obj = cls.__new__(cls)
        JitValue.__init__(obj, None, **(config or {}))
        obj.value = value
        return obj

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        self._value = native(new)

    def toDict(self) -> Any:
        return native(self.value)

    def __eq__(self, other: Any) -> bool:
        return self.value == (other.value if isinstance(other, JitValue) else other)

    def __hash__(self) -> int:
        try:
            return hash(self.value)
        except TypeError:
            return id(self)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


def _scalar_type(name: str) -> type[JitValue]:
    return type(name, (JitValue,), {"datatype": name, "__doc__": f"The {name} datatype."})
