"""The steps of an execution path while it is recorded, and their JSON: `to_json` (dicts) or `write_json`
(the same JSON as text, written without the dicts, as the records store keeps it)."""
from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from ..values.jsonable import to_jsonable
from ..values.secrets import redact

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=to_jsonable)


def error_text(exc: BaseException) -> str:
    """The exception as an execution record keeps it, secrets redacted."""
    text = redact(str(exc))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Step:
    """A node of the execution path while it is being recorded. `fixed` is the JSON text of the keys that
    never change for this node (title, line, file, code), or None to encode them from the attributes."""

    __slots__ = ("kind", "title", "line", "file", "code", "first_ns", "total_ns", "count", "status", "error",
                 "info", "children", "index", "fixed")

    def __init__(self, kind: str, title: str, first_ns: int, line: int | None = None, file: str | None = None,
                 code: str | None = None, info: dict | None = None, fixed: str | None = None):
        self.kind = kind
        self.title = title
        self.line = line
        self.file = file
        self.code = code
        self.first_ns = first_ns
        self.total_ns = 0
        self.count = 0
        self.status = "success"
        self.error: str | None = None
        self.info = info
        self.children: list[Step] = []
        self.index: dict[Any, Any] = {}
        self.fixed = fixed

    def fail(self, error: str) -> None:
        if self.status != "fail":
            self.status = "fail"
            self.error = error

    def to_json(self, origin_ns: int) -> dict[str, Any]:
        """The step as JSON; keys without a value and empty `children` are left out."""
        out: dict[str, Any] = {"kind": self.kind, "status": self.status, "startMs": _ms(self.first_ns - origin_ns),
                               "durationMs": _ms(self.total_ns), "count": self.count}
        if self.title:
            out["title"] = self.title
        if self.line is not None:
            out["line"] = self.line
        if self.file is not None:
            out["file"] = self.file
        if self.code is not None:
            out["code"] = self.code
        if self.error is not None:
            out["error"] = self.error
        if self.info:
            out["info"] = self.info
        if self.children:
            out["children"] = [child.to_json(origin_ns) for child in self.children]
        return out

    def write_json(self, origin_ns: int, out: list[str]) -> None:
        """Append the JSON text of `to_json(origin_ns)` to `out`, without building the dicts."""
        fixed = self.fixed
        if fixed is None:
            fixed = _fixed_text(self.title, self.line, self.file, self.code)
        head = _HEADS.get(self.kind) or _head(self.kind)
        out.append(f'{head}{self.status}","startMs":{_ms_text(self.first_ns - origin_ns)},'
                   f'"durationMs":{_ms_text(self.total_ns)},"count":{self.count}{fixed}')
        if self.error is not None:
            out.append(',"error":' + encode_basestring(self.error))
        if self.info:
            out.append(',"info":' + _ENCODER.encode(self.info))
        if self.children:
            out.append(',"children":[')
            for n, child in enumerate(self.children):
                if n:
                    out.append(",")
                child.write_json(origin_ns, out)
            out.append("]")
        out.append("}")


def _ms(ns: int) -> float:
    """Nanoseconds as milliseconds to the microsecond (what `write_json` writes, without a float round)."""
    return (ns + 500) // 1000 / 1000


_SHORT_US = 4096
_MS_TEXTS: list[str | None] = [None] * _SHORT_US


def _ms_text(ns: int) -> str:
    """The JSON text of `_ms(ns)`; the texts of times under a few milliseconds are kept."""
    us = (ns + 500) // 1000
    if 0 <= us < _SHORT_US:
        text = _MS_TEXTS[us]
        if text is None:
            text = _MS_TEXTS[us] = repr(us / 1000)
        return text
    return repr(us / 1000)


_HEADS: dict[str, str] = {}


def _head(kind: str) -> str:
    """The JSON text a step of `kind` starts with, up to its status."""
    head = '{"kind":' + encode_basestring(kind) + ',"status":"'
    if len(_HEADS) < 256:
        _HEADS[kind] = head
    return head


def _fixed_text(title: str, line: int | None, file: str | None, code: str | None) -> str:
    parts = []
    if title:
        parts.append(',"title":' + encode_basestring(title))
    if line is not None:
        parts.append(f',"line":{line}')
    if file is not None:
        parts.append(',"file":' + encode_basestring(file))
    if code is not None:
        parts.append(',"code":' + encode_basestring(code))
    return "".join(parts)
