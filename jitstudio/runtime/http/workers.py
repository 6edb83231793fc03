"""`jitstudio serve --workers N`: N server processes sharing one listening socket (uvicorn's supervisor).

The parent binds the socket, writes `listening`, starts the workers and, on SIGINT/SIGTERM, stops them and
writes `stopped`. Each worker is a new interpreter that builds its app from `worker_app()` (an import-string
factory) with the options the parent put in $JITSTUDIO_SERVE: it opens the Runtime, serves, and on shutdown
lets its requests finish, drains its async events and closes the Runtime, writing a `worker-stopped` line.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING, Any, Callable

from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send
from uvicorn.supervisors.multiprocess import Multiprocess

from .app import HttpApp
from ..data.db import describe
from ..execution.watchdog import HARD_GRACE_SECONDS, WATCHDOG
from .guard import Access
from .server import JsonLines, bind, uvicorn_config

if TYPE_CHECKING:
    from ..runtime import Runtime

OPTIONS_ENV = "JITSTUDIO_SERVE"
FACTORY = f"{__name__}:worker_app"


def worker_options(app_dir: str, db: str | None, access: Access, timeout: float | None, drain_timeout: float) -> str:
    return json.dumps({"dir": app_dir, "db": db, "access": access.to_json(), "timeout": timeout,
                       "drainTimeout": drain_timeout})


def worker_app() -> "WorkerApp":
    """The app of one worker process, from $JITSTUDIO_SERVE (called by uvicorn in each worker)."""
    from ..runtime import Runtime

    logging.basicConfig(level=os.environ.get("JITSTUDIO_LOG", "WARNING").upper(),
                        format="jitstudio: %(levelname)s %(name)s: %(message)s")
    options = json.loads(os.environ[OPTIONS_ENV])
    WATCHDOG.hard_grace = HARD_GRACE_SECONDS  # uvicorn's supervisor replaces a worker the hard limit ends
    runtime = Runtime(options["dir"], options["db"], async_worker=False)
    runtime.leave_async_to_workers()
    runtime.handler_timeout = options["timeout"]
    return WorkerApp(runtime, Access.from_json(options["access"]), float(options["drainTimeout"]))


class WorkerApp:
    """The HTTP app of a worker, closing its Runtime when uvicorn shuts the worker down (ASGI lifespan)."""

    def __init__(self, runtime: "Runtime", access: Access, drain_timeout: float):
        self.runtime = runtime
        self._log = JsonLines(sys.stdout)
        self.http = HttpApp(runtime, access, self._log)
        self._drain_timeout = drain_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.http(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await run_in_threadpool(self._close)
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _close(self) -> None:
        try:
            drained = self.runtime.drain(self._drain_timeout)
            pending = 0 if drained else self.runtime.pending_async()
        finally:
            self.runtime.close()
        self._log({"event": "worker-stopped", "pid": os.getpid(), "requestsFinished": self.http.in_flight == 0,
                   "drained": drained, "pendingAsync": pending})


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, remembering the signal that stopped it."""

    received: str | None = None

    def handle_int(self) -> None:
        self.received = self.received or "SIGINT"
        super().handle_int()

    def handle_term(self) -> None:
        self.received = self.received or "SIGTERM"
        super().handle_term()


def serve_workers(runtime: "Runtime", host: str, port: int, workers: int, access: Access, *,
                  log: Callable[[dict[str, Any]], None], drain_timeout: float = 10.0,
                  graceful_seconds: float = 30.0) -> dict:
    """Serve the app of the open `runtime` with `workers` processes until SIGINT/SIGTERM. The runtime stays in
    this process (it has migrated the schema once, before any worker starts) and drains what the workers
    left at the end. Raises OSError when the address cannot be bound. Returns the `stopped` line."""
    sock = bind(host, port)
    os.environ[OPTIONS_ENV] = worker_options(str(runtime.root), runtime.db_url, access.with_host(host),
                                             runtime.handler_timeout, drain_timeout)
    config = uvicorn_config(FACTORY, factory=True, workers=workers, lifespan="on",
                            timeout_graceful_shutdown=max(1, int(graceful_seconds)))
    supervisor = _Supervisor(config, sockets=[sock])
    name = sock.getsockname()
    shown = f"[{name[0]}]" if ":" in name[0] else name[0]
    log({"event": "listening", "url": f"http://{shown}:{name[1]}", "app": runtime.project.name,
         "db": describe(runtime.db_url), "signIn": access.sign_in, "workers": workers})
    try:
        supervisor.run()
    finally:
        sock.close()
    finished = all(p.exitcode in (0, -signal.SIGTERM, -signal.SIGINT) for p in supervisor.processes)
    drained = runtime.drain(drain_timeout)
    line = {"event": "stopped", "signal": supervisor.received, "workers": workers, "requestsFinished": finished,
            "drained": drained, "pendingAsync": 0 if drained else runtime.pending_async()}
    log(line)
    return line

