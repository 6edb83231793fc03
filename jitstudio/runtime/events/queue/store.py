"""The outbox: the durable queue of async event executions, kept in the app's own database.

A row is written in the same transaction as the write that caused it, so it exists exactly when that write
committed. Rows are claimed in batches by one conditional UPDATE (a row moves from pending to running for
exactly one claimer), run, and deleted; a failed run with retries left goes back to pending after its
backoff. Rows left running by a process that died are handed back when the app is opened again.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, Engine, Row, Table, delete, func, insert, select, update

from ...data import units
from .codec import dumps

__all__ = ["HOST", "Outbox"]

log = logging.getLogger(__name__)

HOST = socket.gethostname()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox:
    """The outbox table of one database: add rows in the caller's transaction, claim due rows, settle them."""

    _COLUMNS = ("event", "kind", "payload", "status", "attempt", "available_at", "created_at")

    def __init__(self, engine: Engine, table: Table):
        self.engine = engine
        self.table = table
        self.claimer_prefix = f"{HOST}:{os.getpid()}:"
        self._queued = threading.Event()
        self._insert = insert(table)
        self._sql: dict[str, tuple[str, tuple | None]] = {}

    # -- adding ------------------------------------------------------------------------------------------

    def enqueue(self, event: str, kind: str, payload: dict) -> None:
        """Queue one execution: in the open unit of work when there is one (the row commits with the write
        that caused it and wakes the worker after commit), else in a transaction of its own."""
        unit = units.current(self.engine)
        if unit is not None:
            self.add(unit.conn, event, kind, payload)
            if self.wake not in unit.after_commit:
                unit.after_commit.append(self.wake)
            return
        with units.write(self.engine) as conn:
            self.add(conn, event, kind, payload)
        self.wake()

    def add(self, conn: Connection, event: str, kind: str, payload: dict) -> None:
        """Queue one execution in the caller's transaction. The row goes straight to the driver's cursor
        (SQL compiled once per dialect): this is on the path of every write that has async events."""
        now = time.time()
        values = (event, kind, dumps(payload), "pending", 0, now, now)  # in _COLUMNS order
        sql, order = self._sql.get(conn.dialect.name) or self._compiled_insert(conn)
        if order is None:
            params: Any = values
        elif order:
            params = [values[n] for n in order]
        else:
            params = dict(zip(self._COLUMNS, values))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # open while conn is
        try:
            cursor.execute(sql, params)
        finally:
            cursor.close()

    def _compiled_insert(self, conn: Connection) -> tuple[str, tuple[int, ...] | None]:
        """The INSERT's SQL for this dialect and how its parameters are passed: None for the values in
        _COLUMNS order, the positions to take them in, or () for a dialect that takes them by name."""
        compiled = self._insert.values({k: None for k in self._COLUMNS}).compile(dialect=conn.dialect)
        order: tuple[int, ...] | None = ()
        if compiled.positional:
            order = tuple(self._COLUMNS.index(name) for name in compiled.positiontup or ())
            if order == tuple(range(len(self._COLUMNS))):
                order = None
        found = self._sql[conn.dialect.name] = (str(compiled), order)
        return found

    # -- waking ------------------------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was queued: a waiting worker looks now instead of at its next poll."""
        self._queued.set()

    def wait(self, timeout: float) -> None:
        """Wait until something is queued or `timeout` passes."""
        self._queued.wait(timeout)
        self._queued.clear()

    # -- claiming and settling ---------------------------------------------------------------------------

    def recover(self) -> int:
        """Hand rows left running by a dead process on this machine back to the queue."""
        t = self.table
        with self.engine.begin() as conn:
            owners = [r[0] for r in conn.execute(select(t.c.claimed_by).where(t.c.status == "running").distinct())]
            dead = []
            for owner in owners:
                host, _, rest = (owner or "").partition(":")
                pid = rest.partition(":")[0]
                if host == HOST and pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                    dead.append(owner)
            if not dead:
                return 0
            handed_back = conn.execute(update(t).where(t.c.status == "running", t.c.claimed_by.in_(dead))
                                       .values(status="pending", claimed_by=None)).rowcount
        log.warning("handed %d async event(s) left running by %d ended process(es) back to the queue",
                    handed_back, len(dead))
        return handed_back

    def pending(self) -> int:
        """Rows not finished yet: waiting, or running somewhere."""
        t = self.table
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return conn.execute(select(func.count()).select_from(t).where(t.c.status.in_(("pending", "running")))).scalar_one()

    def next_due(self) -> float | None:
        """When the earliest waiting row is due (epoch seconds), None when nothing waits."""
        t = self.table
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return conn.execute(select(func.min(t.c.available_at)).where(t.c.status == "pending")).scalar()

    def claim(self, limit: int) -> Sequence[Row]:
        """Move up to `limit` due rows from pending to running for this claimer; the rows it got."""
        t = self.table
        token = self.claimer_prefix + uuid.uuid4().hex[:12]
        now = time.time()
        due = select(t.c.id).where(t.c.status == "pending", t.c.available_at <= now).order_by(t.c.id).limit(limit)
        with self.engine.begin() as conn:
            claimed = conn.execute(update(t).where(t.c.id.in_(due.scalar_subquery()), t.c.status == "pending")
                                   .values(status="running", claimed_by=token)).rowcount
            if not claimed:
                return []
            return conn.execute(select(t).where(t.c.claimed_by == token, t.c.status == "running").order_by(t.c.id)).all()

    def settle(self, done: Iterable[int], retry: Iterable[tuple[int, int, float]]) -> None:
        """Delete the rows that ran; put `(id, attempt, delay)` rows back to wait `delay` seconds."""
        done, retry = list(done), list(retry)
        t = self.table
        with self.engine.begin() as conn:
            if done:
                conn.execute(delete(t).where(t.c.id.in_(done)))
            for row_id, attempt, delay in retry:
                conn.execute(update(t).where(t.c.id == row_id).values(
                    status="pending", claimed_by=None, attempt=attempt, available_at=time.time() + delay))
