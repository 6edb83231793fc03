"""`jitstudio run DIR`: the app as a local HTTP server until SIGINT/SIGTERM.

Standard output is JSON lines: `{"event": "listening", "url": ...}` first, one `{"event": "request", ...}`
per call, `{"event": "stopped", ...}` last. Exit status: 0 stopped cleanly, 2 the app or the address
cannot be opened (the reason is printed to standard error).
"""
from __future__ import annotations

import sys

from ._common import open_runtime
from ..runtime.http.server import DEFAULT_HOST, DEFAULT_PORT, AppServer, JsonLines, is_loopback, run_until_stopped


def cmd_run(args) -> int:
    if not 0 <= args.port <= 65535:
        print(f"jitstudio: --port {args.port} is not a port number (0-65535; 0 picks a free one)", file=sys.stderr)
        return 2
    runtime = open_runtime(args, async_worker=True)
    if runtime is None:
        return 2
    try:
        log = JsonLines(sys.stdout)
        try:
            server = AppServer(runtime, args.host, args.port, log=log)
        except OSError as exc:
            print(f"jitstudio: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
                  "pass another --port (0 picks a free one)", file=sys.stderr)
            return 2
        if not is_loopback(args.host):
            print(f"jitstudio: warning: serving on {args.host} without authentication; anyone who can reach "
                  "this address can call the app's functions", file=sys.stderr)
        run_until_stopped(server, log, drain_timeout=args.drain_timeout)
        return 0
    finally:
        runtime.close()


def register(subparsers) -> None:
    run = subparsers.add_parser("run", help="serve the app over local HTTP until stopped (Ctrl+C)",
                                description="Serve the app's service and model functions at "
                                            "POST /api/{orgId}/{appId}/{elementPath}/{function}; GET /health.")
    run.add_argument("dir", metavar="DIR", help="the app folder")
    run.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    run.add_argument("--port", type=int, default=DEFAULT_PORT,
                     help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    run.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                 "else SQLite in DIR/.jitstudio/data.db)")
    run.add_argument("--drain-timeout", type=float, default=10.0, metavar="SECONDS",
                     help="on stop, how long to wait for queued async events (default 10)")
    run.set_defaults(func=cmd_run)
