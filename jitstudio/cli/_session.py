"""`jitstudio data DIR session`: the app's data served to the IDE over this process's stdin and stdout.

One JSON object per line each way. In: `{"id": N, "op": …}`. Out: `{"id": N, "ok": …}` answers (in any order:
reads run beside each other, writes one after another), and notices without an id: `{"notice": "ready"}` once
the app is open, `{"notice": "fired", "request": …, "records": […], "settled": bool}` as a write's async
executions finish. Nothing listens on a port: only the process that started this one can talk to it. What
the app's code prints goes to stderr, so it never mixes with the answers. End of input ends the session.
"""
from __future__ import annotations

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

READERS = 2


class _Channel:
    """The answers' stream: whole lines, one writer at a time."""

    def __init__(self, stream: IO[str]):
        self._stream, self._lock = stream, threading.Lock()

    def send(self, message: dict) -> None:
        line = json.dumps(message, ensure_ascii=False, default=str)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


def _protocol_stdout() -> IO[str]:
    """A private copy of stdout for the answers; fd 1 and sys.stdout then go to stderr (app prints)."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return out


def cmd_session(args) -> int:
    from ..runtime.datasession import DataSession, failure
    from ._common import limit_handlers, open_runtime

    channel = _Channel(_protocol_stdout())
    runtime = open_runtime(args, async_worker=True)
    if runtime is None:
        channel.send({"notice": "failed", "error": "the app could not be opened; see the messages above"})
        return 2
    limit_handlers(runtime, getattr(args, "timeout", None), 30.0)
    session = DataSession(runtime, lambda request, records, settled: channel.send(
        {"notice": "fired", "request": request, "records": records, "settled": settled}))
    channel.send({"notice": "ready", "pid": os.getpid(), **session.op_models({})})
    readers = ThreadPoolExecutor(READERS, thread_name_prefix="session-read")
    writer = ThreadPoolExecutor(1, thread_name_prefix="session-write")

    def serve(request: dict) -> None:
        answer: dict[str, Any]
        try:
            answer = session.handle(request)
        except BaseException as exc:  # noqa: BLE001 - the caller always gets an answer
            answer = failure(exc)
        channel.send({"id": request.get("id"), **answer})

    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("a request is a JSON object")
            except ValueError as exc:
                channel.send({"id": None, "ok": False, "kind": "user", "error": f"not a request: {exc}"})
                continue
            if request.get("op") == "cancel":
                serve(request)  # at once, not behind the count it cancels
            else:
                (writer if request.get("op") in session.WRITES else readers).submit(serve, request)
    finally:
        session.close()
        readers.shutdown(wait=True, cancel_futures=True)
        writer.shutdown(wait=True)
        runtime.drain(timeout=10)
        runtime.close()
    return 0
