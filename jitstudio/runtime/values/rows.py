"""RowData (one record of a model, `.value` the live dict of its fields), its fields and RowList."""
from __future__ import annotations

from typing import Any, Iterator

from ._base import JitValue, infer_datatype, native


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
