"""`argsToDatatype`: a service function whose functionList entry says `argsToDatatype: 1` (or true) receives
its arguments as datatype objects (`.value` holds the native value), whether the caller passed raw values or
objects. Arguments are matched to the entry's `args` by position and by name: rows are bound to the model
their `generic` names, JitDict/JitMap get their variableList, scalars are `datatypes.<T>.new({}, value)`;
an argument the entry does not declare gets the datatype of its value. Objects are passed as they are.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ...project import ServiceElement
from ...project.schemas.common import ArgSpec, FunctionSpec
from .containers import TYPES, JitList, JitValue, RowData, RowList, native, wrap

if TYPE_CHECKING:
    from ..runtime import Runtime


class DatatypeArgumentError(TypeError):
    """An argument that cannot be the datatype its functionList entry declares; names the function and argument."""


def typed_spec(runtime: "Runtime", path: str) -> FunctionSpec | None:
    """The functionList entry of `services.Svc.fn` when it asks for datatype arguments, else None."""
    owner, _, name = path.rpartition(".")
    element = runtime.project.get(owner)
    if not isinstance(element, ServiceElement):
        return None
    spec = element.functions.get(name)
    return spec if spec is not None and spec.argsToDatatype else None


def to_datatypes(runtime: "Runtime", path: str, spec: FunctionSpec, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """`args` and `kwargs` as the datatype objects `spec` declares."""
    declared = spec.args
    typed_args = tuple(_typed(runtime, path, declared[n] if n < len(declared) else None, value)
                       for n, value in enumerate(args))
    return typed_args, typed_kwargs(runtime, path, declared, kwargs)


def typed_kwargs(runtime: "Runtime", path: str, declared: list[ArgSpec], kwargs: dict) -> dict:
    """Keyword arguments as the datatype objects of the declared arguments (undeclared ones wrapped)."""
    by_name = {arg.name: arg for arg in declared}
    return {key: _typed(runtime, path, by_name.get(key), value) for key, value in kwargs.items()}


def typed_call(runtime: "Runtime", path: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn`, converting its arguments when its functionList entry says argsToDatatype; else `fn` itself."""
    spec = typed_spec(runtime, path)
    if spec is None:
        return fn

    def call(*args: Any, **kwargs: Any) -> Any:
        typed_args, typed_kwargs = to_datatypes(runtime, path, spec, args, kwargs)
        return fn(*typed_args, **typed_kwargs)

    call.__name__ = getattr(fn, "__name__", path.rpartition(".")[2])
    return call


def _typed(runtime: "Runtime", path: str, arg: ArgSpec | None, value: Any) -> Any:
    if isinstance(value, JitValue):
        return value
    if arg is None:
        return wrap(value)
    datatype = arg.dataType or "Stext"
    extra = arg.extra_keys()
    config = extra.get("variableConfig") or {}
    variables = config.get("variableList") or extra.get("variableList") or []
    if datatype in ("RowData", "RowList"):
        model = runtime.model_api_or_none(arg.generic) if arg.generic else None
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
