"""An app served over local HTTP, JitAI's way: `POST /api/{orgId}/{appId}/{elementPath}/{fn}` with a JSON
object of keyword arguments calls a service function or a model function and answers
`{"errcode": 0, "errmsg": "", "data": ...}`; `GET /health` says which app runs on which database.

`AppServer(runtime, port=0).start()` serves in a background thread (tests, embedding);
`run_until_stopped(server, ...)` serves until SIGINT/SIGTERM, then lets the requests in flight finish and
drains the async events, writing one JSON line per happening (listening, each request, stopped).
"""
from __future__ import annotations

import json
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable, TextIO
from urllib.parse import unquote, urlsplit

from .. import shims
from ._calls import (
    BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_FOUND, SERVER_ERROR, UNKNOWN_USER, ApiError, element_name,
    from_app_exception, resolve,
)
from ..data.db import describe
from ..values import to_json

if TYPE_CHECKING:
    from ..runtime import Runtime

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY_BYTES = 16 * 1024 * 1024
USER_HEADER = "X-Jit-User"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class JsonLines:
    """One JSON object per line on a text stream, flushed at once, safe from many threads."""

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream if stream is not None else sys.stdout
        self._lock = threading.Lock()

    def __call__(self, line: dict[str, Any]) -> None:
        text = json.dumps(line, default=str)
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()


class AppServer:
    """A ThreadingHTTPServer over one open Runtime. The socket is bound when this is made (port 0: a free
    one, see `port`/`url`); `start()` or `serve_forever()` serves; `stop()` ends it and waits for the
    requests in flight. The runtime stays open: whoever opened it closes it."""

    def __init__(self, runtime: "Runtime", host: str = DEFAULT_HOST, port: int = 0, *,
                 log: Callable[[dict[str, Any]], None] | None = None):
        self.runtime = runtime
        self._log = log
        self._users = {u.name for u in (runtime.project.app.users if runtime.project.app else [])}
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()
        self._in_flight = 0
        self._idle = threading.Condition()

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> "AppServer":
        """Serve in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve_forever, name="jitstudio-http", daemon=True)
            self._thread.start()
            self._serving.wait(5)
        return self

    def serve_forever(self) -> None:
        self._serving.set()
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._serving.clear()

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop accepting requests, close the socket and wait up to `timeout` seconds for the requests in
        flight; False if some were still running."""
        if self._serving.is_set():
            self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            return self._in_flight == 0

    # -- answering ------------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return {"app": self.runtime.project.name, "status": "running", "db": describe(self.runtime.db_url)}

    def answer(self, method: str, target: str, headers: Any, body: bytes) -> tuple[int, dict]:
        """(HTTP status, JSON body) for one request."""
        path = urlsplit(target).path
        if path in ("/health", "/health/"):
            if method not in ("GET", "HEAD"):
                return _error(ApiError(METHOD_NOT_ALLOWED, "GET /health"))
            return HTTPStatus.OK, self.health()
        if not path.startswith("/api/"):
            return _error(ApiError(NOT_FOUND, f"no such path {path!r}; call POST /api/{{orgId}}/{{appId}}/"
                                              f"{{elementPath}}/{{function}} or GET /health"))
        if method != "POST":
            return _error(ApiError(METHOD_NOT_ALLOWED, f"{method} {path}: app functions are called with POST "
                                                       "and a JSON object of keyword arguments"))
        try:
            return HTTPStatus.OK, {"errcode": 0, "errmsg": "", "data": self._call(path, headers, body)}
        except ApiError as exc:
            return _error(exc)

    def _call(self, path: str, headers: Any, body: bytes) -> Any:
        segments = [unquote(s) for s in path[len("/api/"):].split("/")]
        if len(segments) < 3:
            raise ApiError(BAD_REQUEST, "the URL must be /api/{orgId}/{appId}/{elementPath}/{function}, "
                                        f"e.g. /api/local/{self.runtime.project.name}/services/OrderSvc/payOrder")
        app_id = segments[1]
        if app_id != self.runtime.project.name:
            raise ApiError(NOT_FOUND, f"this server runs the app {self.runtime.project.name!r}, "
                                      f"not {app_id!r}; call /api/{{orgId}}/{self.runtime.project.name}/…")
        owner, fn = element_name(segments[2:])
        kwargs = _json_object(body)
        user = headers.get(USER_HEADER)
        if user is not None and self._users and user not in self._users:
            raise ApiError(UNKNOWN_USER, f"{USER_HEADER}: {user!r} is not a user of this app; "
                                         f"users: {', '.join(sorted(self._users))}")
        token = self.runtime.bind()
        user_token = shims.set_user(user) if user else None
        try:
            target = resolve(self.runtime, owner, fn)
            try:
                result = target.call(kwargs)
            except ApiError:
                raise
            except Exception as exc:  # noqa: BLE001 - whatever app code raised is the caller's answer
                raise from_app_exception(exc) from exc
            return to_json(result)
        finally:
            if user_token is not None:
                user_token.var.reset(user_token)
            self.runtime.unbind(token)

    # -- bookkeeping the handler calls --------------------------------------------------------------------------

    def begin_request(self) -> None:
        with self._idle:
            self._in_flight += 1

    def end_request(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def log(self, line: dict[str, Any]) -> None:
        if self._log is not None:
            self._log(line)


def _json_object(body: bytes) -> dict:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise ApiError(BAD_REQUEST, f"the body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ApiError(BAD_REQUEST, "the body must be a JSON object of keyword arguments, "
                                    f"e.g. {{\"orderId\": 1}}, not a JSON {type(value).__name__}")
    return value


def _error(exc: ApiError) -> tuple[int, dict]:
    return exc.http_status, exc.envelope()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app_server: AppServer):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app_server = app_server
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "jitstudio"
    timeout = 30

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self, send_body: bool = True) -> None:
        app = self.server.app_server
        started = time.perf_counter()
        app.begin_request()
        try:
            try:
                # Read first: a connection closed with the body unread can reset before the answer arrives.
                request_body = self._read_body()
                status, body = app.answer(self.command, self.path, self.headers, request_body)
            except ApiError as exc:
                status, body = _error(exc)
            except Exception as exc:  # noqa: BLE001 - a fault of the server itself still gets a JSON answer
                status, body = _error(ApiError(SERVER_ERROR, f"{type(exc).__name__}: {exc}"))
            # Logged before the answer goes out, so a client that has its answer finds the line written.
            app.log(self._line(int(status), body, started))
            self._send(int(status), body, send_body)
        finally:
            app.end_request()

    def _line(self, status: int, body: dict, started: float) -> dict[str, Any]:
        line = {"event": "request", "method": self.command, "path": urlsplit(self.path).path, "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1)}
        if "errcode" in body:
            line["errcode"] = body["errcode"]
            if body["errcode"] != 0:
                line["errmsg"] = str(body.get("errmsg", ""))[:300]
        return line

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise ApiError(BAD_REQUEST, f"Content-Length {length!r} is not a number") from None
        if size > MAX_BODY_BYTES:
            raise ApiError(BAD_REQUEST, f"the body is {size} bytes; at most {MAX_BODY_BYTES} are accepted")
        return self.rfile.read(size)

    def _send(self, status: int, body: dict, send_body: bool) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if send_body:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away; the call itself has run and is logged

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are logged as JSON lines by the server; the default stderr line is not wanted."""


# -- running until told to stop --------------------------------------------------------------------------------

STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


def run_until_stopped(server: AppServer, log: Callable[[dict[str, Any]], None], *, drain_timeout: float = 10.0) -> dict:
    """Serve until SIGINT or SIGTERM (call from the main thread), then stop: requests in flight finish,
    queued async events run (up to `drain_timeout` seconds). Logs `listening` first and `stopped` last;
    returns the `stopped` line."""
    stop = threading.Event()
    received: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        server.start()
        log({"event": "listening", "url": server.url, "app": server.runtime.project.name,
             "db": describe(server.runtime.db_url)})
        while not stop.wait(0.25):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        finished = server.stop()
        drained = server.runtime.drain(drain_timeout)
    line = {"event": "stopped", "signal": received[0] if received else None, "requestsFinished": finished,
            "drained": drained, "pendingAsync": 0 if drained else server.runtime.pending_async()}
    log(line)
    return line


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")
