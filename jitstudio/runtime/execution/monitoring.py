"""The execution path recorded with `sys.monitoring` (Python 3.12+).

One tool id is taken for the life of the process, the first free of 4, 3 and PROFILER_ID (DEBUGGER_ID and
COVERAGE_ID are left to debuggers and coverage; with none free, tracers fall back to `sys.settrace`). Only
PY_START, PY_THROW, RAISE and PY_UNWIND are global events: the first PY_START of a code object outside every
watched app folder returns DISABLE, so library code then runs uninstrumented; app code objects get LINE, JUMP,
PY_RESUME, PY_RETURN, PY_YIELD and STOP_ITERATION as local events, once. The events give the same trace as
`sys.settrace` on the same Python: a backward jump within one line counts as the line again, RAISE and
STOP_ITERATION are exceptions, PY_UNWIND is a return.

Events arrive for every thread; each is handed to the recorder this thread started (tracers nest per
thread). A recorder keeps the depth of app frames it logged and how many frames it skips (past max_depth,
started while paused by a data step, or of another app's code): their events are not logged.
"""
from __future__ import annotations

import atexit
import functools
import os
import sys
import threading
import weakref
from time import perf_counter_ns
from typing import Any, Callable

from .appcode import PART_OF_STATEMENT, CodeInfo
from .pathbuild import END, FOLD_AT, RAISE
from .tracing import Tracer

__all__ = ["MonitoringTracer", "tool_id", "watch"]

_monitoring: Any = getattr(sys, "monitoring", None)


class _PerThread(threading.local):
    recorder: "MonitoringTracer | None" = None


_thread = _PerThread()
_lock = threading.Lock()
_tool: int | None = None
_prefixes: tuple[str, ...] = ()
_is_app_file: dict[str, bool] = {}
_app_codes: dict[int, Any] = {}   # id(code) -> a weak reference to it, for code with the local events
_lines_at: dict[int, dict[int, int]] = {}   # id(code) -> its line at each instruction offset


class MonitoringTracer(Tracer):
    """Logs the events of app frames on the thread that started it (see pathbuild for the log)."""

    backend = "monitoring"
    __slots__ = ()

    def start(self) -> None:
        self._previous = _thread.recorder
        _thread.recorder = self

    def stop(self) -> None:
        if _thread.recorder is self:
            _thread.recorder = self._previous
            self._previous = None

    def pause(self) -> bool:
        previous = self.paused
        self.paused = True
        self.lines = False
        return previous

    def resume(self, token: bool) -> None:
        self.paused = token
        self.lines = not token and not self.skipped and self.depth > 0

    def frame_started(self, code) -> None:
        if self.skipped or self.paused or self.depth >= self.max_depth:
            self.skipped += 1
            self.lines = False
            return
        info = self.codes.get(id(code))
        if info is None:
            info = self.learn(code)
        if type(info) is not CodeInfo:
            self.skipped += 1
            self.lines = False
            return
        self.depth += 1
        self.lines = True
        self.extend((info, perf_counter_ns()))

    def frame_ended(self) -> None:
        if self.skipped:
            self.skipped -= 1
            self.lines = not self.skipped and not self.paused and self.depth > 0
        elif self.depth:
            self.depth -= 1
            self.extend((END, perf_counter_ns()))
            self.lines = self.depth > 0 and not self.paused


# -- the callbacks (every thread) --------------------------------------------------------------------------

def _on_start(code, offset: int) -> Any:
    if id(code) not in _app_codes and not _adopt(code):
        return _monitoring.DISABLE
    recorder = _thread.recorder
    if recorder is not None:
        recorder.frame_started(code)
    return None


def _on_resume(code, offset: int) -> None:
    recorder = _thread.recorder
    if recorder is not None:
        recorder.frame_started(code)


def _on_throw(code, offset: int, exc: BaseException) -> None:
    if id(code) in _app_codes:
        recorder = _thread.recorder
        if recorder is not None:
            recorder.frame_started(code)


def _on_return(code, offset: int, value: Any) -> None:
    recorder = _thread.recorder
    if recorder is not None:
        recorder.frame_ended()


def _on_unwind(code, offset: int, exc: BaseException) -> None:
    if id(code) in _app_codes:
        recorder = _thread.recorder
        if recorder is not None:
            recorder.frame_ended()


def _on_line(code, line: int) -> None:
    recorder = _thread.recorder
    if recorder is not None and recorder.lines:
        recorder.extend((line, perf_counter_ns()))
        if len(recorder.entries) >= FOLD_AT:
            recorder.fold()


def _on_jump(code, source: int, target: int) -> Any:
    """A backward jump that stays on one line (a loop written on one line) runs that line again."""
    if target > source:
        return _monitoring.DISABLE
    lines = _lines_at.get(id(code))
    if lines is None:
        lines = _lines_at[id(code)] = _line_table(code)
    line = lines.get(target)
    if line is None or line != lines.get(source):
        return _monitoring.DISABLE
    recorder = _thread.recorder
    if recorder is not None and recorder.lines:
        recorder.extend((line, perf_counter_ns()))
    return None


def _on_raise(code, offset: int, exc: BaseException) -> None:
    recorder = _thread.recorder
    if recorder is not None and recorder.lines and id(code) in _app_codes:
        recorder.extend((RAISE, exc))


def _line_table(code) -> dict[int, int]:
    table: dict[int, int] = {}
    for start, end, line in code.co_lines():
        if line is not None:
            for offset in range(start, end, 2):
                table[offset] = line
    return table


# -- which code is watched ---------------------------------------------------------------------------------

def _forget(key: int, _gone: object = None, app_codes: dict = _app_codes, lines_at: dict = _lines_at) -> None:
    """A watched code object is gone (its id may be reused)."""
    app_codes.pop(key, None)
    lines_at.pop(key, None)


def _adopt(code) -> bool:
    """Whether `code` is code of a watched app; if so its local events are switched on."""
    if code.co_name in PART_OF_STATEMENT:
        return False
    filename = code.co_filename
    is_app = _is_app_file.get(filename)
    if is_app is None:
        real = "" if filename.startswith("<") else os.path.normcase(os.path.realpath(filename))
        is_app = _is_app_file[filename] = bool(real) and real.startswith(_prefixes)
    if not is_app:
        return False
    _monitoring.set_local_events(_tool, code, _LOCAL_EVENTS)
    key = id(code)
    _app_codes[key] = weakref.ref(code, functools.partial(_forget, key))
    return True


_CALLBACKS: dict[str, Callable[..., Any]] = {
    "PY_START": _on_start, "PY_RESUME": _on_resume, "PY_THROW": _on_throw, "PY_RETURN": _on_return,
    "PY_YIELD": _on_return, "PY_UNWIND": _on_unwind, "LINE": _on_line, "JUMP": _on_jump, "RAISE": _on_raise,
    "STOP_ITERATION": _on_raise,
}
_GLOBAL = ("PY_START", "PY_THROW", "RAISE", "PY_UNWIND")
_LOCAL = ("LINE", "JUMP", "PY_RESUME", "PY_RETURN", "PY_YIELD", "STOP_ITERATION")
_LOCAL_EVENTS = 0
TOOL_CHOICES: tuple[int, ...] = (4, 3, _monitoring.PROFILER_ID) if _monitoring is not None else ()


def _claim_tool() -> int | None:
    global _LOCAL_EVENTS
    events = _monitoring.events
    for tool in TOOL_CHOICES:
        if _monitoring.get_tool(tool) is not None:
            continue
        try:
            _monitoring.use_tool_id(tool, "jitstudio execution path")
        except ValueError:
            continue
        for name, callback in _CALLBACKS.items():
            _monitoring.register_callback(tool, getattr(events, name), callback)
        _LOCAL_EVENTS = sum(getattr(events, name) for name in _LOCAL)
        _monitoring.set_events(tool, sum(getattr(events, name) for name in _GLOBAL))
        atexit.register(_release_tool, tool)
        return tool
    return None


def _release_tool(tool: int) -> None:
    """At exit, before module globals go: no more callbacks."""
    global _tool
    _tool = None
    _monitoring.set_events(tool, 0)
    for name in _CALLBACKS:
        _monitoring.register_callback(tool, getattr(_monitoring.events, name), None)
    _monitoring.free_tool_id(tool)


def tool_id() -> int | None:
    """The monitoring tool id the tracers use (taken on first use), None when none is free."""
    global _tool
    if _tool is None and _monitoring is not None:
        with _lock:
            if _tool is None:
                _tool = _claim_tool()
    return _tool


def watch(prefix: str) -> bool:
    """Record the code of files under `prefix` (an app folder as `appcode.app_prefix` gives it); False when
    no monitoring tool id is free."""
    global _prefixes
    if prefix in _prefixes:
        return True
    if tool_id() is None:
        return False
    with _lock:
        if prefix not in _prefixes:
            watched_before = bool(_prefixes)
            _prefixes = (*_prefixes, prefix)
            _is_app_file.clear()
            if watched_before:
                _monitoring.restart_events()  # the new folder's code seen so far had PY_START disabled
    return True
