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
        return self._other(value, depth)

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


def _converted(value: Any) -> Any:
    """The plain form of a rich object (JitAI values, pydantic models, dataclasses), or _NOTHING."""
    for name in ("toDict", "model_dump"):
        method = getattr(type(value), name, None)
        if callable(method):
            try:
                return method(value)
            except Exception:  # noqa: BLE001 - a broken toDict falls back to the next form
                pass
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
    return _ENCODER.encode(to_jsonable(value, budget=budget))
