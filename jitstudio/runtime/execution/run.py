"""Running a handler as one recorded execution: its record, its traced execution path, its time limit, and
the context that links nested executions (parent, root, chain of event fullNames, request)."""
from __future__ import annotations

import functools
import itertools
import os
import traceback as tb_module
import uuid
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter_ns
from typing import Any, Callable, Sequence

from ..records import RecordStore
from .context import ExecutionContext, _current, scoped_request
from .outcome import Outcome
from .tracing import error_text, new_tracer
from .watchdog import WATCHDOG, fired_by, timeout_error

__all__ = ["RunOptions", "run_recorded", "traceback_frames"]

# Frames of the runtime's own machinery around a handler, left out of its traceback.
_MACHINERY = frozenset(os.path.normcase(os.path.realpath(os.path.join(os.path.dirname(__file__), name)))
                       for name in ("run.py", "steps.py", "tracing.py", "monitoring.py", "watchdog.py"))
_INHERIT: Any = object()
# Request ids: random per process, counted within it (unique without a uuid4 syscall per execution).
_REQUEST_PREFIX = uuid.uuid4().hex[:16]
_request_numbers = itertools.count(1)


@dataclass
class RunOptions:
    """How an app's executions run, shared by everything that runs them: `app_dir` (whose files are traced
    and shown as app frames), `timeout` (seconds before a handler is interrupted; None: no limit) and `trace`
    (record the execution path)."""

    app_dir: Path
    timeout: float | None = None
    trace: bool = True


def run_recorded(store: RecordStore, *, event: str, event_type: str = "", sender: str = "", operate: str = "",
                 input: Any = None, call: Callable[[], Any], app_dir: str | os.PathLike | None,
                 is_async: bool = False, attempt: int = 1, rerun_of: int | None = None,
                 parent_id: int | None = _INHERIT, chain: Sequence[str] | None = None,
                 request_id: str | None = None, trace: bool = True, timeout: float | None = None,
                 job_id: str | None = None) -> Outcome:
    """Run `call()` as one recorded execution of `event` and return its Outcome.

    Nested calls inherit parent, root, chain and request from the running execution; an execution resumed
    elsewhere (an async handler from the outbox) passes `parent_id`, the parent's `chain` and `request_id`.
    With `trace`, statements of files under `app_dir` are recorded as the execution path. With `timeout`
    (seconds), a call still running after it is interrupted and fails with HandlerTimeout. KeyboardInterrupt
    and SystemExit are recorded as failures and raised again."""
    parent = _current.get()
    if parent_id is _INHERIT:
        parent_id = parent.record_id if parent is not None else None
    inherited = parent is not None and parent_id == parent.record_id
    if chain is not None:
        full_chain = (*chain, event)
    else:
        full_chain = (*parent.chain, event) if inherited else (event,)
    if not request_id:
        request_id = parent.request_id if inherited else (scoped_request() or f"{_REQUEST_PREFIX}{next(_request_numbers):012x}")
    root_id = parent.root_id if inherited else None
    record_id = store.begin(event=event, event_type=event_type, sender=sender, operate=operate, input=input,
                            parent_id=parent_id, attempt=attempt, is_async=is_async, rerun_of=rerun_of,
                            chain=full_chain, request_id=request_id, root_id=root_id, job_id=job_id)
    tracer = new_tracer(app_dir) if trace and app_dir is not None else None
    token = _current.set(ExecutionContext(record_id, event, full_chain, record_id if root_id is None else root_id,
                                          request_id, store, tracer))
    guard = WATCHDOG.arm(timeout, event, functools.partial(_close_as_ended, store, record_id)) if timeout else None
    started = perf_counter_ns()
    value: Any = None
    error: BaseException | None = None
    fatal = False
    try:
        if tracer is not None:
            tracer.start()
        try:
            value = call()
        finally:
            if tracer is not None:
                tracer.stop()
            if guard is not None:
                WATCHDOG.disarm(guard)
    except Exception as exc:  # noqa: BLE001 - the outcome carries it; the caller decides whether to raise
        error = exc
    except BaseException as exc:
        if fired_by(exc, guard):
            error = timeout_error(exc)
        else:
            error, fatal = exc, True
    finally:
        if guard is not None and not guard.done:
            WATCHDOG.disarm(guard)
            if tracer is not None:
                tracer.stop()
        _current.reset(token)
    elapsed = perf_counter_ns() - started
    if error is None:
        status, message = "success", None
        store.finish(record_id, status="success", output=value, steps_json=tracer.tree_json if tracer else None,
                     duration_ms=elapsed / 1e6)
    else:
        if tracer is not None:
            tracer.finish(error)
        status, message = "fail", error_text(error)
        store.finish(record_id, status="fail", output=value, error=message,
                     traceback=traceback_frames(error, app_dir),
                     steps_json=tracer.tree_json if tracer else None, duration_ms=elapsed / 1e6)
    if inherited and parent.tracer is not None:
        parent.tracer.add_done("event", event, started, elapsed, status, message, {"recordId": record_id})
    if fatal:
        raise error
    return Outcome(event, status, value, message, record_id, error)


@functools.lru_cache(maxsize=1024)
def _close_as_ended(store: RecordStore, record_id: int, reason: str) -> None:
    """The record of an execution whose process the hard time limit ends, written before it ends."""
    store.finish(record_id, status="fail", error=reason)
    store.flush()


def _real_path(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def traceback_frames(error: BaseException, app_dir: str | os.PathLike | None) -> list[dict[str, Any]]:
    """The frames of an exception's traceback, innermost last; frames of the app's files are `in_app` and
    their `file` is relative to the app folder (posix)."""
    prefix = _real_path(os.fspath(app_dir)) + os.sep if app_dir is not None else None
    frames = []
    for frame in tb_module.extract_tb(error.__traceback__):
        real = _real_path(frame.filename) if not frame.filename.startswith("<") else ""
        if real in _MACHINERY:
            continue
        in_app = bool(prefix) and real.startswith(prefix)
        file = Path(real[len(prefix):]).as_posix() if in_app else frame.filename
        frames.append({"file": file, "line": frame.lineno, "function": frame.name, "code": frame.line or "",
                       "in_app": in_app})
    return frames
