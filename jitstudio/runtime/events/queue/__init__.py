"""Async events: a queue with two implementations chosen by the database. The embedded outbox (SQLite, or
any database) runs in the app's processes with leases; procrastinate jobs (PostgreSQL) run on
`jitstudio worker` processes. Both enqueue inside the transaction of the write that caused the event."""
from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Any, Callable, Protocol

from sqlalchemy import Engine, Table

from ....errors import UserError
from ...data.migrate import schema_transaction
from .codec import dumps, loads, model_event_ref
from .store import LEASE_SECONDS, Outbox
from .worker import CLAIM, JobRecords, OutboxWorker, RunItem

__all__ = ["CLAIM", "EventQueue", "JobRecords", "LEASE_SECONDS", "Outbox", "OutboxWorker", "QUEUE_ENV", "QueueError", "RunItem",
           "dumps", "loads", "model_event_ref", "open_queue", "queue_kind"]

QUEUE_ENV = "JITSTUDIO_QUEUE"
KINDS = ("outbox", "procrastinate")


class QueueError(UserError, ValueError):
    """A queue that cannot be used as asked."""


class EventQueue(Protocol):
    kind: str
    drains: bool  # whether `drain()` runs what this process queued (False: worker processes do)

    def enqueue(self, event: str, kind: str, payload: dict) -> None: ...
    def drain(self, timeout: float | None = None) -> bool: ...
    def pending(self) -> int: ...
    def queued_here(self) -> bool: ...
    def start(self, threads: int = 1) -> None: ...
    def stop(self, timeout: float = 5.0) -> bool: ...
    def run_worker(self, concurrency: int, *, graceful_timeout: float | None = None) -> None: ...


def queue_kind(engine: Engine, setting: str | None = None) -> str:
    """The queue for this database: $JITSTUDIO_QUEUE, else app.json runtime.queue, else procrastinate on
    PostgreSQL and the outbox elsewhere."""
    kind = os.environ.get(QUEUE_ENV) or setting or ("procrastinate" if engine.dialect.name == "postgresql" else "outbox")
    if kind not in KINDS:
        raise QueueError(f"unknown queue {kind!r} (${QUEUE_ENV} or app.json runtime.queue); use one of: {', '.join(KINDS)}")
    if kind == "procrastinate" and engine.dialect.name != "postgresql":
        raise QueueError(f"the procrastinate queue needs PostgreSQL; this app's database is {engine.dialect.name}")
    return kind


def open_queue(kind: str, engine: Engine, url: str, app_name: str, outbox_table: Table, run_item: RunItem,
               context: Callable[[], AbstractContextManager], records: JobRecords, *,
               prune: Callable[[], Any] | None = None) -> EventQueue:
    if kind == "procrastinate":
        try:
            from .jobs import JobQueue, install_schema
        except ModuleNotFoundError as exc:
            raise QueueError(f"async events on PostgreSQL run on procrastinate, which is not installed ({exc.name}); "
                             "pip install 'jitstudio[postgres]', or set JITSTUDIO_QUEUE=outbox") from None
        with schema_transaction(engine) as conn:
            install_schema(conn)
        return JobQueue(engine, url, app_name, run_item, context, records, prune=prune)
    return OutboxWorker(Outbox(engine, outbox_table), run_item, context, records, prune=prune)
