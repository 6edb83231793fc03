"""JitAI-shaped values: typed scalars with `.value`, JitDict, JitList, RowData and RowList.

Handler code reads `eventOutData.postData.value` (a dict), `eventOutData.toolName.value` (a typed
sub-value), `d.get(key)` / `d[key]` (native values) and `d.toDict()`. Writing `row.orderNo.value = ...`
or `row.value["orderNo"] = ...` changes the row itself, which is how a Before handler fills fields.
"""
from __future__ import annotations

import base64
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Iterator

from ._base import TYPES, JitValue, _scalar_type, infer_datatype, native, wrap
from .rows import RowData, RowField, RowList

__all__ = ["TYPES", "JitDict", "JitList", "JitMap", "JitValue", "RowData", "RowField", "RowList", "SCALAR_TYPES",
           "datatypes", "infer_datatype", "model_event_parts", "model_event_payload", "native", "wrap"]


class JitDict(JitValue):
    """A dict of named sub-values: `d.key` is a typed sub-value, `d.get(k)` and `d[k]` give plain
    values (rows, lists and dicts stay typed under `d[k]` so they can be saved or walked)."""

    datatype = "JitDict"

    def __init__(self, items: dict | None = None, **config: Any):
        object.__setattr__(self, "_items", dict(items) if items else {})
        object.__setattr__(self, "config", config)

    @classmethod
    def new(cls, config: dict | None = None, value: Any = None) -> "JitDict":
        obj = cls(None, **(config or {}))
        types = {v.get("name"): v.get("dataType") for v in (config or {}).get("variableList", []) if isinstance(v, dict)}
        for key in types:
            obj._items[key] = wrap(None, types[key])
        for key, item in native(value or {}).items():
            obj._items[key] = wrap(item, types.get(key))
        return obj

    @property
    def value(self) -> dict:
        return {k: native(v) for k, v in self._items.items()}

    @value.setter
    def value(self, new: dict) -> None:
        self._items.clear()
        self._items.update(native(new or {}))

    def __getattr__(self, key: str) -> JitValue:
        items = self.__dict__.get("_items", {})
        if key.startswith("__") or key not in items:
            raise AttributeError(f"JitDict has no key {key!r}; keys: {', '.join(items) or 'none'}")
        item = items[key]
        if not isinstance(item, JitValue):
            item = items[key] = wrap(item)
        return item

    def __setattr__(self, key: str, value: Any) -> None:
        if key in ("value", "config"):
            object.__setattr__(self, key, value)
        else:
            self._items[key] = value

    def __getitem__(self, key: str) -> Any:
        item = self._items[key]
        return item if isinstance(item, _CONTAINERS) else native(item)

    def __setitem__(self, key: str, value: Any) -> None:
        self._items[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str, default: Any = None) -> Any:
        return native(self._items[key]) if key in self._items else default

    def keys(self):
        return self._items.keys()

    def items(self):
        return self.value.items()

    @property
    def KVCount(self) -> int:
        return len(self._items)

    def reset(self) -> None:
        for key in self._items:
            self._items[key] = None

    def toDict(self) -> dict:
        return self.value

    def __bool__(self) -> bool:
        return bool(self._items)

    def __eq__(self, other: Any) -> bool:
        return self.value == native(other)

    __hash__ = JitValue.__hash__

    def __repr__(self) -> str:
        return f"JitDict({self.value!r})"


class JitList(JitValue):
    datatype = "JitList"

    @property
    def value(self) -> list:
        return native(self._value or [])

    @value.setter
    def value(self, new: Any) -> None:
        self._value = list(native(new) or [])

    def __iter__(self) -> Iterator[Any]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __getitem__(self, index: int) -> Any:
        return self.value[index]


class JitMap(JitDict):
    datatype = "JitMap"


_CONTAINERS = (JitDict, JitList, RowData, RowList)

SCALAR_TYPES = (
    "Stext", "Ltext", "Numeric", "Money", "Percent", "RichText", "AutoInt", "Serial", "Radio", "MultiRadio",
    "Dropdown", "MultiDropdown", "Checkbox", "Date", "Datetime", "Time", "File", "Image", "Signature", "Dept",
    "MultiDept", "Member", "MultiMember", "Address", "Identify", "LicensePlate", "Phone", "Position", "Link",
    "SubTable", "RelateData", "MultiRelateData", "QFilter", "Integer", "Email", "Bool", "JitBool",
)
TYPES.update({name: _scalar_type(name) for name in SCALAR_TYPES})
TYPES.update({"JitDict": JitDict, "JitList": JitList, "JitMap": JitMap, "RowData": RowData, "RowList": RowList})


class _Datatypes:
    """The `datatypes` namespace of `from datatypes.Meta import datatypes`."""

    def __getattr__(self, name: str) -> type[JitValue]:
        try:
            return TYPES[name]
        except KeyError:
            raise AttributeError(f"no datatype {name!r}; known: {', '.join(sorted(TYPES))}") from None

    def __dir__(self):
        return sorted(TYPES)


datatypes = _Datatypes()


def model_event_payload(model: Any, opt_type: str, prev: dict, post: RowData | dict,
                        model_name: str | None = None) -> JitDict:
    """A model event's `eventOutData`: model, optType, prevData and postData (rows bound to `model`, the
    data API of the model, or None with `model_name`). A RowData `post` is used as it is (a Before handler
    fills it); dicts are copied."""
    return JitDict({"model": _STEXT(model.full_name if model_name is None else model_name), "optType": _STEXT(opt_type),
                    "prevData": RowData(prev, model),
                    "postData": post if isinstance(post, RowData) else RowData(post, model)})


_STEXT = TYPES["Stext"]
_MODEL_EVENT_KEYS = frozenset(("model", "optType", "prevData", "postData"))


def model_event_parts(payload: JitDict) -> tuple[str, str, dict, dict] | None:
    """(model, optType, prevData, postData) as plain values when `payload` is a model event's eventOutData
    (as `model_event_payload` makes it), else None."""
    items = payload._items
    if items.keys() != _MODEL_EVENT_KEYS:
        return None
    model, opt_type, prev, post = items["model"], items["optType"], items["prevData"], items["postData"]
    if type(prev) is RowData and type(post) is RowData and isinstance(model, JitValue) and isinstance(opt_type, JitValue):
        return model.value, opt_type.value, prev._data, post._data
    return None


def to_json(value: Any) -> Any:
    """A result as JSON data: typed values by their `.value`, dates as ISO text, decimals as numbers, bytes as
    base64, anything else as its text."""
    value = native(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
