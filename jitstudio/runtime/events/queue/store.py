"""The outbox: the embedded queue of async event executions, kept in the app's own database.

A row is written in the same transaction as the write that caused it, so it exists exactly when that write
committed. A claim takes a few due rows under a lease: the row moves to running with `available_at` set to
when the lease ends, and the claimer renews it while the row runs. Each row is deleted on its own as soon as
it ran, so a crash re-runs only what had not finished; a row whose lease ran out (its process died, on this
host or any other) is due again and any process claims it, counting one more attempt.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from sqlalchemy import Connection, Engine, Table, func, insert, select, update

from ...data import units
from .codec import dumps

__all__ = ["HOST", "LEASE_SECONDS", "Outbox"]

log = logging.getLogger(__name__)

HOST = socket.gethostname()
LEASE_SECONDS = float(os.environ.get("JITSTUDIO_QUEUE_LEASE_SECONDS", "30"))
_OPEN = ("pending", "running")


def queue_with_write(engine: Engine, add: Callable[[Connection], int], committed: Callable[[int], None]) -> None:
    """Queue one entry with `add(conn)` in the open unit of work when there is one (the entry commits with the
    write that caused it, and `committed(its id)` is called after that commit), else in a transaction of its
    own."""
    unit = units.current(engine)
    if unit is not None:
        entry = add(unit.conn)
        unit.after_commit.append(lambda: committed(entry))
        return
    with units.write(engine) as conn:
        entry = add(conn)
    committed(entry)


class Claimed(NamedTuple):
    id: int
    event: str
    payload: str
    attempt: int
    created_at: float


_CLAIM = ("UPDATE {table} SET status = 'running', claimed_by = {mark}, available_at = {mark}, attempt = attempt + 1 "
          "WHERE id IN (SELECT id FROM {table} WHERE status IN ('pending', 'running') AND available_at <= {mark} "
          "ORDER BY id LIMIT {mark}{lock}) AND status IN ('pending', 'running') AND available_at <= {mark} "
          "RETURNING id, event, payload, attempt, created_at")


class Outbox:
    """The outbox table of one database: add rows in the caller's transaction, claim due rows under a lease,
    settle each one. It remembers the rows this process queued, so that `mine_left` can say what is left."""

    kind = "outbox"
    _COLUMNS = ("event", "kind", "payload", "status", "attempt", "available_at", "created_at")

    def __init__(self, engine: Engine, table: Table, *, lease: float = LEASE_SECONDS):
        self.engine = engine
        self.table = table
        self.lease = lease
        self.claimer_prefix = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}:"
        self._queued = threading.Event()
        self._insert = insert(table)
        self._sql: dict[str, tuple[str, tuple | None]] = {}
        self._mine: set[int] = set()
        self._mine_lock = threading.Lock()

    # -- adding ------------------------------------------------------------------------------------------

    def enqueue(self, event: str, kind: str, payload: dict) -> None:
        """Queue one execution with the write that caused it; the worker is woken once it commits."""
        queue_with_write(self.engine, lambda conn: self.add(conn, event, kind, payload), self._committed)

    def _committed(self, row_id: int) -> None:
        with self._mine_lock:
            self._mine.add(row_id)
        self._queued.set()

    def add(self, conn: Connection, event: str, kind: str, payload: dict) -> int:
        """Queue one execution in the caller's transaction; its row id. The row goes straight to the driver's
        cursor (SQL compiled once per dialect): this is on the path of every write that has async events."""
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
            if conn.dialect.name == "sqlite":
                return cursor.lastrowid
            returned: Any = cursor.fetchone()
            return returned[0]
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
        sql = str(compiled)
        if conn.dialect.name != "sqlite" and "RETURNING" not in sql:
            sql += " RETURNING id"
        found = self._sql[conn.dialect.name] = (sql, order)
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

    def connection(self) -> Connection:
        """A connection a worker holds for a claim and its settling (no pool checkout per row)."""
        return self.engine.connect()

    @contextmanager
    def _begin(self, conn: Connection | None) -> Iterator[Connection]:
        """A transaction on the held connection, else on one of the engine's."""
        if conn is None:
            with self.engine.begin() as fresh:
                yield fresh
            return
        with conn.begin():
            yield conn

    def claim(self, limit: int, conn: Connection | None = None) -> tuple[str, Sequence[Claimed]]:
        """Take up to `limit` due rows (waiting and due, or running with a lease that ran out) under a new
        lease; (the claim's token, the rows, each with its attempt number counted). One statement straight
        to the driver: this runs for every few queued executions."""
        if conn is None:
            with self.connection() as held:
                return self.claim(limit, held)
        token = self.claimer_prefix + uuid.uuid4().hex[:12]
        now = time.time()
        sqlite = conn.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        sql = _CLAIM.format(table=self.table.name, mark=mark, lock="" if sqlite else " FOR UPDATE SKIP LOCKED")
        raw: Any = conn.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            try:
                cursor.execute(sql, (token, now + self.lease, now, limit, now))
                rows = [Claimed(*values) for values in cursor.fetchall()]
            except BaseException:
                raw.rollback()
                raise
            raw.commit()
        finally:
            cursor.close()
        return token, sorted(rows, key=lambda r: r.id)

    def renew(self, tokens: Iterable[str]) -> int:
        """Extend the lease of the rows these claims still hold; how many."""
        tokens = list(tokens)
        if not tokens:
            return 0
        t = self.table
        with self.engine.begin() as conn:
            return conn.execute(update(t).where(t.c.claimed_by.in_(tokens), t.c.status == "running")
                                .values(available_at=time.time() + self.lease)).rowcount

    def done(self, token: str, row_ids: Sequence[int], conn: Connection | None = None) -> int:
        """The rows ran: delete them, unless the lease was lost and another claim holds them now; how many
        were deleted. One statement straight to the driver (on SQLite, its own transaction)."""
        if conn is None:
            with self.connection() as held:
                return self.done(token, row_ids, held)
        sqlite = conn.dialect.name == "sqlite"
        marks = ", ".join(["?" if sqlite else "%s"] * len(row_ids))
        sql = f"DELETE FROM {self.table.name} WHERE claimed_by = {'?' if sqlite else '%s'} AND id IN ({marks})"
        raw: Any = conn.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            cursor.execute(sql, (token, *row_ids))
            gone = cursor.rowcount
        finally:
            cursor.close()
        if not sqlite:
            raw.commit()
        if gone < len(row_ids):
            log.warning("%d queued run(s) finished after their lease ran out; another process may have taken "
                        "them, and skips them once it sees their records", len(row_ids) - gone)
        return gone

    def retry(self, token: str, row_id: int, delay: float, conn: Connection | None = None) -> None:
        """The row failed with retries left: it waits `delay` seconds, then is due again."""
        t = self.table
        with self._begin(conn) as tx:
            tx.execute(update(t).where(t.c.id == row_id, t.c.claimed_by == token).values(
                status="pending", claimed_by=None, available_at=time.time() + delay))

    def release(self, token: str, row_ids: Iterable[int]) -> None:
        """Hand claimed rows that did not start back at once (a worker stopping), without counting an attempt."""
        ids = list(row_ids)
        if ids:
            t = self.table
            with self.engine.begin() as conn:
                conn.execute(update(t).where(t.c.id.in_(ids), t.c.claimed_by == token).values(
                    status="pending", claimed_by=None, available_at=time.time(), attempt=t.c.attempt - 1))

    # -- reading -----------------------------------------------------------------------------------------

    def pending(self) -> int:
        """Rows not finished yet: waiting, or running somewhere."""
        t = self.table
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return conn.execute(select(func.count()).select_from(t).where(t.c.status.in_(_OPEN))).scalar_one()

    def queued_here(self) -> bool:
        """Whether this process queued rows that were not seen finished yet."""
        with self._mine_lock:
            return bool(self._mine)

    def mine_left(self) -> float | None:
        """Of the rows this process queued, when the earliest one that this process should still wait for is
        due (epoch seconds): a waiting row, or one whose lease ran out. None when there is none: every row
        is finished or held under a live lease by another process, which runs it."""
        with self._mine_lock:
            ids = list(self._mine)
        if not ids:
            return None
        t = self.table
        left: dict[int, tuple[str, float, str | None]] = {}
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for r in conn.execute(select(t.c.id, t.c.status, t.c.available_at, t.c.claimed_by)
                                      .where(t.c.id.in_(chunk))):
                    left[r.id] = (r.status, r.available_at, r.claimed_by)
        with self._mine_lock:
            self._mine.intersection_update(left)
        now = time.time()
        waits = [at for status, at, owner in left.values()
                 if status == "pending" or at <= now or (owner or "").startswith(self.claimer_prefix)]
        return min(waits) if waits else None

    def forget_mine(self) -> None:
        with self._mine_lock:
            self._mine.clear()

