"""The execution path: the statements of app code a handler ran, recorded as a bounded tree of steps.

Only code in files under the app's folder is recorded; library code runs at (nearly) full speed. While the
handler runs, the tracer only appends (line, time) pairs and call/return/exception marks to a flat list; the
Step tree (see pathbuild) is built from it when the record is written, off the handler's thread, or on the
handler's thread in parts when a long handler fills the list.

Two backends record the same events:

- `monitoring` (Python 3.12+, the default there): `sys.monitoring` with events switched on per app code
  object, so library code is not instrumented at all (see monitoring.py);
- `settrace` (the default before 3.12, and the fallback when no monitoring tool id is free): `sys.settrace`,
  with a local trace function only on app frames.

`new_tracer(app_dir)` makes a tracer of the backend chosen by the module's `BACKEND` ("monitoring", "settrace",
or "" for the default), which starts as the environment variable JITSTUDIO_TRACER: `JITSTUDIO_TRACER=settrace`
forces the settrace backend on 3.12+ (to compare the two, or to rule the monitoring one out). A tracer
records only the thread that started it; tracers nest (a nested event's tracer records until it stops, then
the outer one records again).
"""
from __future__ import annotations

import functools
from abc import ABC, abstractmethod
import os
import sys
from time import perf_counter_ns
from typing import Any

from .appcode import AppCode, CodeInfo, app_code
from .path import Step, error_text
from .pathbuild import CLOSE, DONE, END, FINISH, FOLD_AT, OPEN, RAISE, ExplicitStep, PathBuilder

__all__ = ["BACKEND", "MAX_DEPTH", "MAX_STEPS", "ExplicitStep", "SettraceTracer", "Step", "Tracer",
           "backend_in_use", "error_text", "new_tracer"]

MAX_STEPS = 1_000
MAX_DEPTH = 40
BACKEND = os.environ.get("JITSTUDIO_TRACER", "").strip().lower()


class Tracer(ABC):
    """Records the execution path of app code run on this thread between `start()` and `stop()`; explicit
    steps, finished nested executions and the handler's error are added at the place the handler was.
    `new_tracer(app_dir)` gives a tracer of the backend in use (a subclass)."""

    backend = ""
    __slots__ = ("origin_ns", "max_steps", "max_depth", "codes", "learn", "depth", "entries", "extend",
                 "_builder", "_broken", "_previous", "skipped", "paused", "lines")

    def __init__(self, app_dir: str | os.PathLike, *, max_steps: int = MAX_STEPS, max_depth: int = MAX_DEPTH):
        self.origin_ns = perf_counter_ns()
        self.max_steps = max_steps
        self.max_depth = max_depth
        app = _app_and_backend(app_dir)[0]
        self.codes = app.codes
        self.learn = app.learn
        self.depth = 0
        self.entries: list = []
        self.extend = self.entries.extend
        self._builder: PathBuilder | None = None
        self._broken: BaseException | None = None
        self._previous: Any = None
        # the monitoring backend's: frames it skips, paused by a data step, whether lines are logged now
        self.skipped = 0
        self.paused = False
        self.lines = False

    @abstractmethod
    def start(self) -> None:
        """Record app code run on this thread from now on."""

    @abstractmethod
    def stop(self) -> None:
        """Stop recording and give the thread back as it was before `start()`."""

    @abstractmethod
    def pause(self) -> Any:
        """Stop recording app code run from here (a data step) until `resume(token)`; returns the token."""

    @abstractmethod
    def resume(self, token: Any) -> None:
        """Record again after `pause()`."""

    # -- explicit steps ------------------------------------------------------------------------------------

    def open_step(self, kind: str, title: str, info: dict | None) -> ExplicitStep:
        """Open an explicit step at the current place; close it with `close_step`."""
        step = ExplicitStep(kind, title, dict(info) if info else None, perf_counter_ns())
        self.extend((OPEN, step))
        return step

    def close_step(self, step: ExplicitStep, elapsed_ns: int, error: BaseException | None) -> None:
        step.elapsed_ns = elapsed_ns
        step.error = error
        self.extend((CLOSE, step))

    def add_done(self, kind: str, title: str, started_ns: int, elapsed_ns: int, status: str,
                 error: str | None, info: dict | None) -> None:
        """Add a finished step at the current place (a nested execution, reported after it ran)."""
        self.extend((DONE, (kind, title, started_ns, elapsed_ns, status, error, info)))

    def finish(self, error: BaseException | None) -> None:
        """The handler ended with `error`: the call it came out of failed."""
        if error is not None:
            self.extend((FINISH, error))

    # -- the tree ------------------------------------------------------------------------------------------

    def fold(self) -> None:
        """Build the tree from what the log holds so far and empty the log. Never raises: it also runs
        inside trace callbacks, when a long handler fills the log."""
        entries = self.entries
        try:
            if self._broken is None:
                self._path_builder().feed(entries)
        except Exception as exc:  # noqa: BLE001 - reported when the path is written, never in the handler
            self._broken = exc
        finally:
            entries.clear()

    def _path_builder(self) -> PathBuilder:
        if self._builder is None:
            self._builder = PathBuilder(self.origin_ns, self.max_steps)
        return self._builder

    def _built(self) -> PathBuilder:
        self.fold()
        if self._broken is not None:
            raise self._broken
        return self._path_builder()

    @property
    def omitted(self) -> int:
        return self._built().omitted

    def tree(self) -> list[dict[str, Any]]:
        return self._built().tree()

    def tree_json(self) -> str:
        """The JSON text of `tree()` (what the records store keeps), built now if it was not yet."""
        if not self.entries and self._builder is None:
            return "[]"
        return self._built().tree_json()


class SettraceTracer(Tracer):
    """Records with `sys.settrace`: the global trace function logs calls into app code and gives those frames
    the local trace function, which logs their lines, returns and exceptions."""

    backend = "settrace"
    __slots__ = ()

    def on_call(self, frame, event: str, arg: Any):
        code = frame.f_code
        info = self.codes.get(id(code))
        if info is None:
            info = self.learn(code)
        if type(info) is not CodeInfo or self.depth >= self.max_depth:
            return None
        self.depth += 1
        self.extend((info, perf_counter_ns()))
        return self.trace

    def trace(self, frame, event: str, arg: Any):
        if event == "line":
            self.extend((frame.f_lineno, perf_counter_ns()))
            if len(self.entries) >= FOLD_AT:
                self.fold()
        elif event == "return":
            self.extend((END, perf_counter_ns()))
            self.depth -= 1
        elif event == "exception":
            self.extend((RAISE, arg[1] if arg[1] is not None else arg[0]))
        return self.trace

    def start(self) -> None:
        self._previous = sys.gettrace()
        sys.settrace(self.on_call)

    def stop(self) -> None:
        sys.settrace(self._previous)

    def pause(self) -> Any:
        previous = sys.gettrace()
        sys.settrace(None)
        return previous

    def resume(self, token: Any) -> None:
        sys.settrace(token)


_last_app: tuple[Any, str, AppCode, type[Tracer]] | None = None


def new_tracer(app_dir: str | os.PathLike, **limits: int) -> Tracer:
    """A tracer of the backend in use for the app in `app_dir` (limits: max_steps, max_depth)."""
    return _app_and_backend(app_dir)[1](app_dir, **limits)


def _app_and_backend(app_dir: str | os.PathLike) -> tuple[AppCode, type[Tracer]]:
    """The app's code caches and the Tracer class of the backend in use (the last app asked is kept)."""
    global _last_app
    last = _last_app
    if last is not None and last[0] is app_dir and last[1] == BACKEND:
        return last[2], last[3]
    app = app_code(os.fspath(app_dir))
    cls = _backend_class(app.prefix, BACKEND)
    _last_app = (app_dir, BACKEND, app, cls)
    return app, cls


@functools.lru_cache(maxsize=64)
def _backend_class(prefix: str, backend: str) -> type[Tracer]:
    if (backend or "monitoring") == "monitoring" and sys.version_info >= (3, 12):
        from .monitoring import MonitoringTracer, watch

        if watch(prefix):
            return MonitoringTracer
    return SettraceTracer


def backend_in_use() -> str:
    """The backend a Tracer made now records with."""
    if (BACKEND or "monitoring") == "monitoring" and sys.version_info >= (3, 12):
        from .monitoring import tool_id

        if tool_id() is not None:
            return "monitoring"
    return "settrace"
