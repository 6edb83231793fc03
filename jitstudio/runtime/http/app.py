"""The app's HTTP API as an ASGI application (Starlette): JitAI's calls, `/health`, `/ready` and the records
endpoints, behind the checks of `guard` and with one JSON log line per request.

Every answer is JitAI's envelope `{"errcode", "errmsg", "data"}` (plus `errname` for the server's own
errors); `/health` answers a plain object. App code runs in the thread pool, bound to the runtime and acting
as the user the bearer token signs in.
"""
from __future__ import annotations

import json
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from .. import shims
from ._calls import (
    BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_FOUND, NOT_READY, NOT_SIGNED_IN, TOO_LARGE, ApiError, element_name,
    from_app_exception, resolve, server_fault,
)
from .guard import Access, check_content_length, check_json_content_type, json_object
from .records_api import list_records, record_detail
from .tokens import TokenStore
from ..data.db import describe
from ..values import to_json

if TYPE_CHECKING:
    from ..runtime import Runtime

log = logging.getLogger(__name__)

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CALL_PATH = "/api/{orgId}/{appId}/{elementPath}/{function}"


class JsonAnswer(Response):
    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


class HttpApp:
    """The ASGI application over one open Runtime. `log` receives one dict per request (None: no log)."""

    def __init__(self, runtime: "Runtime", access: Access | None = None,
                 log: Callable[[dict[str, Any]], None] | None = None):
        self.runtime = runtime
        self.access = access or Access()
        self._log = log
        users = {u.name for u in (runtime.project.app.users if runtime.project.app else [])}
        self.tokens = TokenStore(runtime.engine, users)
        self.in_flight = 0
        self._router = Starlette(routes=[
            Route("/health", self.health, methods=ALL_METHODS),
            Route("/ready", self.ready, methods=ALL_METHODS),
            Route("/api/records", self.records, methods=ALL_METHODS),
            Route("/api/records/{record_id}", self.record, methods=ALL_METHODS),
            Route("/api/{rest:path}", self.call, methods=ALL_METHODS),
        ], exception_handlers={HTTPException: self._not_routed})

    # -- the guard and the log around every request ---------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._router(scope, receive, send)
            return
        started = time.perf_counter()
        ctx: dict[str, Any] = {"id": secrets.token_hex(6), "user": None, "errcode": None, "errmsg": None}
        scope["jitstudio"] = ctx
        headers = Headers(scope=scope)
        extra = [(b"x-request-id", ctx["id"].encode())]

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
                self._log_line(scope, ctx, message["status"], started)
            await send(message)

        self.in_flight += 1
        try:
            try:
                self.access.check_host(headers.get("host"))
                cross_origin = self.access.check_origin(headers.get("origin"), headers.get("host"))
            except ApiError as exc:
                await self.error(exc, ctx)(scope, receive, answer)
                return
            if cross_origin:
                extra += [(b"access-control-allow-origin", headers["origin"].encode()), (b"vary", b"Origin")]
                if scope["method"] == "OPTIONS":
                    extra += [(b"access-control-allow-methods", b"GET, POST"), (b"access-control-max-age", b"600"),
                              (b"access-control-allow-headers", b"Authorization, Content-Type")]
                    await Response(status_code=204)(scope, receive, answer)
                    return
            await self._router(scope, receive, answer)
        finally:
            self.in_flight -= 1

    def _log_line(self, scope: Scope, ctx: dict[str, Any], status: int, started: float) -> None:
        if self._log is None:
            return
        line: dict[str, Any] = {"event": "request", "id": ctx["id"], "method": scope["method"], "path": scope["path"],
                                "status": status, "ms": round((time.perf_counter() - started) * 1000, 1),
                                "user": ctx["user"]}
        if ctx["errcode"] is not None:
            line["errcode"] = ctx["errcode"]
            if ctx["errcode"] != 0:
                line["errmsg"] = str(ctx["errmsg"])[:300]
        self._log(line)

    def error(self, exc: ApiError, ctx: dict[str, Any]) -> JsonAnswer:
        ctx["errcode"], ctx["errmsg"] = exc.errcode, exc.message
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return JsonAnswer(exc.envelope(), status_code=exc.http_status, headers=headers)

    def ok(self, data: Any, ctx: dict[str, Any]) -> JsonAnswer:
        ctx["errcode"] = 0
        return JsonAnswer({"errcode": 0, "errmsg": "", "data": data})

    async def _not_routed(self, request: Request, exc: Exception) -> Response:
        return self.error(ApiError(NOT_FOUND, f"no such path {request.url.path!r}; call POST {CALL_PATH}, "
                                              "GET /health, /ready or /api/records"), request.scope["jitstudio"])

    async def _guarded(self, request: Request, work: Callable[[], Any], *, threaded: bool = True) -> Response:
        ctx = request.scope["jitstudio"]
        try:
            return self.ok(await run_in_threadpool(work) if threaded else work(), ctx)
        except ApiError as exc:
            return self.error(exc, ctx)
        except Exception as exc:  # noqa: BLE001 - a fault of the server still gets an envelope, without internals
            return self.error(server_fault(exc, ctx["id"]), ctx)

    # -- endpoints ---------------------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return self.error(ApiError(METHOD_NOT_ALLOWED, "GET /health"), request.scope["jitstudio"])
        body = {"app": self.runtime.project.name, "status": "running"}
        if not self.access.sign_in:
            body["db"] = describe(self.runtime.db_url)
        return JsonAnswer(body)

    async def ready(self, request: Request) -> Response:
        ctx = request.scope["jitstudio"]
        if request.method not in ("GET", "HEAD"):
            return self.error(ApiError(METHOD_NOT_ALLOWED, "GET /ready"), ctx)
        try:
            await run_in_threadpool(self._ping_database)
        except Exception as exc:  # noqa: BLE001 - whatever the database says, the answer is "not ready"
            log.error("request %s: the database does not answer: %s", ctx["id"], exc)
            return self.error(ApiError(NOT_READY, f"the database does not answer (request id {ctx['id']})"), ctx)
        return self.ok({"app": self.runtime.project.name, "status": "ready"}, ctx)

    def _ping_database(self) -> None:
        with self.runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    async def records(self, request: Request) -> Response:
        return await self._tool_read(request, lambda: list_records(self.runtime.records, request.query_params))

    async def record(self, request: Request) -> Response:
        record_id = request.path_params["record_id"]
        return await self._tool_read(request, lambda: record_detail(self.runtime.records, record_id))

    async def _tool_read(self, request: Request, read: Callable[[], Any]) -> Response:
        ctx = request.scope["jitstudio"]
        if request.method != "GET":
            return self.error(ApiError(METHOD_NOT_ALLOWED, f"GET {request.url.path}"), ctx)
        authorization = request.headers.get("authorization")

        def work() -> Any:
            ctx["user"] = self._signed_in(authorization)
            if self.access.sign_in and ctx["user"] is None:
                raise _sign_in_needed()
            return to_json(read())
        return await self._guarded(request, work)

    async def call(self, request: Request) -> Response:
        ctx = request.scope["jitstudio"]
        try:
            if request.method != "POST":
                raise ApiError(METHOD_NOT_ALLOWED, f"{request.method} {request.url.path}: app functions are called "
                                                   "with POST and a JSON object of keyword arguments")
            check_json_content_type(request.headers.get("content-type"))
            check_content_length(request.headers.get("content-length"), self.access.max_body)
            body = await self._body(request)
        except ApiError as exc:
            return self.error(exc, ctx)
        path, authorization = request.url.path, request.headers.get("authorization")
        return await self._guarded(request, lambda: self._call(path, authorization, body, ctx))

    async def _body(self, request: Request) -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.access.max_body:
                raise ApiError(TOO_LARGE, f"the body is over {self.access.max_body} bytes, the most accepted")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- the work, in the thread pool --------------------------------------------------------------------------

    def _signed_in(self, authorization: str | None) -> str | None:
        """The user a bearer token signs in; None without one. A token that does not sign in is refused."""
        if authorization is None:
            return None
        scheme, _, token = authorization.partition(" ")
        user = self.tokens.user_of(token) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(NOT_SIGNED_IN, "the Authorization header does not sign in: send Authorization: Bearer "
                                          "<token> with a token of `jitstudio token create DIR USER` not revoked")
        return user

    def _call(self, path: str, authorization: str | None, body: bytes, ctx: dict[str, Any]) -> Any:
        ctx["user"] = user = self._signed_in(authorization)
        anonymous = self.access.sign_in and user is None
        try:
            target = resolve(self.runtime, *self._function_of(path))
        except ApiError:
            if anonymous:  # what an app offers is not told to callers who have not signed in
                raise _sign_in_needed() from None
            raise
        if anonymous and target.login_required:
            raise _sign_in_needed()
        kwargs = json_object(body)
        bound = self.runtime.bind()
        user_token = shims.set_user(user) if user is not None else None
        try:
            try:
                result = target.call(kwargs)
            except ApiError:
                raise
            except Exception as exc:  # noqa: BLE001 - whatever app code raised is the caller's answer
                raise from_app_exception(exc, ctx["id"]) from exc
            return to_json(result)
        finally:
            if user_token is not None:
                user_token.var.reset(user_token)
            self.runtime.unbind(bound)

    def _function_of(self, path: str) -> tuple[str, str]:
        name = self.runtime.project.name
        segments = path[len("/api/"):].split("/")
        if len(segments) < 3:
            raise ApiError(BAD_REQUEST, f"the URL must be {CALL_PATH}, e.g. /api/local/{name}/services/OrderSvc/payOrder")
        if segments[1] != name:
            raise ApiError(NOT_FOUND, f"this server runs the app {name!r}, not {segments[1]!r}; call /api/{{orgId}}/{name}/…")
        return element_name(segments[2:])


def _sign_in_needed() -> ApiError:
    return ApiError(NOT_SIGNED_IN, "sign in first: send Authorization: Bearer <token> (an app admin makes one with "
                                   "`jitstudio token create DIR USER`)")
