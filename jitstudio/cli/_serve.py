"""`jitstudio run DIR` (the developer's local server) and `jitstudio serve DIR --workers N` (signed-in users,
several processes): the app over HTTP until SIGINT/SIGTERM.

Standard output is JSON lines: `{"event": "listening", "url": ...}` first, one `{"event": "request", ...}`
per call, `{"event": "stopped", ...}` last. Exit status: 0 stopped cleanly, 2 the app or the address cannot
be opened, or the server would be open to a network without sign-in (the reason is printed to standard error).
"""
from __future__ import annotations

import sys

from ._common import SERVER_TIMEOUT, limit_handlers, open_runtime

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _refusal(args, sign_in: bool) -> str | None:
    from ..runtime.http import is_loopback

    if not 0 <= args.port <= 65535:
        return f"--port {args.port} is not a port number (0-65535; 0 picks a free one)"
    if getattr(args, "workers", 1) < 1:
        return f"--workers {args.workers} must be at least 1"
    if args.timeout is not None and args.timeout <= 0:
        return f"--timeout {args.timeout} must be a number of seconds above 0"
    if not sign_in and not is_loopback(args.host):
        return (f"refusing to serve on {args.host} without sign-in: anyone who can reach that address could call "
                "the app's functions. Pass --auth token (and give users tokens with `jitstudio token create DIR "
                "USER`), or use `jitstudio serve`")
    return None


def _serve(args, sign_in: bool, workers: int) -> int:
    from ..runtime.http import Access, AppServer, JsonLines, run_until_stopped
    from ..runtime.http.workers import serve_workers

    refusal = _refusal(args, sign_in)
    if refusal:
        print(f"jitstudio: {refusal}", file=sys.stderr)
        return 2
    runtime = open_runtime(args, async_worker=False)
    if runtime is None:
        return 2
    try:
        if args.command == "serve":
            runtime.leave_async_to_workers()
        else:
            runtime.queue.start()
        limit_handlers(runtime, args.timeout, SERVER_TIMEOUT)
        access = Access(sign_in, tuple(args.allowed_host or ()), tuple(o.rstrip("/") for o in args.allowed_origin or ()))
        log = JsonLines(sys.stdout)
        try:
            if workers > 1:
                serve_workers(runtime, args.host, args.port, workers, access, log=log, drain_timeout=args.drain_timeout)
                return 0
            server = AppServer(runtime, args.host, args.port, log=log, access=access)
        except OSError as exc:
            print(f"jitstudio: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
                  "pass another --port (0 picks a free one)", file=sys.stderr)
            return 2
        run_until_stopped(server, log, drain_timeout=args.drain_timeout)
        return 0
    finally:
        runtime.close()


def cmd_run(args) -> int:
    return _serve(args, args.auth == "token", 1)


def cmd_serve(args) -> int:
    return _serve(args, True, args.workers)


def _common(parser, default_host: str) -> None:
    parser.add_argument("dir", metavar="DIR", help="the app folder")
    parser.add_argument("--host", default=default_host, help=f"address to listen on (default {default_host})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                    "else SQLite in DIR/.jitstudio/data.db)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="time limit of one call's handler (default: app.json runtime.handlerTimeoutSeconds, "
                             f"else {SERVER_TIMEOUT:g})")
    parser.add_argument("--drain-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="on stop, how long to wait for queued async events (default 10)")
    parser.add_argument("--allowed-host", action="append", metavar="NAME",
                        help="a Host name to answer to beside localhost/127.0.0.1/::1 (repeatable; * for any)")
    parser.add_argument("--allowed-origin", action="append", metavar="URL",
                        help="a browser origin allowed to call, e.g. https://admin.example.com (repeatable)")


def register(subparsers) -> None:
    run = subparsers.add_parser("run", help="serve the app over local HTTP until stopped (Ctrl+C)",
                                description="Serve the app's service and model functions at "
                                            "POST /api/{orgId}/{appId}/{elementPath}/{function}; GET /health, /ready, "
                                            "/api/records. No sign-in unless --auth token; loopback only without it.")
    _common(run, DEFAULT_HOST)
    run.add_argument("--auth", choices=("none", "token"), default="none",
                     help="none (default, loopback addresses only) or token: callers sign in with bearer tokens")
    run.set_defaults(func=cmd_run)

    serve = subparsers.add_parser("serve", help="serve the app to signed-in users with several processes",
                                  description="The app's HTTP API for production: every call signs in with a bearer "
                                              "token (`jitstudio token create`), N worker processes share the port.")
    _common(serve, DEFAULT_HOST)
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="server processes (default 1)")
    serve.set_defaults(func=cmd_serve)
