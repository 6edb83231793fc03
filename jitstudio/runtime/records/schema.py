"""The records database: tables, indexes, the engine, and time in integer microseconds since the epoch (UTC).

Times are stored as integers so keyset cursors compare exactly and histogram buckets are integer division on
every backend. Readers take no write lock; writers on SQLite take it up front (BEGIN IMMEDIATE), serialised
within the process by a lock so threads queue instead of polling the busy handler.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    BigInteger, Boolean, Column, Connection, Engine, Float, Index, Integer, MetaData, String, Table, Text,
    create_engine, event, inspect, text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

STATE_DIR = ".jitstudio"
RECORDS_FILE = "records.db"
BUSY_TIMEOUT_MS = 30_000
STATUSES = ("running", "success", "fail", "waiting")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_Id = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

records_table = Table(
    "execution_records", metadata,
    Column("id", _Id, primary_key=True, autoincrement=False),
    Column("event", String(255), nullable=False),
    Column("event_type", String(64), nullable=False, default=""),
    Column("sender", String(255), nullable=False, default=""),
    Column("operate", String(64), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("started_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger),
    Column("duration_ms", Float),
    Column("input", Text),
    Column("output", Text),
    Column("error", Text),
    Column("traceback", Text),
    Column("steps", Text),
    Column("parent_id", BigInteger),
    Column("root_id", BigInteger),
    Column("attempt", Integer, nullable=False, default=1),
    Column("is_async", Boolean, nullable=False, default=False),
    Column("rerun_of", BigInteger),
    Column("chain", Text),
    Column("request_id", String(64)),
    Column("process", String(128)),
    Column("job_id", String(64)),
    Index("ix_records_started", "started_at", "id"),
    Index("ix_records_event_started", "event", "started_at", "id"),
    Index("ix_records_status_started", "status", "started_at", "id"),
    Index("ix_records_event_status_started", "event", "status", "started_at", "id"),
    Index("ix_records_parent", "parent_id"),
    Index("ix_records_rerun_of", "rerun_of"),
    Index("ix_records_request", "request_id"),
    Index("ix_records_job", "job_id"),
)

ids_table = Table(
    "execution_record_ids", metadata,
    Column("name", String(32), primary_key=True),
    Column("next_id", BigInteger, nullable=False),
)

messages_table = Table(
    "messages", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("created_at", BigInteger, nullable=False),
    Column("title", Text, nullable=False),
    Column("content", Text, nullable=False, default=""),
    Column("receivers", Text, nullable=False, default="[]"),
    Column("level", String(16), nullable=False, default="info"),
    Column("source", String(255)),
)

SUMMARY_COLUMNS = [c for c in records_table.c if c.name not in ("input", "output", "traceback", "steps")]


SCHEMA_LOCK_KEY = 0x6A6974_5F736368  # any fixed bigint that every jitstudio process agrees on


def schema_lock(conn: Connection) -> None:
    """Serialise schema changes between processes until `conn`'s transaction ends. On PostgreSQL an advisory
    lock, taken first in the transaction (DDL is transactional there); on SQLite the engine's BEGIN
    IMMEDIATE has already taken the database's write lock. Read what exists only after taking it."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def this_process() -> str:
    """What `process` holds for records written here: pid@host."""
    return f"{os.getpid()}@{socket.gethostname()}"


def process_is_gone(process: str) -> bool:
    """Whether a pid@host process on this host has ended (processes elsewhere are never judged gone)."""
    pid, _, host = process.partition("@")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def now_us() -> int:
    return time.time_ns() // 1000


def to_us(value: datetime | date | str | int | float) -> int:
    """Microseconds since the epoch of a datetime (naive means local time), an ISO string, or epoch seconds."""
    if isinstance(value, bool):
        raise TypeError("a time cannot be a bool")
    if isinstance(value, (int, float)):
        return int(round(value * 1_000_000))
    if isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.astimezone()
        delta = aware - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    if isinstance(value, date):
        return to_us(datetime(value.year, value.month, value.day))
    raise TypeError(f"not a time: {value!r}")


def from_us(us: int | None) -> datetime | None:
    if us is None:
        return None
    return _EPOCH + timedelta(microseconds=us)


def iso(us: int | None) -> str | None:
    stamp = from_us(us)
    return None if stamp is None else stamp.isoformat(timespec="microseconds").replace("+00:00", "Z")


def default_url(app_dir: str | os.PathLike) -> str:
    state = Path(app_dir) / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(state / RECORDS_FILE).as_posix()}"


def records_url_for(app_dir: str | os.PathLike, data_url: str | None) -> str:
    """Where an app's records go given its data URL: a server database holds them in its own tables (they are
    written on their own connections, so a rolled-back write keeps its record); SQLite apps get a separate
    file so that record writes never wait for the data file's write lock."""
    if data_url and make_url(data_url).get_backend_name() != "sqlite":
        return data_url
    return default_url(app_dir)


class Database:
    """An engine plus the transaction helpers every store operation uses."""

    def __init__(self, url: str):
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.memory = self.is_sqlite and parsed.database in (None, "", ":memory:")
        if self.is_sqlite and not self.memory:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = self._make_engine()
        self._write_lock = threading.Lock() if self.is_sqlite else None
        self._memory_lock = threading.RLock() if self.memory else None
        # On a SQLite file every write in this process goes through one connection under the lock: no pool
        # checkout per write, and BEGIN IMMEDIATE so other processes' writers queue on busy_timeout.
        self._writer_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else None
        self._writer: Connection | None = None
        self._reader_engine = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="AUTOCOMMIT")
        with self.write() as conn:
            schema_lock(conn)
            metadata.create_all(conn)
            self._add_missing_columns(conn)

    @staticmethod
    def _add_missing_columns(conn: Connection) -> None:
        """Bring a records database written by an earlier version up to date (columns are only added)."""
        for table in (records_table, messages_table):
            present = {c["name"] for c in inspect(conn).get_columns(table.name)}
            for column in table.c:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")
            for index in table.indexes:
                index.create(conn, checkfirst=True)

    def _make_engine(self) -> Engine:
        if not self.is_sqlite:
            # No ping per checkout: a page is one round trip (reads run in autocommit); a connection the server
            # dropped fails once and is replaced.
            return create_engine(self.url, pool_size=8, max_overflow=24, pool_recycle=1800)
        if self.memory:
            engine = create_engine(self.url, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            engine = create_engine(self.url, pool_size=8, max_overflow=24, pool_timeout=120,
                                   connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not self.memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN " + conn.get_execution_options().get("sqlite_begin", "DEFERRED"))

        return engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A short writing transaction, committed on exit."""
        if not self.is_sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._memory_lock or nullcontext(), self._write_lock:
            if self.memory:
                with self._writer_engine.begin() as conn:
                    yield conn
                return
            if self._writer is None or self._writer.invalidated or self._writer.closed:
                self._writer = self._writer_engine.connect()
                # A batch insert journals the pages it changes (to undo just itself); kept in memory, not
                # spilled to a temporary file per batch.
                driver = self._writer.connection.dbapi_connection
                if driver is not None:
                    driver.execute("PRAGMA temp_store = MEMORY")
            with self._writer.begin():
                yield self._writer

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading: a deferred transaction on SQLite, autocommit on a server."""
        with self._memory_lock or nullcontext():
            if not self.is_sqlite:
                with self._reader_engine.connect() as conn:
                    yield conn
                return
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn

    def dispose(self) -> None:
        if self._write_lock is not None:
            with self._write_lock:
                if self._writer is not None:
                    self._writer.close()
                    self._writer = None
        self.engine.dispose()
