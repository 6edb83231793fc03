"""Execution records: one row per execution of an event handler, kept in their own database.

Writes are queued and committed in batches by a background thread (see _records_writer), so recording costs
the handler microseconds. Reads are keyset-paginated newest first over indexes that lead with the filtered
columns, so a page costs the same at any depth; counts, chart buckets and percentiles are for the record
browser's background work.
"""
from __future__ import annotations

import functools
import json
import os
import socket
import threading
from typing import Any, Callable, Iterable, Mapping, Sequence

from sqlalchemy import and_, bindparam, func, insert, select, update

from . import query
from .writer import COLUMNS, FINISH_COLUMNS, FINISH_WALL, RecordWriter, insert_rows, reserve_ids, path_text
from .model import Bucket, Cursor, ExecutionRecord, Message, Page, Percentiles
from .query import LIST_COLUMNS, Filters
from .schema import (
    STATUSES, SUMMARY_COLUMNS, Database, default_url, messages_table, now_us, process_is_gone, records_table,
    records_url_for, this_process, to_us,
)
from ..values.jsonable import dumps, to_jsonable

__all__ = [
    "Bucket", "Cursor", "ExecutionRecord", "Filters", "LIST_COLUMNS", "Message", "Page", "Percentiles", "RecordStore",
    "STATUSES", "records_url_for", "to_micros",
]

T = records_table
M = messages_table
FINAL_STATUSES = ("success", "fail")

_ROOT_OF = select(T.c.root_id).where(T.c.id == bindparam("v_id"))


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=to_jsonable)


def _json(value: Any) -> str | None:
    """JSON text of our own structures (paths, frames); values that JSON lacks go through to_jsonable."""
    return None if value is None else _ENCODER.encode(value)


@functools.lru_cache(maxsize=4096)
def _chain_json(chain: tuple[str, ...]) -> str:
    return _ENCODER.encode(list(chain))


class RecordStore:
    """The execution records and app messages of one app. Thread-safe; share one instance per process.

    `url` is a SQLAlchemy URL; without one, SQLite at APP_DIR/.jitstudio/records.db (WAL)."""

    def __init__(self, url: str | None = None, *, app_dir: str | os.PathLike | None = None):
        if url is None:
            if app_dir is None:
                raise ValueError("RecordStore needs a database URL or the app's folder")
            url = default_url(app_dir)
        self.app_dir = app_dir
        self._db = Database(url)
        self._writer = RecordWriter(self._db)
        self._process = this_process()
        self.url = self._db.url.render_as_string(hide_password=False)

    @property
    def is_sqlite(self) -> bool:
        return self._db.is_sqlite

    def close(self) -> None:
        """Write what is queued and release the database."""
        self._writer.close()
        self._db.dispose()

    def flush(self) -> None:
        """Commit queued record writes now (reads in this process do this themselves)."""
        self._writer.flush()

    def _synced(self) -> Database:
        if self._writer.pending():
            self._writer.flush()
        return self._db

    def _read(self):
        return self._synced().read()

    def __enter__(self) -> "RecordStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------------------

    def begin(self, *, event: str, event_type: str = "", sender: str = "", operate: str = "", input: Any = None,
              parent_id: int | None = None, attempt: int = 1, is_async: bool = False, rerun_of: int | None = None,
              chain: Sequence[str] | None = None, request_id: str | None = None, root_id: int | None = None,
              started_us: int | None = None, job_id: str | None = None) -> int:
        """Start a `running` record and return its id. `root_id` defaults to the parent's root. The write is
        queued and committed within milliseconds; reads in this process see it at once."""
        started = started_us if started_us is not None else now_us()
        if parent_id is not None and root_id is None:
            root_id = self._root_of(parent_id)
        writer = self._writer
        record_id = writer.new_id()
        # the values in COLUMNS order
        writer.begin([
            record_id, event, event_type or "", sender or "", operate or "", "running", started, None, None,
            dumps(input), None, None, None, None, parent_id, root_id, attempt, bool(is_async), rerun_of,
            _chain_json(tuple(chain) if chain is not None else (event,)), request_id, self._process, job_id,
        ])
        return record_id

    def _root_of(self, parent_id: int) -> int:
        info = self._writer.open_info(parent_id)
        if info is not None:
            return info[1] or parent_id
        with self._read() as conn:
            return conn.execute(_ROOT_OF, {"v_id": parent_id}).scalar() or parent_id

    def finish(self, record_id: int, *, status: str, output: Any = None, error: str | None = None,
               traceback: list[dict] | None = None, steps: list[dict] | None = None,
               duration_ms: float | None = None, steps_json: str | Callable[[], str] | None = None) -> None:
        """Close a record as `success` or `fail`. Without `duration_ms`, the wall time since begin is used.
        `steps_json` is the execution path as JSON text (instead of `steps`), or a function giving it, called
        when the record is written (it must not change after this call). Raises KeyError for a record that
        does not exist."""
        if status not in FINAL_STATUSES:
            raise ValueError(f"a finished record's status is success or fail, not {status!r}")
        # the values in FINISH_COLUMNS order
        values = [status, now_us(), None if output is None else dumps(output), error, _json(traceback),
                  steps_json if steps_json is not None else _json(steps), duration_ms]
        if self._writer.finish(record_id, values):
            return
        self._writer.flush()
        if callable(values[5]):
            values[5] = path_text(values[5])
        params = {"v_id": record_id, **{f"v_{c}": v for c, v in zip(FINISH_COLUMNS, values)}}
        with self._db.write() as conn:
            if conn.execute(FINISH_WALL, params).rowcount == 0:
                raise KeyError(f"no execution record {record_id}")

    def fail_abandoned(self) -> int:
        """Mark as failed the `running` records whose process (on this host) has ended without finishing
        them, e.g. killed; the runtime calls this when it opens an app. Returns how many."""
        with self._read() as conn:
            stmt = select(T.c.process).where(T.c.status == "running").distinct()
            gone = [p for p in conn.execute(stmt).scalars() if p and process_is_gone(p)]
        if not gone:
            return 0
        with self._db.write() as conn:
            result = conn.execute(update(T).where(T.c.status == "running", T.c.process.in_(gone)).values(
                status="fail", ended_at=now_us(),
                error="Abandoned: the process running this execution ended before it finished"))
            return result.rowcount or 0

    def fail_stopped(self, pid: int, error: str) -> list[int]:
        """Mark as failed, with `error`, the `running` records of a process on this host that was stopped
        (the IDE stops a test run's process); call once the process has ended. Returns their ids."""
        left_running = and_(T.c.status == "running", T.c.process == f"{pid}@{socket.gethostname()}")
        ended = now_us()
        with self._db.write() as conn:
            ids = list(conn.execute(select(T.c.id).where(left_running).order_by(T.c.id)).scalars())
            if ids:
                conn.execute(update(T).where(left_running, T.c.id.in_(ids)).values(
                    status="fail", ended_at=ended, duration_ms=(ended - T.c.started_at) / 1000.0, error=error))
            return ids

    def job_succeeded(self, job_id: str) -> bool:
        """Whether an attempt of this queued job has a committed success record."""
        with self._read() as conn:
            return conn.execute(select(T.c.id).where(T.c.job_id == job_id, T.c.status == "success").limit(1)).first() is not None

    def fail_job_attempts(self, job_id: str) -> int:
        """Mark as failed the `running` records of a queued job whose worker stopped without finishing it
        (its queue hands the job to another worker as a new attempt). Returns how many."""
        self._writer.flush()
        with self._db.write() as conn:
            result = conn.execute(update(T).where(T.c.job_id == job_id, T.c.status == "running").values(
                status="fail", ended_at=now_us(),
                error="Abandoned: the worker running this execution stopped before it finished; "
                      "the queue runs it again as the next attempt"))
            return result.rowcount or 0

    def insert_many(self, rows: Iterable[Mapping[str, Any]], *, batch: int = 20_000) -> int:
        """Bulk-insert finished records given as column dicts (JSON columns as text; ids are assigned in
        order); for imports, tests and benchmarks. Returns how many were written."""
        written = 0
        chunk: list[Mapping[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                written += self._insert_chunk(chunk)
                chunk = []
        if chunk:
            written += self._insert_chunk(chunk)
        return written

    def _insert_chunk(self, chunk: list[Mapping[str, Any]]) -> int:
        first = reserve_ids(self._db, len(chunk))
        rows = [tuple(first + n if c == "id" else row.get(c) for c in COLUMNS) for n, row in enumerate(chunk)]
        with self._db.write() as conn:
            insert_rows(conn, self._db, rows)
        return len(rows)

    def delete(self, ids: Iterable[int]) -> int:
        return query.delete_ids(self._synced(), sorted(set(ids)))

    def prune(self, max_age_days: float | None = None, max_count: int | None = None, batch: int = 500) -> int:
        """Delete records (and messages) older than `max_age_days`, then all but the newest `max_count`
        records, in transactions of `batch` rows. None means no limit. Returns the records deleted."""
        deleted = query.prune(self._synced(), max_age_days, max_count, batch)
        if max_age_days is not None:
            cutoff = now_us() - int(max_age_days * 86_400_000_000)
            with self._db.write() as conn:
                conn.execute(M.delete().where(M.c.created_at < cutoff))
        return deleted

    def prune_for_app(self, app_settings: Any) -> int:
        """Prune with app.json `runtime.records` (an AppSpec, its RuntimeSettings or RecordsSettings)."""
        settings = getattr(getattr(app_settings, "runtime", app_settings), "records", app_settings)
        return self.prune(settings.maxAgeDays, settings.maxCount)

    # -- reading -------------------------------------------------------------------------------------------

    def get(self, record_id: int) -> ExecutionRecord:
        with self._read() as conn:
            row = conn.execute(select(T).where(T.c.id == record_id)).mappings().first()
        if row is None:
            raise KeyError(f"no execution record {record_id}")
        return ExecutionRecord.from_row(row)

    def get_many(self, ids: Iterable[int], *, full: bool = True) -> list[ExecutionRecord]:
        """The records with these ids that still exist, newest first (the browser refreshes running rows)."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        columns = list(T.c) if full else SUMMARY_COLUMNS
        with self._read() as conn:
            stmt = query.newest_first(select(*columns).where(T.c.id.in_(wanted)))
            return ExecutionRecord.from_rows(conn.execute(stmt))

    def page(self, *, event: str | None = None, status: str | None = None, since: Any = None, until: Any = None,
             text: str | None = None, after: Cursor | None = None, newer_than: Cursor | None = None,
             limit: int = 100, full: bool = True) -> Page:
        """Up to `limit` matching records, newest first, older than cursor `after`. `newer_than` keeps only
        records newer than a cursor (live updates). `full=False` leaves out input, output, traceback and steps."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        filters = Filters(event, status, since, until, text)
        stmt = query.page_statement(filters.shape(), after is not None, newer_than is not None, full)
        params = {**filters.params(), **query.cursor_params(after, newer_than), "n_rows": limit + 1}
        with self._read() as conn:
            records = ExecutionRecord.from_rows(conn.execute(stmt, params))
        more = len(records) > limit
        del records[limit:]
        return Page(records, records[-1].cursor if more else None)

    def page_rows(self, *, event: str | None = None, status: str | None = None, since: Any = None,
                  until: Any = None, text: str | None = None, after: Cursor | None = None,
                  newer_than: Cursor | None = None, limit: int = 100) -> tuple[list[tuple], Cursor | None]:
        """The rows `page(...)` would return, as plain tuples of `LIST_COLUMNS` values (id, started_at,
        duration_ms, status, event, event_type, sender, operate, is_async, error, parent_id, rerun_of), and the
        cursor of the next page (None at the end). For lists of many records: no record objects are built,
        and each database row is released as soon as its tuple is made, so paging leaves next to nothing for
        the garbage collector."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        filters = Filters(event, status, since, until, text)
        stmt = query.list_page_statement(filters.shape(), after is not None, newer_than is not None)
        params = {**filters.params(), **query.cursor_params(after, newer_than), "n_rows": limit + 1}
        with self._read() as conn:
            rows = [tuple(row) for row in conn.execute(stmt, params)]
        if len(rows) <= limit:
            return rows, None
        del rows[limit:]
        return rows, Cursor(rows[-1][1], rows[-1][0])

    def count(self, *, event: str | None = None, status: str | None = None, since: Any = None, until: Any = None,
              text: str | None = None, cancel: threading.Event | None = None) -> int | None:
        """How many records match; None if `cancel` is set before the count finishes (it stops promptly)."""
        return query.count(self._synced(), Filters(event, status, since, until, text), cancel)

    def children(self, record_id: int) -> list[ExecutionRecord]:
        """The executions started from this one, in the order they started."""
        return self._linked(T.c.parent_id == record_id)

    def reruns(self, record_id: int) -> list[ExecutionRecord]:
        """The re-runs of this execution, in the order they started."""
        return self._linked(T.c.rerun_of == record_id)

    def by_request(self, request_id: str) -> list[ExecutionRecord]:
        """The whole chain of executions of one request, in the order they started."""
        return self._linked(T.c.request_id == request_id)

    def request_counts(self, request_id: str) -> dict[str, int]:
        """How many executions of one request there are, by status."""
        stmt = select(T.c.status, func.count()).where(T.c.request_id == request_id).group_by(T.c.status)
        with self._read() as conn:
            return {status: count for status, count in conn.execute(stmt)}

    def _linked(self, condition) -> list[ExecutionRecord]:
        stmt = select(T).where(condition).order_by(T.c.started_at, T.c.id)
        with self._read() as conn:
            return ExecutionRecord.from_rows(conn.execute(stmt))

    def histogram(self, filters: Filters | None = None, buckets: int = 60) -> list[Bucket]:
        """Executions per time bucket by status, over [since, until) or the matching records' span."""
        return query.histogram(self._synced(), filters or Filters(), buckets)

    def duration_percentiles(self, filters: Filters | None = None, *, sample: int = 20_000) -> Percentiles:
        """p50/p95 duration (nearest rank) of the newest `sample` finished records matching `filters`."""
        return query.duration_percentiles(self._synced(), filters or Filters(), sample)

    def latest_started_us(self) -> int | None:
        """The newest start time (constant time); the browser polls it to notice new records."""
        with self._read() as conn:
            return conn.execute(query.newest_first(select(T.c.started_at)).limit(1)).scalar()

    def failures_by_event(self, since: Any = None) -> dict[str, int]:
        """Failed executions per event fullName (for badges in the IDE's tree)."""
        filters = Filters(status="fail", since=since)
        stmt = select(T.c.event, func.count()).where(*filters.clauses()).group_by(T.c.event)
        with self._read() as conn:
            return dict(conn.execute(stmt, filters.params()).all())

    def event_log(self, fullName: str | None = None, startTime: Any = None, endTime: Any = None,
                  status: str | None = None, page: int = 1, pageSize: int = 20) -> dict[str, Any]:
        """The reference's `getEventLog`: {"totalCount", "rowDatas"} for one page (1-based), newest first."""
        if page < 1 or pageSize < 1:
            raise ValueError("page and pageSize start at 1")
        filters = Filters(fullName or None, status or None, startTime, endTime)
        stmt = query.newest_first(select(T).where(*filters.clauses())).offset((page - 1) * pageSize).limit(pageSize)
        with self._read() as conn:
            records = ExecutionRecord.from_rows(conn.execute(stmt, filters.params()))
        total = query.count(self._synced(), filters, None)
        return {"totalCount": total, "rowDatas": [r.to_json() for r in records]}

    # -- messages ------------------------------------------------------------------------------------------

    def add_message(self, title: str, content: str = "", receivers: Any = None, level: str = "info",
                    source: str | None = None) -> int:
        """Store a notification from the app (shown in the IDE's Messages pane); returns its id."""
        row = {"created_at": now_us(), "title": str(title), "content": "" if content is None else str(content),
               "receivers": dumps(receivers if receivers is not None else []), "level": level, "source": source}
        with self._db.write() as conn:
            return conn.execute(insert(M).values(row)).inserted_primary_key[0]

    def messages(self, after_id: int | None = None, limit: int = 100) -> list[Message]:
        """Messages in the order they were added, after `after_id` (to tail them)."""
        stmt = select(M).order_by(M.c.id).limit(limit)
        if after_id is not None:
            stmt = stmt.where(M.c.id > after_id)
        with self._read() as conn:
            return [Message.from_row(r) for r in conn.execute(stmt).mappings()]


def to_micros(value: Any) -> int:
    """Microseconds since the epoch (UTC) of a datetime, ISO string or epoch seconds."""
    return to_us(value)
