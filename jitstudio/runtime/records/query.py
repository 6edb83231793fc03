"""Filtered reads over the records table: keyset pages, cancellable counts, chart data, batched pruning."""
from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, String, and_, bindparam, delete, func, or_, select, tuple_
from sqlalchemy.exc import DBAPIError

from .model import Bucket, Cursor, Percentiles
from .schema import STATUSES, SUMMARY_COLUMNS, Database, now_us, records_table, to_us

T = records_table


@dataclass(frozen=True)
class Filters:
    """The browser's filters: event fullName, status, started in [since, until), text in the error.
    Clauses use bound parameters (`params()`), so a statement of one shape is compiled once."""

    event: str | None = None
    status: str | None = None
    since: Any = None
    until: Any = None
    text: str | None = None

    def shape(self) -> tuple[bool, ...]:
        return (bool(self.event), bool(self.status), self.since is not None, self.until is not None,
                bool(self.text))

    def clauses(self) -> list[ColumnElement[bool]]:
        return list(_clauses(self.shape()))

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.event:
            out["f_event"] = self.event
        if self.status:
            if self.status not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
            out["f_status"] = self.status
        if self.since is not None:
            out["f_since"] = to_us(self.since)
        if self.until is not None:
            out["f_until"] = to_us(self.until)
        if self.text:
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            out["f_text"] = f"%{escaped}%"
        return out


@functools.lru_cache(maxsize=None)
def _clauses(shape: tuple[bool, ...]) -> tuple[ColumnElement[bool], ...]:
    event, status, since, until, text = shape
    out: list[ColumnElement[bool]] = []
    if event:
        out.append(T.c.event == bindparam("f_event", type_=String()))
    if status:
        out.append(T.c.status == bindparam("f_status", type_=String()))
    if since:
        out.append(T.c.started_at >= bindparam("f_since", type_=BigInteger()))
    if until:
        out.append(T.c.started_at < bindparam("f_until", type_=BigInteger()))
    if text:
        out.append(T.c.error.ilike(bindparam("f_text", type_=String()), escape="\\"))
    return tuple(out)


def newest_first(stmt):
    return stmt.order_by(T.c.started_at.desc(), T.c.id.desc())


def _key(name: str):
    return bindparam(name, type_=BigInteger())


def older_than() -> ColumnElement[bool]:
    """Rows after a cursor in newest-first order (bound as c_started/c_id; see `cursor_params`). The
    redundant `started_at <=` gives every backend an index range after the equality filters."""
    started = _key("c_started")
    return and_(T.c.started_at <= started, or_(T.c.started_at < started, T.c.id < _key("c_id")))


def newer_than() -> ColumnElement[bool]:
    started = _key("n_started")
    return and_(T.c.started_at >= started, or_(T.c.started_at > started, T.c.id > _key("n_id")))


def cursor_params(after: Cursor | None, newer: Cursor | None) -> dict[str, int]:
    out = {}
    if after is not None:
        out.update(c_started=after.started_us, c_id=after.id)
    if newer is not None:
        out.update(n_started=newer.started_us, n_id=newer.id)
    return out


@functools.lru_cache(maxsize=None)
def page_statement(shape: tuple[bool, ...], after: bool, newer: bool, full: bool):
    clauses = list(_clauses(shape))
    if after:
        clauses.append(older_than())
    if newer:
        clauses.append(newer_than())
    columns = list(T.c) if full else SUMMARY_COLUMNS
    # The limit is written into the SQL so a server's planner always sees how few rows are wanted.
    rows = bindparam("n_rows", type_=Integer(), literal_execute=True)
    return newest_first(select(*columns).where(*clauses)).limit(rows)


LIST_COLUMNS = ("id", "started_at", "duration_ms", "status", "event", "event_type", "sender", "operate", "is_async",
                "error", "parent_id", "rerun_of")
"""The columns of a list row (`RecordStore.page_rows`), in order: what a list of records shows, nothing more."""


@functools.lru_cache(maxsize=None)
def list_page_statement(shape: tuple[bool, ...], after: bool, newer: bool):
    """`page_statement` reading only `LIST_COLUMNS`."""
    clauses = list(_clauses(shape))
    if after:
        clauses.append(older_than())
    if newer:
        clauses.append(newer_than())
    rows = bindparam("n_rows", type_=Integer(), literal_execute=True)
    return newest_first(select(*(T.c[name] for name in LIST_COLUMNS)).where(*clauses)).limit(rows)


def count(db: Database, filters: Filters, cancel: threading.Event | None) -> int | None:
    """The number of matching records, or None when `cancel` was set before the count finished."""
    stmt = select(func.count()).select_from(T).where(*filters.clauses())
    params = filters.params()
    if cancel is None:
        with db.read() as conn:
            return conn.execute(stmt, params).scalar_one()
    if cancel.is_set():
        return None
    with db.read() as conn:
        raw = conn.connection.dbapi_connection
        stop = interrupt_when(raw, cancel, db.is_sqlite)
        try:
            return conn.execute(stmt, params).scalar_one()
        except DBAPIError:
            if cancel.is_set():
                return None
            raise
        finally:
            stop()


def interrupt_when(raw: Any, cancel: threading.Event, sqlite: bool):
    """Arrange for the running statement on `raw` to be interrupted once `cancel` is set; returns the undo."""
    if sqlite:
        raw.set_progress_handler(lambda: 1 if cancel.is_set() else 0, 2_000)
        return lambda: raw.set_progress_handler(None, 0)
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if cancel.wait(0.02):
                if not done.is_set():
                    getattr(raw, "cancel_safe", raw.cancel)()
                return

    watcher = threading.Thread(target=watch, name="query-cancel", daemon=True)
    watcher.start()

    def stop() -> None:
        done.set()
        watcher.join()
    return stop


def time_range(db: Database, filters: Filters) -> tuple[int, int] | None:
    """(first, last) started_at of the matching records, or None when there are none."""
    clauses, params = filters.clauses(), filters.params()
    with db.read() as conn:
        last = conn.execute(newest_first(select(T.c.started_at).where(*clauses)).limit(1), params).scalar()
        if last is None:
            return None
        first = conn.execute(select(T.c.started_at).where(*clauses)
                             .order_by(T.c.started_at, T.c.id).limit(1), params).scalar()
    return first, last


MIN_SPANNED_BUCKET_US = 1_000_000  # buckets over the records' own span are at least this wide


def histogram(db: Database, filters: Filters, buckets: int) -> list[Bucket]:
    """`buckets` equal time buckets over [since, until) (or the matching records' span) with counts by status."""
    if buckets < 1:
        raise ValueError("buckets must be at least 1")
    filters.params()  # rejects an unknown status before any work
    lo = to_us(filters.since) if filters.since is not None else None
    hi = to_us(filters.until) if filters.until is not None else None
    if lo is None or hi is None:
        span = time_range(db, filters)
        if span is None:
            return []
        lo = span[0] if lo is None else lo
        hi = span[1] + 1 if hi is None else hi
        if filters.since is None and hi - lo < buckets * MIN_SPANNED_BUCKET_US:
            lo = hi - buckets * MIN_SPANNED_BUCKET_US  # a few runs close together: seconds, not microseconds
    width = max(1, -(-(hi - lo) // buckets))
    # One count per status and bucket: each is a range of an index that covers it, so the whole chart is one
    # pass over the matching index entries, with no grouping sort.
    within = Filters(filters.event, None, None, None, filters.text)
    stmt = select(func.count()).select_from(T).where(
        *within.clauses(), T.c.status == bindparam("b_status", type_=String()),
        T.c.started_at >= _key("b_lo"), T.c.started_at < _key("b_hi"))
    result = []
    with db.read() as conn:
        for i in range(buckets):
            start = lo + i * width
            counts = {}
            for status in ([filters.status] if filters.status else STATUSES):
                n = conn.execute(stmt, {**within.params(), "b_status": status, "b_lo": start,
                                        "b_hi": min(start + width, hi)}).scalar_one()
                if n:
                    counts[status] = n
            result.append(Bucket(start, start + width, counts))
    return result


def duration_percentiles(db: Database, filters: Filters, sample: int) -> Percentiles:
    """p50/p95 (nearest rank) of the durations of the newest `sample` finished matching records."""
    stmt = newest_first(select(T.c.duration_ms).where(*filters.clauses(), T.c.duration_ms.is_not(None)))
    with db.read() as conn:
        durations = list(conn.execute(stmt.limit(sample + 1), filters.params()).scalars())
    sampled = len(durations) > sample
    durations = sorted(durations[:sample])
    if not durations:
        return Percentiles(None, None, 0, False)

    def rank(p: float) -> float:
        return durations[min(len(durations), max(1, math.ceil(p * len(durations)))) - 1]
    return Percentiles(rank(0.50), rank(0.95), len(durations), sampled)


def prune(db: Database, max_age_days: float | None, max_count: int | None, batch: int) -> int:
    """Delete records older than `max_age_days` and beyond the newest `max_count`, oldest first, `batch` rows
    per transaction so writers and readers interleave. Returns how many were deleted."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    deleted = 0
    if max_age_days is not None:
        deleted += _delete_through(db, T.c.started_at < now_us() - int(max_age_days * 86_400_000_000), batch)
    if max_count is not None:
        with db.read() as conn:
            boundary = conn.execute(newest_first(select(T.c.started_at, T.c.id)).offset(max_count).limit(1)).first()
        if boundary is not None:
            key = tuple_(T.c.started_at, T.c.id) <= tuple_(boundary.started_at, boundary.id)
            deleted += _delete_through(db, key, batch)
    return deleted


def _delete_through(db: Database, condition: ColumnElement[bool], batch: int) -> int:
    deleted = 0
    oldest = select(T.c.id).where(condition).order_by(T.c.started_at, T.c.id).limit(batch)
    while True:
        with db.write() as conn:
            ids = list(conn.execute(oldest).scalars())
            if ids:
                conn.execute(delete(T).where(T.c.id.in_(ids)))
        deleted += len(ids)
        if len(ids) < batch:
            return deleted


def delete_ids(db: Database, ids: list[int], batch: int = 500) -> int:
    deleted = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        with db.write() as conn:
            deleted += conn.execute(delete(T).where(T.c.id.in_(chunk))).rowcount or 0
    return deleted
