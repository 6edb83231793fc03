"""Record writes off the handler's path: ids come from reserved blocks, begin/finish are queued, and a
background thread commits the queue in one transaction every few milliseconds (a record begun and finished
within one batch is inserted once, already finished). Reads in this process flush first, so they always see
this process's records; other processes (the IDE) see them within the flush interval."""
from __future__ import annotations

import atexit
import functools
import json
import logging
import sqlite3
import threading
import weakref
from itertools import chain
from typing import Any, Callable

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .schema import Database, ids_table, records_table

log = logging.getLogger(__name__)

T = records_table
I = ids_table  # noqa: E741 - the ids table, named like T

FIRST_BLOCK, MAX_BLOCK = 16, 1024
# Seconds between the background commits: each commit rewrites a page of every index, and each batch costs the
# threads that queue records a few hand-overs of the interpreter lock, so fewer, larger batches cost less.
INTERVAL = 0.05
WAKE_AT = 500
MAX_QUEUED = 200_000

COLUMNS = tuple(c.name for c in T.c)
# RecordStore.begin queues rows as lists in this order.
_ROW_ORDER = ("id", "event", "event_type", "sender", "operate", "status", "started_at", "ended_at", "duration_ms",
              "input", "output", "error", "traceback", "steps", "parent_id", "root_id", "attempt", "is_async",
              "rerun_of", "chain", "request_id", "process", "job_id")
if COLUMNS != _ROW_ORDER:
    raise ImportError(f"execution_records columns {COLUMNS} are not in the order record rows are built in")
FINISH_COLUMNS = ("status", "ended_at", "output", "error", "traceback", "steps", "duration_ms")
_FINISH_AT = tuple(COLUMNS.index(c) for c in FINISH_COLUMNS)
_STARTED, _ROOT, _STEPS = COLUMNS.index("started_at"), COLUMNS.index("root_id"), COLUMNS.index("steps")
_FINISH_STEPS = FINISH_COLUMNS.index("steps")
FINISH_WALL = update(T).where(T.c.id == bindparam("v_id")).values(
    {**{c: bindparam(f"v_{c}") for c in FINISH_COLUMNS},
     "duration_ms": (bindparam("v_ended_at") - T.c.started_at) / 1000.0})
_RESERVE = update(I).where(I.c.name == "records").values(next_id=I.c.next_id + bindparam("n")).returning(I.c.next_id)


def path_text(make: Callable[[], str]) -> str:
    """The JSON text of an execution path given as a function (it is encoded when its record is written, off
    the handler's thread); one that fails leaves a note instead of failing the batch."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - one record's path must not keep the batch from being written
        return json.dumps([{"kind": "note", "title": f"execution path not written: {type(exc).__name__}: {exc}",
                            "status": "fail", "startMs": 0.0, "durationMs": 0.0, "count": 0}], ensure_ascii=False)


_LIVE: "weakref.WeakSet[RecordWriter]" = weakref.WeakSet()


def _mark(db: Database) -> str:
    return "?" if db.engine.dialect.paramstyle in ("qmark", "numeric") else "%s"


# Rows per INSERT statement: each statement is one call into the driver, which lets other threads run once
# (executemany would let them run between every two rows, and the write's thread and the records writer
# would hand the interpreter back and forth hundreds of times per batch). Batches are split into
# power-of-two statements so that few statement texts exist. SQLite before 3.32 allows 999 parameters.
MAX_ROWS_PER_INSERT = 512 if sqlite3.sqlite_version_info >= (3, 32) else 32


@functools.lru_cache(maxsize=64)
def _insert_sql(rows: int, mark: str) -> str:
    values = "(" + ", ".join([mark] * len(COLUMNS)) + ")"
    return f"INSERT INTO {T.name} ({', '.join(COLUMNS)}) VALUES " + ", ".join([values] * rows)


def insert_rows(conn, db: Database, rows: list[tuple] | list[list]) -> None:
    """Insert full rows (values in COLUMNS order) with a few multi-row statements: the bulk path."""
    mark = _mark(db)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        start = 0
        while start < len(rows):
            n = min(MAX_ROWS_PER_INSERT, 1 << ((len(rows) - start).bit_length() - 1))
            cursor.execute(_insert_sql(n, mark), list(chain.from_iterable(rows[start:start + n])))
            start += n
    finally:
        cursor.close()


def finish_rows(conn, db: Database, rows: list[tuple]) -> None:
    """Set the FINISH_COLUMNS (then the id) of records begun earlier."""
    mark = _mark(db)
    assignments = ", ".join(f"{c} = {mark}" for c in FINISH_COLUMNS)
    conn.exec_driver_sql(f"UPDATE {T.name} SET {assignments} WHERE id = {mark}", rows)


def reserve_ids(db: Database, n: int) -> int:
    """Reserve `n` consecutive record ids for this process; returns the first."""
    for _attempt in range(5):
        try:
            with db.write() as conn:
                new_next = conn.execute(_RESERVE, {"n": n}).scalar()
                if new_next is not None:
                    return new_next - n
                first = (conn.execute(select(func.max(T.c.id))).scalar() or 0) + 1
                conn.execute(insert(I).values(name="records", next_id=first + n))
                return first
        except IntegrityError:
            continue  # another process created the counter at the same moment; use it
    raise RuntimeError("could not reserve execution record ids")


class RecordWriter:
    """The queue of record writes of one store and the thread that commits it."""

    def __init__(self, db: Database, *, interval: float = INTERVAL):
        self._db = db
        self.interval = interval
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._ops: list[tuple[str, list[Any]]] = []
        self._open: dict[int, tuple[int, int | None]] = {}
        self._unwritten: dict[int, list[Any]] = {}
        self._id_lock = threading.Lock()
        self._next_id = self._end_id = 0
        self._block = FIRST_BLOCK
        self._flush_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.error: BaseException | None = None
        self.dropped = 0
        _LIVE.add(self)

    def new_id(self) -> int:
        with self._id_lock:
            if self._next_id >= self._end_id:
                # Small blocks for short-lived processes, growing for busy ones.
                self._next_id = reserve_ids(self._db, self._block)
                self._end_id = self._next_id + self._block
                self._block = min(MAX_BLOCK, self._block * 2)
            self._next_id += 1
            return self._next_id - 1

    def open_info(self, record_id: int) -> tuple[int, int | None] | None:
        """(started_us, root_id) of a record begun here and not yet finished."""
        with self._lock:
            return self._open.get(record_id)

    def begin(self, row: list[Any]) -> None:
        """Queue the insert of a record (its values in COLUMNS order)."""
        with self._lock:
            self._open[row[0]] = (row[_STARTED], row[_ROOT])
            self._unwritten[row[0]] = row
            self._queue(("begin", row))

    def finish(self, record_id: int, values: list[Any]) -> bool:
        """Queue the finish of a record begun here (`values` in FINISH_COLUMNS order, duration None for the
        time since begin); False when it was not begun here (the caller writes it directly). A record whose
        insert is still queued is finished in place: it is written once, already finished."""
        with self._lock:
            info = self._open.pop(record_id, None)
            if info is None:
                return False
            if values[-1] is None:
                values[-1] = (values[1] - info[0]) / 1000.0
            row = self._unwritten.pop(record_id, None)
            if row is not None:
                for at, value in zip(_FINISH_AT, values):
                    row[at] = value
                return True
            values.append(record_id)
            self._queue(("finish", values))
            return True

    def _queue(self, op: tuple[str, list[Any]]) -> None:
        if self._closed:
            raise RuntimeError("the record store is closed")
        if len(self._ops) >= MAX_QUEUED:
            # The database has been failing for a long time: keep memory bounded, oldest writes go first.
            del self._ops[0]
            self.dropped += 1
            if self.dropped == 1:
                log.error("execution records are being dropped: the records database cannot be written")
        self._ops.append(op)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="records-writer", daemon=True)
            self._thread.start()
        if len(self._ops) == 1 or len(self._ops) >= WAKE_AT:
            self._wake.notify()

    def _run(self) -> None:
        failures = 0
        while True:
            with self._lock:
                while not self._ops and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                if len(self._ops) < WAKE_AT:
                    self._wake.wait(self.interval)
            try:
                self.flush()
                failures = 0
            except Exception as exc:  # noqa: BLE001 - kept queued and retried; readers see the error
                self.error = exc
                failures += 1
                if failures == 1:
                    log.warning("writing execution records failed, retrying: %s", exc, exc_info=True)
                with self._lock:
                    self._wake.wait(min(5.0, 0.05 * 2 ** failures))

    def pending(self) -> bool:
        return bool(self._ops) or self._flush_lock.locked()

    def flush(self) -> None:
        """Commit everything queued so far (waits for a batch being written by the background thread)."""
        with self._flush_lock:
            with self._lock:
                ops, self._ops = self._ops, []
                self._unwritten.clear()
            if not ops:
                return
            try:
                self._write(ops)
            except BaseException:
                with self._lock:
                    self._ops[:0] = ops
                raise
            self.error = None

    def _write(self, ops: list[tuple[str, list[Any]]]) -> None:
        inserts = [data for kind, data in ops if kind == "begin"]
        updates = [tuple(data) for kind, data in ops if kind != "begin"]
        for row in inserts:
            if callable(row[_STEPS]):
                row[_STEPS] = path_text(row[_STEPS])
        for n, values in enumerate(updates):
            if callable(values[_FINISH_STEPS]):
                updates[n] = (*values[:_FINISH_STEPS], path_text(values[_FINISH_STEPS]), *values[_FINISH_STEPS + 1:])
        with self._db.write() as conn:
            if inserts:
                insert_rows(conn, self._db, inserts)
            if updates:
                finish_rows(conn, self._db, updates)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self.flush()


@atexit.register
def _flush_all_at_exit() -> None:
    for writer in list(_LIVE):
        try:
            writer.flush()
        except Exception as exc:  # noqa: BLE001 - nothing more can be done at exit than say so
            log.error("execution records not written at exit: %s", exc)
