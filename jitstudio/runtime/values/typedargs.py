"""`argsToDatatype`: a service function whose functionList entry says `argsToDatatype: 1` (or true) receives
its arguments as datatype objects (`.value` holds the native value), whether the caller passed raw values or
objects. Arguments are matched to the entry's `args` by position and by name: rows are bound to the model
their `generic` names, JitDict/JitMap get their variableList, scalars are `datatypes.<T>.new({}, value)`;
an argument the entry does not declare gets the datatype of its value. Objects are passed as they are.
"""
from __future__ import annotations

from typing import Any, Mapping

from ...errors import AppError
from ...project import ModelElement, Project, ServiceElement
from ...project.schemas.common import ArgSpec, FunctionSpec
from .containers import TYPES, JitList, JitValue, RowData, RowList, native, wrap


class DatatypeArgumentError(AppError, TypeError):
    """An argument that cannot be the datatype its functionList entry declares; names the function and argument."""


class TypedArgs:
    """argsToDatatype for one app: `project` says which functions ask for it, `models` binds rows to the data
    API of the model their `generic` names."""

    def __init__(self, project: Project, models: Mapping[str, Any]):
        self._project = project
        self._models = models
        self._specs: dict[str, FunctionSpec | None] = {}

    def spec(self, path: str) -> FunctionSpec | None:
        """The functionList entry of `services.Svc.fn` (or a model's `models.M.fn`) when it asks for datatype
        arguments, else None."""
        try:
            return self._specs[path]
        except KeyError:
            pass
        owner, _, name = path.rpartition(".")
        element = self._project.get(owner)
        found = None
        if isinstance(element, (ServiceElement, ModelElement)) and element.spec is not None:
            entry = next((f for f in element.spec.functionList if f.name == name), None)
            found = entry if entry is not None and entry.argsToDatatype else None
        self._specs[path] = found
        return found

    def convert(self, path: str, spec: FunctionSpec, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """`args` and `kwargs` as the datatype objects `spec` declares."""
        declared = spec.args
        typed_args = tuple(self._typed(path, declared[n] if n < len(declared) else None, value)
                           for n, value in enumerate(args))
        return typed_args, self.convert_kwargs(path, declared, kwargs)

    def convert_kwargs(self, path: str, declared: list[ArgSpec], kwargs: dict) -> dict:
        """Keyword arguments as the datatype objects of the declared arguments (undeclared ones wrapped)."""
        by_name = {arg.name: arg for arg in declared}
        return {key: self._typed(path, by_name.get(key), value) for key, value in kwargs.items()}

    def _typed(self, path: str, arg: ArgSpec | None, value: Any) -> Any:
        if isinstance(value, JitValue):
            return value
        if arg is None:
            return wrap(value)
        datatype = arg.dataType or "Stext"
        extra = arg.extra_keys()
        config = extra.get("variableConfig") or {}
        variables = config.get("variableList") or extra.get("variableList") or []
        if datatype in ("RowData", "RowList"):
            model = self._models.get(arg.generic) if arg.generic else None
            if datatype == "RowData":
                _expect(path, arg, value, dict, "a dict of field values")
                return RowData(native(value) or {}, model)
            _expect(path, arg, value, (list, tuple), "a list of rows")
            return RowList(list(native(value) or []), model)
        if datatype in ("JitDict", "JitMap"):
            _expect(path, arg, value, dict, "a dict")
            return TYPES[datatype].new({"variableList": variables}, value)
        if datatype == "JitList":
            _expect(path, arg, value, (list, tuple), "a list")
            return JitList.new({"generic": arg.generic, "variableConfig": config}, value)
        cls = TYPES.get(datatype)
        return cls.new({}, value) if cls is not None else wrap(value)


def _expect(path: str, arg: ArgSpec, value: Any, kind: type | tuple[type, ...], what: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise DatatypeArgumentError(f"{path}: argument {arg.name!r} is a {arg.dataType} (argsToDatatype); "
                                    f"pass {what}, not {type(value).__name__}")
