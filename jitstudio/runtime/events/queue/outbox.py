"""The durable queue of async event executions, kept in the data database.

A row is written in the same transaction as the write that caused it, so it exists exactly when that write
committed. Rows are claimed in batches by one conditional UPDATE (a row moves from pending to running for
exactly one claimer), run, and deleted; a failed run with retries left goes back to pending after its
backoff. Rows left running by a process that died are handed back when the app is opened again.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
import uuid
from datetime import date, datetime, time as dtime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from ...values import JitDict, JitList, JitValue, RowData, RowList, model_event_parts, model_event_payload, wrap

if TYPE_CHECKING:
    from ...runtime import Runtime

HOST = socket.gethostname()
BATCH = 256


# -- payload codec: JSON with tags for the values a handler receives ------------------------------------

_TAG = "$jit"


def model_event_ref(model_name: str, opt_type: str, prev: dict, post: dict) -> dict[str, Any]:
    """A model event's eventOutData as the outbox keeps it: the model, optType and the two rows as plain
    data; `loads` gives the JitDict the handler receives."""
    return {_TAG: "model-event", "model": model_name, "optType": opt_type, "prevData": prev, "postData": post}


def _default(value: Any) -> Any:
    """Called by json.dumps only for values JSON has no type for; plain data is encoded in C."""
    if type(value) is JitDict:
        parts = model_event_parts(value)
        if parts is not None:
            return model_event_ref(*parts)
    if isinstance(value, RowData):
        return {_TAG: "row", "model": getattr(value._model, "full_name", None), "data": value._data}
    if isinstance(value, RowList):
        return {_TAG: "rows", "model": getattr(value._model, "full_name", None), "data": [r._data for r in value]}
    if isinstance(value, JitDict):
        return {_TAG: "dict", "data": value._items}
    if isinstance(value, JitList):
        return {_TAG: "list", "data": value.value}
    if isinstance(value, JitValue):
        return {_TAG: "value", "type": value.datatype, "data": value.value}
    if isinstance(value, datetime):
        return {_TAG: "datetime", "data": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "data": value.isoformat()}
    if isinstance(value, dtime):
        return {_TAG: "time", "data": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "data": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {_TAG: "bytes", "data": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"an async event's arguments must be data (dicts, lists, text, numbers, dates, rows), not {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))


_SIMPLE = {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": dtime.fromisoformat,
           "decimal": Decimal, "bytes": base64.b64decode}


def loads(text: str, model_of: Callable[[str], Any]) -> Any:
    def hook(obj: dict) -> Any:
        tag = obj.get(_TAG)
        if tag is None:
            return obj
        data = obj.get("data")
        if tag in _SIMPLE:
            return _SIMPLE[tag](data)
        if tag == "row":
            return RowData(data, model_of(obj["model"]) if obj.get("model") else None)
        if tag == "rows":
            return RowList(data, model_of(obj["model"]) if obj.get("model") else None)
        if tag == "model-event":
            name = obj["model"]
            return model_event_payload(model_of(name), obj["optType"], obj["prevData"], obj["postData"], name)
        if tag == "dict":
            return JitDict(data)
        if tag == "list":
            return JitList(data, datatype="JitList")
        if tag == "value":
            return wrap(data, obj.get("type"))
        return obj

    return json.loads(text, object_hook=hook)


# -- the queue ---------------------------------------------------------------------------------------------

def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox:
    _COLUMNS = ("event", "kind", "payload", "status", "attempt", "available_at", "created_at")

    def __init__(self, runtime: "Runtime", table: Table):
        self._rt = runtime
        self.table = table
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.claimer_prefix = f"{HOST}:{os.getpid()}:"
        self._insert = insert(table)
        self._sql: dict[str, tuple[str, tuple | None]] = {}

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
        cursor = conn.connection.dbapi_connection.cursor()
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
            order = tuple(self._COLUMNS.index(name) for name in compiled.positiontup)
            if order == tuple(range(len(self._COLUMNS))):
                order = None
        found = self._sql[conn.dialect.name] = (str(compiled), order)
        return found

    def wake(self) -> None:
        self._wake.set()

    def recover(self) -> int:
        """Hand rows left running by a dead process on this machine back to the queue."""
        t = self.table
        with self._rt.engine.begin() as conn:
            owners = [r[0] for r in conn.execute(select(t.c.claimed_by).where(t.c.status == "running").distinct())]
            dead = []
            for owner in owners:
                host, _, rest = (owner or "").partition(":")
                pid = rest.partition(":")[0]
                if host == HOST and pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                    dead.append(owner)
            if not dead:
                return 0
            return conn.execute(update(t).where(t.c.status == "running", t.c.claimed_by.in_(dead))
                                .values(status="pending", claimed_by=None)).rowcount

    def pending(self) -> int:
        t = self.table
        with self._rt.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return conn.execute(select(func.count()).select_from(t).where(t.c.status.in_(("pending", "running")))).scalar_one()

    def _claim(self, limit: int) -> list:
        t = self.table
        token = self.claimer_prefix + uuid.uuid4().hex[:12]
        now = time.time()
        due = select(t.c.id).where(t.c.status == "pending", t.c.available_at <= now).order_by(t.c.id).limit(limit)
        with self._rt.engine.begin() as conn:
            claimed = conn.execute(update(t).where(t.c.id.in_(due.scalar_subquery()), t.c.status == "pending")
                                   .values(status="running", claimed_by=token)).rowcount
            if not claimed:
                return []
            return conn.execute(select(t).where(t.c.claimed_by == token, t.c.status == "running").order_by(t.c.id)).all()

    def run_batch(self, limit: int = BATCH) -> int:
        """Claim and run up to `limit` due rows; returns how many ran."""
        rows = self._claim(limit)
        if not rows:
            return 0
        done: list[int] = []
        retry: list[tuple[int, int, float]] = []
        for row in rows:
            again = self._rt.dispatcher.run_queued(row.event, row.payload, row.attempt + 1)
            if again is None:
                done.append(row.id)
            else:
                retry.append((row.id, row.attempt + 1, again))
        t = self.table
        with self._rt.engine.begin() as conn:
            if done:
                conn.execute(delete(t).where(t.c.id.in_(done)))
            for row_id, attempt, delay in retry:
                conn.execute(update(t).where(t.c.id == row_id).values(
                    status="pending", claimed_by=None, attempt=attempt, available_at=time.time() + delay))
        return len(rows)

    def _next_due(self) -> float | None:
        t = self.table
        with self._rt.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return conn.execute(select(func.min(t.c.available_at)).where(t.c.status == "pending")).scalar()

    def drain(self, timeout: float | None = None) -> bool:
        """Run queued executions (including those they queue in turn) until none is left; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.run_batch():
                continue
            if self.pending() == 0:
                return True
            due = self._next_due()
            pause = 0.01 if due is None else min(max(due - time.time(), 0.001), 0.25)
            if deadline is not None and time.monotonic() + pause > deadline:
                return False
            time.sleep(pause)

    # -- background worker (long-running processes) ---------------------------------------------------------

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="jitstudio-async-events", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        token = self._rt.bind()
        try:
            while not self._stop.is_set():
                try:
                    ran = self.run_batch()
                except Exception:  # noqa: BLE001 - a database hiccup must not end the worker; retry shortly
                    ran = 0
                    self._stop.wait(0.5)
                if not ran:
                    self._wake.wait(0.5)
                    self._wake.clear()
        finally:
            self._rt.unbind(token)
