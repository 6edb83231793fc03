"""Turning any value a handler sees or returns into bounded, JSON-ready data for the execution records."""
from __future__ import annotations

import base64
import dataclasses
import enum
import json
import math
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring
from pathlib import PurePath
from typing import Any

MAX_DEPTH = 12
MAX_ITEMS = 200
MAX_STRING = 4_000
MAX_BYTES = 256
DEFAULT_BUDGET = 64_000
TRUNCATED = "…[truncated]"


class _Walker:
    """Walks a value with a budget of output characters: once spent, the rest becomes truncation markers."""

    def __init__(self, budget: int):
        self.budget = budget
        self.path: set[int] = set()

    def spend(self, n: int) -> None:
        self.budget -= n

    def text(self, s: str, limit: int = MAX_STRING) -> str:
        limit = max(0, min(limit, self.budget))
        if len(s) > limit:
            self.spend(limit + 24)
            return f"{s[:limit]}{TRUNCATED[:-1]} {len(s) - limit} more chars]"
        self.spend(len(s) + 2)
        return s

    def walk(self, value: Any, depth: int) -> Any:
        kind = type(value)
        if kind is str:
            if len(value) <= MAX_STRING and len(value) < self.budget:
                self.budget -= len(value) + 2
                return value
            return self.text(value)
        if kind is int:
            self.budget -= 8
            return value if -2**63 < value < 2**63 else str(value)
        if (kind is dict or kind is list) and depth < MAX_DEPTH and self.budget > 0:
            ident = id(value)
            if ident in self.path:
                return "<cycle>"
            self.path.add(ident)
            try:
                return self._mapping(value, depth) if kind is dict else self._sequence(value, depth)
            finally:
                self.path.discard(ident)
        if kind in _BY_TO_DICT and depth < MAX_DEPTH and self.budget > 0:
            return self._to_dict(value, depth)
        return self._other(value, depth)

    def _to_dict(self, value: Any, depth: int) -> Any:
        """What `_other` gives for a type known to take the toDict() path, without trying the others first."""
        ident = id(value)
        if ident in self.path:
            return "<cycle>"
        try:
            converted = type(value).toDict(value)
        except Exception:  # noqa: BLE001 - the general path tries the other forms
            return self._other(value, depth)
        self.path.add(ident)
        try:
            return self.walk(converted, depth + 1)
        finally:
            self.path.discard(ident)

    def _other(self, value: Any, depth: int) -> Any:
        if value is None or isinstance(value, bool):
            self.spend(5)
            return value
        if isinstance(value, int) and not isinstance(value, enum.Enum):
            self.spend(8)
            return value if abs(value) < 2**63 else str(value)
        if isinstance(value, float):
            self.spend(8)
            return value if math.isfinite(value) else repr(value)
        if isinstance(value, str):
            return self.text(value)
        if self.budget <= 0:
            return TRUNCATED
        scalar = _scalar(value)
        if scalar is not None:
            return self.walk(scalar[0], depth) if not isinstance(scalar[0], str) else self.text(scalar[0])
        if depth >= MAX_DEPTH:
            return self.text(_short_repr(value), 200)
        ident = id(value)
        if ident in self.path:
            return "<cycle>"
        self.path.add(ident)
        try:
            return self._container(value, depth)
        finally:
            self.path.discard(ident)

    def _container(self, value: Any, depth: int) -> Any:
        if isinstance(value, dict):
            return self._mapping(value, depth)
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
            return self._sequence(items, depth)
        converted = _converted(value)
        if converted is not _NOTHING:
            return self.walk(converted, depth + 1)
        return self.text(_short_repr(value), 1_000)

    def _mapping(self, value: dict, depth: int) -> dict:
        out: dict[str, Any] = {}
        for n, (key, item) in enumerate(value.items()):
            if n >= MAX_ITEMS or self.budget <= 0:
                out["…"] = f"[{len(value) - n} more keys]"
                break
            if type(key) is str and len(key) <= 200:
                self.budget -= len(key) + 3
                name = key
            else:
                name = self.text(key if isinstance(key, str) else str(self.walk(key, depth + 1)), 200)
            out[name] = self.walk(item, depth + 1)
        return out

    def _sequence(self, items: Any, depth: int) -> list:
        out: list[Any] = []
        for n, item in enumerate(items):
            if n >= MAX_ITEMS or self.budget <= 0:
                out.append(f"…[{len(items) - n} more items]")
                break
            out.append(self.walk(item, depth + 1))
        self.spend(2)
        return out


_NOTHING = object()
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _scalar(value: Any) -> tuple[Any] | None:
    """A one-tuple with the JSON scalar for a value that has one, else None."""
    if isinstance(value, enum.Enum):
        return (value.value,)
    if isinstance(value, datetime):
        return (value.isoformat(),)
    if isinstance(value, (date, time)):
        return (value.isoformat(),)
    if isinstance(value, timedelta):
        return (value.total_seconds(),)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return (str(value),)
        as_float = float(value)
        if value == value.to_integral_value() and abs(value) < 2**63:
            return (int(value),)
        return (as_float,) if Decimal(repr(as_float)) == value else (str(value),)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        head = base64.b64encode(raw[:MAX_BYTES]).decode()
        more = f" +{len(raw) - MAX_BYTES} bytes" if len(raw) > MAX_BYTES else ""
        return (f"<{len(raw)} bytes base64:{head}{more}>",)
    if isinstance(value, (uuid.UUID, PurePath)):
        return (str(value),)
    if isinstance(value, BaseException):
        return (f"{type(value).__name__}: {value}",)
    return None


# Types seen taking the toDict() path of `_other` (not scalars, not containers): later values go there directly.
_BY_TO_DICT: set[type] = set()
MAX_KNOWN_TYPES = 1_000


def _converted(value: Any) -> Any:
    """The plain form of a rich object (JitAI values, pydantic models, dataclasses), or _NOTHING."""
    for name in ("toDict", "model_dump"):
        method = getattr(type(value), name, None)
        if callable(method):
            try:
                converted = method(value)
            except Exception:  # noqa: BLE001 - a broken toDict falls back to the next form
                continue
            if name == "toDict" and len(_BY_TO_DICT) < MAX_KNOWN_TYPES:
                _BY_TO_DICT.add(type(value))
            return converted
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        try:
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        except Exception:  # noqa: BLE001
            pass
    try:
        if hasattr(type(value), "value") or "value" in getattr(value, "__dict__", {}):
            inner = value.value
            if inner is not value and not callable(inner):
                return inner
    except Exception:  # noqa: BLE001
        pass
    return _NOTHING


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a broken __repr__ must not break the record
        text = f"<{type(value).__qualname__} object (repr failed: {type(exc).__name__})>"
    return text if len(text) <= 1_000 else text[:1_000] + "…"


def to_jsonable(value: Any, *, budget: int = DEFAULT_BUDGET) -> Any:
    """JSON-ready data for any value, never raising. Containers past MAX_ITEMS, strings past MAX_STRING and
    anything past `budget` output characters are cut with a visible "…" marker."""
    try:
        return _Walker(budget).walk(value, 0)
    except Exception as exc:  # noqa: BLE001 - recursion errors from exotic objects end up here
        return f"<unserialisable {type(value).__qualname__}: {type(exc).__name__}>"


def dumps(value: Any, *, budget: int = DEFAULT_BUDGET) -> str:
    """Compact JSON text of `to_jsonable(value)`."""
    if value is None:
        return "null"
    if type(value) is dict:
        text = _flat_json(value, budget)
        if text is not None:
            return text
    return _ENCODER.encode(to_jsonable(value, budget=budget))


# -- the common case without the walk: a dict of plain values, or of dicts of plain values (a model event's
# input: model, optType and two rows), well inside every limit, encoded by the C encoder as it stands.

_FLAT_SCALARS = frozenset({str, int, float, bool, type(None), datetime, date, time, Decimal})
_INT_MIN, _INT_MAX = -2**63, 2**63


class _NotFlat(Exception):
    pass


def _flat_default(value: Any) -> Any:
    scalar = _scalar(value) if type(value) in _FLAT_SCALARS else None
    if scalar is None:
        raise _NotFlat
    return scalar[0]


# No circular-reference markers: a flat dict has no cycles. No NaN: the walk writes it as text.
_FLAT_ENCODE = c_make_encoder(None, _flat_default, encode_basestring, None, ":", ",", False, False, False) \
    if c_make_encoder is not None else None


def _flat_items(value: dict, nested: bool) -> int:
    """How many values a flat dict holds (its nested dicts' included), or -1 when it is not flat: more than
    MAX_ITEMS keys, a key that is not text of at most 200 characters, an int JSON readers cannot hold, a
    value of another type. (Long text is caught by the length of the whole.)"""
    if len(value) > MAX_ITEMS:
        return -1
    count = len(value)
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > 200:  # column names are str subclasses
            return -1
        kind = type(item)
        if kind is int:
            if not _INT_MIN < item < _INT_MAX:
                return -1
        elif kind is dict and nested:
            inner = _flat_items(item, False)
            if inner < 0:
                return -1
            count += inner
        elif kind not in _FLAT_SCALARS:
            return -1
    return count


def _flat_json(value: dict, budget: int) -> str | None:
    """The JSON text `to_jsonable` would give for a flat dict, or None when it needs the walk. The text is
    short (so no string in it is cut), and every value costs the walk's budget at most its text plus 8 (so
    nothing is cut for the budget)."""
    if _FLAT_ENCODE is None:
        return None
    count = _flat_items(value, True)
    if count < 0:
        return None
    try:
        text = "".join(_FLAT_ENCODE(value, 0))
    except (_NotFlat, ValueError, TypeError):
        return None
    if len(text) > MAX_STRING or len(text) + 8 * count >= budget:
        return None
    return text
