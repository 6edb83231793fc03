"""Record writes off the handler's path: ids come from reserved blocks, begin/finish are queued, and a
background thread commits the queue in one transaction every few milliseconds (a record begun and finished
within one batch is inserted once, already finished). Reads in this process flush first, so they always see
this process's records; other processes (the IDE) see them within the flush interval."""
from __future__ import annotations

import atexit
import sys
import threading
import weakref
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ._records_schema import Database, ids_table, records_table

T = records_table
I = ids_table  # noqa: E741 - the ids table, named like T

FIRST_BLOCK, MAX_BLOCK = 16, 1024
INTERVAL = 0.02
WAKE_AT = 500
MAX_QUEUED = 200_000

COLUMNS = tuple(c.name for c in T.c)
FINISH_COLUMNS = ("status", "ended_at", "output", "error", "traceback", "steps", "duration_ms")
FINISH_WALL = update(T).where(T.c.id == bindparam("v_id")).values(
    {**{c: bindparam(f"v_{c}") for c in FINISH_COLUMNS},
     "duration_ms": (bindparam("v_ended_at") - T.c.started_at) / 1000.0})
_RESERVE = update(I).where(I.c.name == "records").values(next_id=I.c.next_id + bindparam("n")).returning(I.c.next_id)

_LIVE: "weakref.WeakSet[RecordWriter]" = weakref.WeakSet()


def _mark(db: Database) -> str:
    return "?" if db.engine.dialect.paramstyle in ("qmark", "numeric") else "%s"


def insert_rows(conn, db: Database, rows: list[tuple]) -> None:
    """Insert full rows (values in COLUMNS order) through the driver's executemany: the bulk path."""
    marks = ", ".join([_mark(db)] * len(COLUMNS))
    conn.exec_driver_sql(f"INSERT INTO {T.name} ({', '.join(COLUMNS)}) VALUES ({marks})", rows)


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
        self._ops: list[tuple[str, dict[str, Any]]] = []
        self._open: dict[int, tuple[int, int | None]] = {}
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

    def begin(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._open[row["id"]] = (row["started_at"], row["root_id"])
            self._queue(("begin", row))

    def finish(self, params: dict[str, Any]) -> bool:
        """Queue the finish of a record begun here; False when it was not (the caller writes it directly)."""
        with self._lock:
            info = self._open.pop(params["v_id"], None)
            if info is None:
                return False
            if params["v_duration_ms"] is None:
                params["v_duration_ms"] = (params["v_ended_at"] - info[0]) / 1000.0
            self._queue(("finish", params))
            return True

    def _queue(self, op: tuple[str, dict[str, Any]]) -> None:
        if self._closed:
            raise RuntimeError("the record store is closed")
        if len(self._ops) >= MAX_QUEUED:
            # The database has been failing for a long time: keep memory bounded, oldest writes go first.
            del self._ops[0]
            self.dropped += 1
            if self.dropped == 1:
                print("jitstudio: execution records are being dropped: the records database cannot be written",
                      file=sys.stderr)
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
                    print(f"jitstudio: writing execution records failed, retrying: {exc}", file=sys.stderr)
                with self._lock:
                    self._wake.wait(min(5.0, 0.05 * 2 ** failures))

    def pending(self) -> bool:
        return bool(self._ops) or self._flush_lock.locked()

    def flush(self) -> None:
        """Commit everything queued so far (waits for a batch being written by the background thread)."""
        with self._flush_lock:
            with self._lock:
                ops, self._ops = self._ops, []
            if not ops:
                return
            try:
                self._write(ops)
            except BaseException:
                with self._lock:
                    self._ops[:0] = ops
                raise
            self.error = None

    def _write(self, ops: list[tuple[str, dict[str, Any]]]) -> None:
        inserts: dict[int, dict[str, Any]] = {}
        updates: list[tuple] = []
        for kind, data in ops:
            if kind == "begin":
                inserts[data["id"]] = data
                continue
            row = inserts.get(data["v_id"])
            finished = {c: data[f"v_{c}"] for c in FINISH_COLUMNS}
            if row is None:
                updates.append((*finished.values(), data["v_id"]))
            else:
                inserts[data["v_id"]] = {**row, **finished}
        with self._db.write() as conn:
            if inserts:
                insert_rows(conn, self._db, [tuple(row[c] for c in COLUMNS) for row in inserts.values()])
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
            print(f"jitstudio: execution records not written at exit: {exc}", file=sys.stderr)
