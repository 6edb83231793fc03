"""The queue's payload codec: JSON with tags for the values a handler receives (rows, typed values, dates,
decimals, bytes), so an async handler gets the same kinds of values a sync one does."""
from __future__ import annotations

import base64
import json
from datetime import date, datetime, time as dtime
from decimal import Decimal
from typing import Any, Callable

from ...values import JitDict, JitList, JitValue, RowData, RowList, model_event_parts, model_event_payload, wrap

__all__ = ["dumps", "loads", "model_event_ref"]

_TAG = "$jit"


def model_event_ref(model_name: str, opt_type: str, prev: dict, post: dict) -> dict[str, Any]:
    """A model event's eventOutData as the outbox keeps it: the model, optType and the two rows as plain
    data; `loads` gives the JitDict the handler receives."""
    return {_TAG: "model-event", "model": model_name, "optType": opt_type, "prevData": prev, "postData": post}


def _default(value: Any) -> Any:
    """Called by json.dumps only for values JSON has no type for; plain data is encoded in C."""
    if type(value) is JitDict:
        parts = model_event_parts(value)
        if parts is not None:
            return model_event_ref(*parts)
    if isinstance(value, RowData):
        return {_TAG: "row", "model": getattr(value._model, "full_name", None), "data": value._data}
    if isinstance(value, RowList):
        return {_TAG: "rows", "model": getattr(value._model, "full_name", None), "data": [r._data for r in value]}
    if isinstance(value, JitDict):
        return {_TAG: "dict", "data": value._items}
    if isinstance(value, JitList):
        return {_TAG: "list", "data": value.value}
    if isinstance(value, JitValue):
        return {_TAG: "value", "type": value.datatype, "data": value.value}
    if isinstance(value, datetime):
        return {_TAG: "datetime", "data": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "data": value.isoformat()}
    if isinstance(value, dtime):
        return {_TAG: "time", "data": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "data": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {_TAG: "bytes", "data": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"an async event's arguments must be data (dicts, lists, text, numbers, dates, rows), not {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))


_SIMPLE = {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": dtime.fromisoformat,
           "decimal": Decimal, "bytes": base64.b64decode}


def loads(text: str, model_of: Callable[[str], Any]) -> Any:
    def hook(obj: dict) -> Any:
        tag = obj.get(_TAG)
        if tag is None:
            return obj
        data = obj.get("data")
        if tag in _SIMPLE:
            return _SIMPLE[tag](data)
        if tag == "row":
            return RowData(data, model_of(obj["model"]) if obj.get("model") else None)
        if tag == "rows":
            return RowList(data, model_of(obj["model"]) if obj.get("model") else None)
        if tag == "model-event":
            name = obj["model"]
            return model_event_payload(model_of(name), obj["optType"], obj["prevData"], obj["postData"], name)
        if tag == "dict":
            return JitDict(data)
        if tag == "list":
            return JitList(data, datatype="JitList")
        if tag == "value":
            return wrap(data, obj.get("type"))
        return obj

    return json.loads(text, object_hook=hook)
