"""Explicit steps of the execution path: `with step("data", "models.Order.create"):` adds a step with its
duration, status and error to the running execution; outside an execution it does nothing."""
from __future__ import annotations

from time import perf_counter_ns
from typing import Any

from .context import _current
from .tracing import ExplicitStep, Tracer

__all__ = ["step"]


class _NoStep:
    """What `step()` gives outside an execution: does nothing, costs nothing."""

    __slots__ = ()

    def __enter__(self) -> "_NoStep":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def set(self, **info: Any) -> None:
        return None


_NO_STEP = _NoStep()
_TRACED_KINDS = frozenset({"service", "function"})


class _OpenStep:
    __slots__ = ("tracer", "kind", "title", "info", "trace", "opened", "started", "paused")

    def __init__(self, tracer: Tracer, kind: str, title: str, info: dict, trace: bool):
        self.tracer, self.kind, self.title, self.info, self.trace = tracer, kind, title, info, trace
        self.opened: ExplicitStep | None = None

    def __enter__(self) -> "_OpenStep":
        self.opened = self.tracer.open_step(self.kind, self.title, self.info or None)
        if not self.trace:
            self.paused = self.tracer.pause()
        self.started = perf_counter_ns()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        elapsed = perf_counter_ns() - self.started
        if not self.trace:
            self.tracer.resume(self.paused)
        if self.opened is not None:
            self.tracer.close_step(self.opened, elapsed, exc)

    def set(self, **info: Any) -> None:
        """Add details to the step (e.g. the id of a row it wrote)."""
        if self.opened is not None:
            self.opened.update(info)


def step(kind: str, title: str, *, trace: bool | None = None, **info: Any) -> _OpenStep | _NoStep:
    """A context manager adding a `kind` step ('data', 'service', 'event', 'message', …) titled `title` to the
    current execution's path, with its duration, status and error; `info` is kept with it.

    App code inside the step is traced only when `trace` is true (default: for 'service' and 'function'
    steps); data operations skip the line tracer so library code runs at full speed. Outside an execution
    this is a no-op."""
    ctx = _current.get()
    if ctx is None or ctx.tracer is None:
        return _NO_STEP
    return _OpenStep(ctx.tracer, kind, title, info, kind in _TRACED_KINDS if trace is None else trace)
