"""What one API call runs: the element function a URL names, its keyword arguments checked against the
functionList (`API_PARAMS_ERROR`; typed by the runtime when the function says `argsToDatatype`).

Errors leave here as `ApiError`, each with its errcode and the HTTP status the server answers with.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ...errors import JitstudioError
from ...project import ModelElement, ServiceElement
from ...project.schemas import FunctionSpec
from ..data import ModelApi, QueryError
from ..events import HandlerError
from ..shims import Code
from ..values.typedargs import DatatypeArgumentError

if TYPE_CHECKING:
    from ..runtime import Runtime

MODEL_FUNCTIONS = ("create", "get", "query", "updateByPK", "deleteByPK", "updateOrAdd", "createOrUpdateMany",
                   "updateByFilter", "deleteByFilter", "save", "delete")


@dataclass(frozen=True)
class ErrorKind:
    name: str
    errcode: int
    http_status: int


BAD_REQUEST = ErrorKind("BAD_REQUEST", 10001, 400)
API_PARAMS_ERROR = ErrorKind("API_PARAMS_ERROR", 10002, 200)
UNKNOWN_USER = ErrorKind("UNKNOWN_USER", 10003, 403)
NOT_FOUND = ErrorKind("NOT_FOUND", 10004, 404)
METHOD_NOT_ALLOWED = ErrorKind("METHOD_NOT_ALLOWED", 10005, 405)
APP_ERROR = ErrorKind("APP_ERROR", 10010, 200)
APP_BROKEN = ErrorKind("APP_BROKEN", 10050, 500)
SERVER_ERROR = ErrorKind("SERVER_ERROR", 10099, 500)


class ApiError(JitstudioError):
    """A call the server answers with an error: `errcode`, `errname` (None for an app's own Code) and status."""

    def __init__(self, kind: ErrorKind, message: str, *, errcode: Any = None):
        super().__init__(message)
        self.message = message
        self.errcode = kind.errcode if errcode is None else errcode
        self.errname = kind.name if errcode is None else None
        self.http_status = kind.http_status

    def envelope(self) -> dict[str, Any]:
        body = {"errcode": self.errcode, "errmsg": self.message, "data": None}
        if self.errname:
            body["errname"] = self.errname
        return body


def from_app_exception(exc: BaseException) -> ApiError:
    """An exception app code (a function or a sync event handler) raised, as the caller sees it: a
    `jit.errcode.Code` keeps its code and reason, a bad filter is the caller's parameter, the rest is
    APP_ERROR with the exception's own message."""
    for candidate in (exc, exc.__cause__):
        if isinstance(candidate, Code):
            return ApiError(APP_ERROR, candidate.reason or str(candidate), errcode=_code_of(candidate))
    if isinstance(exc, (QueryError, DatatypeArgumentError)):
        return ApiError(API_PARAMS_ERROR, str(exc))
    return ApiError(APP_ERROR, str(exc) or type(exc).__name__)


def _code_of(code: Code) -> Any:
    return code.code if code.code not in (None, "", 0) else APP_ERROR.errcode


@dataclass
class Target:
    """One callable element function: its full path, the argument names it takes and needs, and how to call
    it (service and custom model functions go through `Runtime.call`, which types argsToDatatype arguments)."""

    path: str
    allowed: list[str]
    required: list[str]
    invoke: Callable[[dict], Any]

    def call(self, kwargs: dict) -> Any:
        undeclared = [name for name in kwargs if name not in self.allowed]
        if undeclared:
            raise ApiError(API_PARAMS_ERROR, f"{self.path} takes no argument {_names(undeclared)}; "
                                             f"its arguments are: {', '.join(self.allowed) or 'none'}")
        missing = [name for name in self.required if name not in kwargs]
        if missing:
            raise ApiError(API_PARAMS_ERROR, f"{self.path} needs the argument {_names(missing)}; "
                                             f"its arguments are: {', '.join(self.allowed)}")
        return self.invoke(kwargs)


def _names(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)


def element_name(parts: list[str]) -> tuple[str, str]:
    """(element fullName, function name) from the URL segments after the app id: `services/OrderSvc/payOrder`,
    `services.OrderSvc/payOrder` or `services.OrderSvc.payOrder`."""
    parts = [p for p in parts if p]
    if len(parts) == 1:
        owner, _, fn = parts[0].rpartition(".")
    else:
        owner, fn = ".".join(parts[:-1]), parts[-1]
    if not owner or not fn:
        raise ApiError(BAD_REQUEST, "the URL must be /api/{orgId}/{appId}/{elementPath}/{function}, "
                                    "e.g. /api/local/shop/services/OrderSvc/payOrder")
    return owner.replace("/", "."), fn


def resolve(runtime: "Runtime", owner: str, fn: str) -> Target:
    element = runtime.project.get(owner)
    if isinstance(element, ServiceElement):
        return _service_target(runtime, element, fn)
    if isinstance(element, ModelElement) and runtime.model_api_or_none(owner) is not None:
        return _model_target(runtime, element, fn)
    if element is None:
        raise ApiError(NOT_FOUND, f"the app has no element {owner!r}")
    raise ApiError(NOT_FOUND, f"{owner} is a {element.family} element; only services and models have functions to call")


def _not_declared(owner: str, fn: str, available: list[str]) -> ApiError:
    return ApiError(NOT_FOUND, f"{owner} has no function {fn!r} in its functionList; "
                               f"callable: {', '.join(available) or 'none'}")


def _declared(spec: FunctionSpec) -> tuple[list[str], list[str]]:
    return [a.name for a in spec.args], [a.name for a in spec.args if a.required]


def _service_target(runtime: "Runtime", element: ServiceElement, fn: str) -> Target:
    spec = element.functions.get(fn)
    if spec is None:
        raise _not_declared(element.full_name, fn, list(element.functions))
    path = f"{element.full_name}.{fn}"
    try:
        runtime.function(path)
    except Exception as exc:  # noqa: BLE001 - the app's code cannot be loaded: say why, whatever it is
        raise ApiError(APP_BROKEN, f"{path} is declared but cannot be run: {exc}") from exc
    allowed, required = _declared(spec)
    return Target(path, allowed, required, lambda kwargs: runtime.call(path, (), kwargs))


def _model_target(runtime: "Runtime", element: ModelElement, fn: str) -> Target:
    api = runtime.model(element.full_name)
    path = f"{element.full_name}.{fn}"
    custom = {f.name: f for f in (element.spec.functionList if element.spec else [])}
    if fn in custom:
        spec = custom[fn]
        try:
            runtime.function(path)
        except HandlerError as exc:
            raise ApiError(APP_BROKEN, str(exc)) from exc
        allowed, required = _declared(spec)
        return Target(path, allowed, required, lambda kwargs: runtime.call(path, (), kwargs))
    if fn not in MODEL_FUNCTIONS:
        raise _not_declared(element.full_name, fn, [*MODEL_FUNCTIONS, *custom])
    params = list(inspect.signature(getattr(ModelApi, fn)).parameters.values())[1:]
    allowed = [p.name for p in params]
    required = [p.name for p in params if p.default is inspect.Parameter.empty]
    method = getattr(api, fn)
    return Target(path, allowed, required, lambda kwargs: method(**kwargs))
