"""The execution running in this context: its record, the chain of event fullNames from the root execution,
the request it belongs to and its tracer, carried through `contextvars` so nested executions link up."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from ..records import RecordStore
    from .tracing import Tracer

__all__ = ["ExecutionContext", "current_chain", "current_execution", "current_event", "request_scope", "scoped_request"]


class ExecutionContext:
    """The execution running in this context."""

    __slots__ = ("record_id", "event", "chain", "root_id", "request_id", "store", "tracer")

    def __init__(self, record_id: int, event: str, chain: tuple[str, ...], root_id: int, request_id: str,
                 store: "RecordStore", tracer: "Tracer | None"):
        self.record_id = record_id
        self.event = event
        self.chain = chain
        self.root_id = root_id
        self.request_id = request_id
        self.store = store
        self.tracer = tracer

    @property
    def depth(self) -> int:
        return len(self.chain)

    def __repr__(self) -> str:
        return f"ExecutionContext(record_id={self.record_id}, event={self.event!r}, chain={self.chain!r})"


_current: ContextVar[ExecutionContext | None] = ContextVar("jitstudio_execution", default=None)


def current_execution() -> ExecutionContext | None:
    return _current.get()


def current_chain() -> tuple[str, ...]:
    """The event fullNames from the root execution to the current one (empty outside any execution)."""
    ctx = _current.get()
    return ctx.chain if ctx is not None else ()


def current_event() -> str | None:
    """The fullName of the event (or function) whose execution is running, None outside any."""
    ctx = _current.get()
    return ctx.event if ctx is not None else None


_request: ContextVar[str | None] = ContextVar("jitstudio_request", default=None)


@contextmanager
def request_scope(request_id: str) -> Iterator[str]:
    """Every execution started in this block outside any other, and every async one it queues, belongs to
    request `request_id`: one write from a tool (the IDE's data tab) is found again with all it fired."""
    token = _request.set(request_id)
    try:
        yield request_id
    finally:
        _request.reset(token)


def scoped_request() -> str | None:
    """The request of the enclosing `request_scope`, if any."""
    return _request.get()
