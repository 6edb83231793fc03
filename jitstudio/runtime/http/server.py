"""An app served over HTTP by uvicorn, JitAI's way: `POST /api/{orgId}/{appId}/{elementPath}/{fn}` with a JSON
object of keyword arguments calls a service or model function and answers `{"errcode": 0, "errmsg": "",
"data": ...}`; `GET /health` says the server is alive, `GET /ready` that its database answers.

`AppServer(runtime, port=0).start()` serves in a background thread (tests, the IDE, `jitstudio run`);
`run_until_stopped(server, log)` serves until SIGINT/SIGTERM, lets the requests in flight finish, then drains
the async events, writing one JSON line per happening (listening, each request, stopped).
"""
from __future__ import annotations

import contextlib
import json
import signal
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, TextIO

import uvicorn

from .app import HttpApp
from .guard import Access, is_loopback
from .protocol import PROTOCOL
from ..data.db import describe

if TYPE_CHECKING:
    from ..runtime import Runtime

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
BACKLOG = 2048
KEEP_ALIVE_SECONDS = 5

__all__ = ["BACKLOG", "DEFAULT_HOST", "DEFAULT_PORT", "AppServer", "JsonLines", "bind", "is_loopback",
           "run_until_stopped", "uvicorn_config"]


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


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0: a free one); connections queue in its backlog until served."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Any, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for the app: HTTP/1.1 keep-alive with JSON answers to unreadable requests, a large
    backlog, no access log of its own (the app writes one JSON line per request), no lifespan unless asked."""
    defaults: dict[str, Any] = {"http": PROTOCOL, "ws": "none", "lifespan": "off", "log_config": None,
                                "access_log": False, "backlog": BACKLOG, "timeout_keep_alive": KEEP_ALIVE_SECONDS,
                                "server_header": False, "proxy_headers": False}
    return uvicorn.Config(app, **{**defaults, **options})


class _Server(uvicorn.Server):
    """uvicorn's server without its signal handling: whoever runs it decides when it stops."""

    def capture_signals(self):
        return contextlib.nullcontext()


class AppServer:
    """uvicorn serving one open Runtime. The socket is bound when this is made (port 0: a free one, see
    `port`/`url`); `start()` serves in a background thread, `serve()` in this one; `stop()` stops taking
    requests, lets those in flight finish and returns whether they all did. The runtime stays open: whoever
    opened it closes it. `access`: sign-in, allowed hosts and origins (default: no sign-in, loopback hosts)."""

    def __init__(self, runtime: "Runtime", host: str = DEFAULT_HOST, port: int = 0, *,
                 log: Callable[[dict[str, Any]], None] | None = None, access: Access | None = None,
                 graceful_seconds: float = 30.0):
        self.runtime = runtime
        self.app = HttpApp(runtime, (access or Access()).with_host(host), log)
        self._sock = bind(host, port)
        config = uvicorn_config(self.app, timeout_graceful_shutdown=max(1, int(graceful_seconds)))
        self._server = _Server(config)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._sock.getsockname()[0])

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 10.0) -> "AppServer":
        """Serve in a background thread; returns once the server accepts connections."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve, name="jitstudio-http", daemon=True)
            self._thread.start()
            deadline = time.monotonic() + timeout
            while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
        return self

    def serve(self) -> None:
        self._server.run(sockets=[self._sock])

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop taking requests and wait up to `timeout` seconds for those in flight; False if some were
        still running."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._sock.close()
        return self.app.in_flight == 0


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
             "db": describe(server.runtime.db_url), "signIn": server.app.access.sign_in})
        while not stop.wait(0.25):
            pass
    finally:
        finished = server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        drained = server.runtime.drain(drain_timeout)
    line = {"event": "stopped", "signal": received[0] if received else None, "requestsFinished": finished,
            "drained": drained, "pendingAsync": 0 if drained else server.runtime.pending_async()}
    log(line)
    return line
