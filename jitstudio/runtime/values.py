"""JitAI-shaped values: typed scalars with `.value`, JitDict, JitList, RowData and RowList.

Handler code reads `eventOutData.postData.value` (a dict), `eventOutData.toolName.value` (a typed
sub-value), `d.get(key)` / `d[key]` (native values) and `d.toDict()`. Writing `row.orderNo.value = ...`
or `row.value["orderNo"] = ...` changes the row itself, which is how a Before handler fills fields.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Iterator

_CONTAINERS: tuple[type, ...] = ()


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


class JitDict(JitValue):
    """A dict of named sub-values: `d.key` is a typed sub-value, `d.get(k)` and `d[k]` give plain
    values (rows, lists and dicts stay typed under `d[k]` so they can be saved or walked)."""

    datatype = "JitDict"

    def __init__(self, items: dict | None = None, **config: Any):
        object.__setattr__(self, "_items", {})
        object.__setattr__(self, "config", config)
        for key, item in (items or {}).items():
            self._items[key] = item

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


class RowField(JitValue):
    """One field of a RowData; reading and writing `.value` goes through to the row's dict."""

    def __init__(self, row: "RowData", name: str, datatype: str):
        self._row, self._name, self.datatype, self.config = row, name, datatype, {}

    @property
    def value(self) -> Any:
        return self._row._data.get(self._name)

    @value.setter
    def value(self, new: Any) -> None:
        self._row._data[self._name] = native(new)


class RowData(JitValue):
    """One record of a model. `.value` is the live dict of field values."""

    datatype = "RowData"

    def __init__(self, data: dict | None = None, model: Any = None, **config: Any):
        object.__setattr__(self, "_data", dict(data or {}))
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "config", config)

    @classmethod
    def new(cls, config: dict | None = None, value: Any = None) -> "RowData":
        return cls(native(value or {}), None, **(config or {}))

    @property
    def value(self) -> dict:
        return self._data

    @value.setter
    def value(self, new: dict) -> None:
        self._data.clear()
        self._data.update(native(new or {}))

    def _datatypes(self) -> dict[str, str]:
        return getattr(self._model, "datatypes", None) or {}

    def __getattr__(self, name: str) -> RowField:
        if name.startswith("__"):
            raise AttributeError(name)
        types = self._datatypes()
        if name in types or name in self._data:
            return RowField(self, name, types.get(name) or infer_datatype(self._data.get(name)))
        owner = getattr(self._model, "full_name", "this row")
        raise AttributeError(f"{owner} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("value", "config"):
            object.__setattr__(self, name, value)
        else:
            self._data[name] = native(value)

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._data[name] = native(value)

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def keys(self):
        return self._data.keys()

    def items(self):
        return self._data.items()

    def toDict(self) -> dict:
        return dict(self._data)

    @property
    def pkData(self) -> Any:
        return self._data.get(getattr(self._model, "primary_key", "id"))

    def _bound(self):
        if self._model is None:
            raise TypeError("this RowData is not bound to a model; create it through the model, e.g. app.models.Order")
        return self._model

    def save(self, triggerEvent: int = 1) -> "RowData":
        saved = self._bound().save(self, triggerEvent=triggerEvent)
        self.value = saved.value
        return self

    def delete(self, triggerEvent: int = 1) -> int:
        return self._bound().deleteByPK(self.pkData, triggerEvent=triggerEvent)

    def update(self, triggerEvent: int = 1, **changes: Any) -> "RowData":
        self._data.update(native(changes))
        return self.save(triggerEvent=triggerEvent)

    def refresh(self) -> "RowData":
        fresh = self._bound().getByPK(self.pkData)
        if fresh is not None:
            self.value = fresh.value
        return self

    def __bool__(self) -> bool:
        return bool(self._data)

    def __eq__(self, other: Any) -> bool:
        return self._data == native(other)

    __hash__ = JitValue.__hash__

    def __repr__(self) -> str:
        owner = getattr(self._model, "full_name", "")
        return f"RowData({owner + ', ' if owner else ''}{self._data!r})"


class RowList(JitValue):
    """Records of one model: iterable RowData; `.value` is a list of dicts."""

    datatype = "RowList"

    def __init__(self, rows: list | None = None, model: Any = None, **config: Any):
        self._rows = [r if isinstance(r, RowData) else RowData(r, model) for r in (rows or [])]
        self._model, self.config = model, config

    @classmethod
    def new(cls, config: dict | None = None, value: Any = None) -> "RowList":
        return cls(native(value or []), None, **(config or {}))

    @property
    def value(self) -> list[dict]:
        return [r.value for r in self._rows]

    @value.setter
    def value(self, new: list) -> None:
        self._rows = [RowData(r, self._model) for r in native(new or [])]

    def __iter__(self) -> Iterator[RowData]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: int) -> RowData:
        return self._rows[index]

    def toDict(self) -> list[dict]:
        return [r.toDict() for r in self._rows]

    def save(self, triggerEvent: int = 1) -> "RowList":
        for row in self._rows:
            row.save(triggerEvent=triggerEvent)
        return self

    def delete(self, triggerEvent: int = 1) -> int:
        return sum(row.delete(triggerEvent=triggerEvent) for row in self._rows)

    def __bool__(self) -> bool:
        return bool(self._rows)

    def __eq__(self, other: Any) -> bool:
        return self.value == native(other)

    __hash__ = JitValue.__hash__


_CONTAINERS = (JitDict, JitList, RowData, RowList)

SCALAR_TYPES = (
    "Stext", "Ltext", "Numeric", "Money", "Percent", "RichText", "AutoInt", "Serial", "Radio", "MultiRadio",
    "Dropdown", "MultiDropdown", "Checkbox", "Date", "Datetime", "Time", "File", "Image", "Signature", "Dept",
    "MultiDept", "Member", "MultiMember", "Address", "Identify", "LicensePlate", "Phone", "Position", "Link",
    "SubTable", "RelateData", "MultiRelateData", "QFilter", "Integer", "Email", "Bool", "JitBool",
)
TYPES: dict[str, type[JitValue]] = {name: _scalar_type(name) for name in SCALAR_TYPES}
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
