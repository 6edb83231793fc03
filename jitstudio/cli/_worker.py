"""`jitstudio worker DIR`: run the app's async events until SIGINT/SIGTERM, as many processes and machines as
needed. On PostgreSQL the events are procrastinate jobs; elsewhere the embedded outbox, claimed under leases.

Standard output is JSON lines: `{"event": "worker", ...}` when it runs, `{"event": "stopped", ...}` at the end.
On SIGTERM running events finish (up to --graceful-timeout seconds) and the rest stay queued for the others.
Exit status: 0 stopped, 2 the app cannot be opened.
"""
from __future__ import annotations

import json
import os
import sys

from ._common import SERVER_TIMEOUT, limit_handlers, open_runtime


def _line(**fields) -> None:
    print(json.dumps(fields), flush=True)


def cmd_worker(args) -> int:
    import socket

    from ..runtime.data.db import describe

    if args.concurrency < 1:
        print(f"jitstudio: --concurrency {args.concurrency}: run at least 1 event at a time", file=sys.stderr)
        return 2
    runtime = open_runtime(args, async_worker=False)
    if runtime is None:
        return 2
    try:
        limit_handlers(runtime, args.timeout, SERVER_TIMEOUT)
        _line(event="worker", app=runtime.project.name, db=describe(runtime.db_url), queue=runtime.queue_kind,
              concurrency=args.concurrency, pid=os.getpid(), host=socket.gethostname())
        runtime.queue.run_worker(args.concurrency, graceful_timeout=args.graceful_timeout)
        _line(event="stopped", pendingAsync=runtime.pending_async())
        return 0
    finally:
        runtime.close()


def register(subparsers) -> None:
    worker = subparsers.add_parser("worker", help="run the app's async events until stopped",
                                   description="Run queued async events: procrastinate jobs on PostgreSQL, the "
                                               "embedded outbox elsewhere. Start as many as needed.")
    worker.add_argument("dir", metavar="DIR", help="the app folder")
    worker.add_argument("--db", metavar="URL", help="database URL (default: $JITSTUDIO_DB_URL, app.json runtime.db, "
                                                    "else SQLite in DIR/.jitstudio/data.db)")
    worker.add_argument("--concurrency", type=int, default=1, metavar="K", help="events run at once (default 1)")
    worker.add_argument("--timeout", type=float, metavar="SECONDS",
                        help=f"a handler still running after this fails (default: app.json "
                             f"runtime.handlerTimeoutSeconds, else {SERVER_TIMEOUT:g})")
    worker.add_argument("--graceful-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="on SIGTERM, how long running events may take to finish (default 30)")
    worker.set_defaults(func=cmd_worker)
