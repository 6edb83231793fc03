"""What the approval, agent and assistant engines need from the runtime that hosts them.

The engines choose which event elements match (stage, operate, triggerNode, handleType …) and hand
each one to the host, which runs it the way every event runs (sync now, async from the outbox) and
records the execution. `FiredEvent` is what the engines report back to callers (CLI, tests). `EngineHost`
is the host made of the runtime's parts; tests hand the engines hosts of their own.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, runtime_checkable

from sqlalchemy import inspect

from ...project import EventElement, Project
from ..data import units
from ..data.migrate import schema_lock
from ..execution import Outcome, step


@dataclass
class FiredEvent:
    """One event fired by an engine: which element, for which operate, and how its handler ended."""

    event: str
    operate: str
    status: str
    value: Any = None
    error: str | None = None
    payload: Any = None

    def to_json(self) -> dict[str, Any]:
        data = {"event": self.event, "operate": self.operate, "status": self.status}
        if self.error:
            data["error"] = self.error
        if self.value is not None:
            data["value"] = self.value
        return data


@runtime_checkable
class Host(Protocol):
    project: Project

    @property
    def engine(self) -> Any:
        """The SQLAlchemy engine of the runtime database (sessions, approvals, users live there)."""

    def run_event(self, event: EventElement, args: tuple, kwargs: dict, *, trigger: str) -> Outcome:
        """Run one event's handler (or queue it when async) and record the execution. Never raises
        for a handler's failure: the failure is in the outcome."""

    def call_function(self, path: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """Call a service or model function by full path, e.g. services.OrderSvc.getOrder."""

    def get_row(self, model: str, pk: Any) -> Any:
        """The record of a model as a bound RowData (row.save() writes it), or None."""

    def transaction(self) -> AbstractContextManager[Any]:
        """A unit of work: data written inside it by handlers is rolled back when the block raises.
        Yields a SQLAlchemy Connection on the runtime database for the engines' own tables."""

    def record(self, element: str, element_type: str, operate: str, payload: Any, call: Callable[[], Any]) -> Any:
        """Run `call()` as one recorded execution of an element (an agent run, an assistant turn, an
        approval action) and return its value; its exception is recorded and raised again."""

    def step(self, kind: str, title: str, **info: Any) -> AbstractContextManager[Any]:
        """A child step of the execution being recorded (an LLM turn, a tool call, a node)."""


@dataclass
class EventLog:
    """Events fired during one engine call, in order."""

    fired: list[FiredEvent] = field(default_factory=list)

    def add(self, event: EventElement, operate: str, outcome: Outcome, payload: Any = None) -> FiredEvent:
        item = FiredEvent(event.full_name, operate, outcome.status, outcome.value, outcome.message, payload)
        self.fired.append(item)
        return item

    def to_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.fired]


def enabled_events(project: Project, event_type: str) -> list[EventElement]:
    """The switched-on, valid event elements of one type, in a stable order."""
    return [e for e in project.events if e.event_type == event_type and e.enabled and e.event_spec is not None]


def ensure_tables(engine: Any, metadata: Any) -> None:
    """Create the engines' tables if missing, inside the open unit of work when there is one (a fresh
    connection would wait for the unit's write lock). Tables that all exist are only looked at: no write
    lock is taken."""
    with units.reading(engine) as conn:
        present = set(inspect(conn).get_table_names())
    if all(table.name in present for table in metadata.sorted_tables):
        return
    with units.write(engine) as conn:
        schema_lock(conn)
        metadata.create_all(conn)


class EngineHost:
    """The host of one runtime: `run_event` runs an event element as the dispatcher does, `call_function` calls
    a service or model function by path, `get_row` reads a model's row, `record` runs a call as one recorded
    execution; data goes to `engine`."""

    def __init__(self, project: Project, engine: Any, *, run_event: Callable[..., Outcome],
                 call_function: Callable[..., Any], get_row: Callable[[str, Any], Any],
                 record: Callable[[str, str, str, Any, Callable[[], Any]], Any]):
        self.project = project
        self.engine = engine
        self.run_event = run_event
        self.call_function = call_function
        self.get_row = get_row
        self.record = record

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with units.write(self.engine) as conn:
            yield conn

    def step(self, kind: str, title: str, **info: Any):
        return step(kind, title, **info)
