"""What one API call runs: the element function a URL names, its keyword arguments checked against the
functionList (`API_PARAMS_ERROR`; typed by the runtime when the function says `argsToDatatype`), whether it
needs a signed-in caller (`loginRequired`, default 1) and whether HTTP may call it at all (`accessModifier`:
`private` never; the filter writes `updateByFilter`/`deleteByFilter` only when their functionList entry says
`public`).

Errors leave here as `ApiError`, each with its errcode and the HTTP status the server answers with.
"""
from __future__ import annotations

import inspect
import logging
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ...errors import JitstudioError
from ...project import ModelElement, ServiceElement
from ...project.schemas import FunctionSpec
from ..data import ModelApi, QueryError
from ..events import HandlerError
from ..shims import Code
from ..values import native
from ..values.typedargs import DatatypeArgumentError

if TYPE_CHECKING:
    from ..runtime import Runtime

OPT_IN_FUNCTIONS = ("updateByFilter", "deleteByFilter")
log = logging.getLogger(__name__)

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
NOT_SIGNED_IN = ErrorKind("NOT_SIGNED_IN", 10011, 401)
FORBIDDEN = ErrorKind("FORBIDDEN", 10012, 403)
HOST_NOT_ALLOWED = ErrorKind("HOST_NOT_ALLOWED", 10013, 421)
ORIGIN_NOT_ALLOWED = ErrorKind("ORIGIN_NOT_ALLOWED", 10014, 403)
UNSUPPORTED_MEDIA_TYPE = ErrorKind("UNSUPPORTED_MEDIA_TYPE", 10015, 415)
TOO_LARGE = ErrorKind("TOO_LARGE", 10016, 413)
DATA_CONFLICT = ErrorKind("DATA_CONFLICT", 10020, 409)
DATABASE_ERROR = ErrorKind("DATABASE_ERROR", 10021, 500)
NOT_READY = ErrorKind("NOT_READY", 10030, 503)
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


def from_app_exception(exc: BaseException, request_id: str = "") -> ApiError:
    """An exception app code (a function or a sync event handler) raised, as the caller sees it: a
    `jit.errcode.Code` keeps its code and reason, a bad filter is the caller's parameter, a database failure
    is a server fault (see `server_fault`), the rest is APP_ERROR with the exception's own message."""
    for candidate in (exc, exc.__cause__):
        if isinstance(candidate, Code):
            return ApiError(APP_ERROR, candidate.reason or str(candidate), errcode=_code_of(candidate))
    if isinstance(exc, (QueryError, DatatypeArgumentError)):
        return ApiError(API_PARAMS_ERROR, str(exc))
    if database_fault(exc) is not None:
        return server_fault(exc, request_id)
    return ApiError(APP_ERROR, str(exc) or type(exc).__name__)


def database_fault(exc: BaseException) -> BaseException | None:
    """The database error behind `exc` (itself, its cause or the error it was raised while handling)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (SQLAlchemyError, sqlite3.Error)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def server_fault(exc: BaseException, request_id: str) -> ApiError:
    """A failure whose text may hold SQL, parameters or Python internals: the caller gets a generic message
    with the request id, the server log (stderr) the whole text under that id."""
    log.error("request %s failed: %s: %s", request_id, type(exc).__name__, exc, exc_info=exc)
    fault = database_fault(exc)
    where = f"request id {request_id}; the server log has the details"
    if isinstance(fault, (IntegrityError, sqlite3.IntegrityError)):
        return ApiError(DATA_CONFLICT, "the database refused the write: it breaks a rule of the data (a unique "
                                       f"field, a required value or a reference) ({where})")
    if fault is not None:
        return ApiError(DATABASE_ERROR, f"the database failed to answer ({where})")
    return ApiError(SERVER_ERROR, f"the server failed ({where})")


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
    login_required: bool = True

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
    _refuse_private(path, spec)
    return Target(path, allowed, required, lambda kwargs: runtime.call(path, (), kwargs), _login_required(spec))


def _login_required(spec: FunctionSpec | None) -> bool:
    return True if spec is None else bool(spec.loginRequired)


def _access(spec: FunctionSpec | None) -> Any:
    return None if spec is None else spec.extra_keys().get("accessModifier")


def _refuse_private(path: str, spec: FunctionSpec) -> None:
    if _access(spec) == "private":
        raise ApiError(FORBIDDEN, f"{path} is private (its functionList entry says \"accessModifier\": \"private\"); "
                                  "app code can call it, HTTP cannot")


def _model_target(runtime: "Runtime", element: ModelElement, fn: str) -> Target:
    api = runtime.model(element.full_name)
    path = f"{element.full_name}.{fn}"
    custom = {f.name: f for f in (element.spec.functionList if element.spec else [])}
    entry = custom.get(fn)
    if entry is not None:
        _refuse_private(path, entry)
    if entry is not None and fn not in MODEL_FUNCTIONS:
        try:
            runtime.function(path)
        except HandlerError as exc:
            raise ApiError(APP_BROKEN, str(exc)) from exc
        allowed, required = _declared(entry)
        return Target(path, allowed, required, lambda kwargs: runtime.call(path, (), kwargs), _login_required(entry))
    if fn not in MODEL_FUNCTIONS:
        raise _not_declared(element.full_name, fn, [*MODEL_FUNCTIONS, *custom])
    if fn in OPT_IN_FUNCTIONS and _access(entry) != "public":
        raise ApiError(FORBIDDEN, f"{path} writes every row a filter matches and fires no model events, so HTTP may "
                                  f"call it only when the model opts in: add {{\"name\": \"{fn}\", \"accessModifier\": "
                                  f"\"public\"}} to the functionList of {element.full_name.replace('.', '/')}/e.json")
    params = list(inspect.signature(getattr(ModelApi, fn)).parameters.values())[1:]
    allowed = [p.name for p in params]
    required = [p.name for p in params if p.default is inspect.Parameter.empty]
    method = getattr(api, fn)
    invoke = (lambda kwargs: method(**kwargs)) if fn != "updateByFilter" else _keeping_primary_key(api, method)
    return Target(path, allowed, required, invoke, _login_required(entry))


def _keeping_primary_key(api: ModelApi, method: Callable[..., Any]) -> Callable[[dict], Any]:
    """updateByFilter as HTTP may call it: like updateByPK, it never changes a row's primary key."""
    def invoke(kwargs: dict) -> Any:
        data = native(kwargs.get("updateData"))
        if isinstance(data, dict) and api.primary_key in data:
            raise ApiError(API_PARAMS_ERROR, f"{api.full_name}.updateByFilter cannot change the primary key "
                                             f"{api.primary_key!r}; updateByPK never changes it either")
        return method(**kwargs)
    return invoke
