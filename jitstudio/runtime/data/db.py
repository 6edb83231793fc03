"""Where an app's data lives: the database URL and an engine tuned for many short writing transactions."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from ...errors import UserError

DB_ENV = "JITSTUDIO_DB_URL"
STATE_DIR = ".jitstudio"
BUSY_TIMEOUT_MS = 30_000


class DatabaseUrlError(UserError, ValueError):
    """A database URL that cannot be used, with where it came from."""


def resolve_db_url(app_dir: Path, explicit: str | None = None, app_setting: str | None = None) -> tuple[str, str]:
    """(url, where it came from): the --db flag, then $JITSTUDIO_DB_URL, then app.json runtime.db, then
    SQLite in the app's .jitstudio folder."""
    for url, origin in ((explicit, "--db"), (os.environ.get(DB_ENV), f"${DB_ENV}"), (app_setting, "app.json runtime.db")):
        if url:
            return _normalise(url, origin, app_dir), origin
    state = Path(app_dir) / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(state / 'data.db').as_posix()}", "default"


def _normalise(url: str, origin: str, app_dir: Path) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"{origin}: {url!r} is not a database URL ({exc}); e.g. sqlite:///data.db or postgresql+psycopg://user@host/db") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            path = Path(app_dir) / path
        path.parent.mkdir(parents=True, exist_ok=True)
        parsed = parsed.set(database=str(path))
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except ModuleNotFoundError as exc:
        raise DatabaseUrlError(f"the driver for {parsed.drivername} is not installed ({exc.name}); for PostgreSQL: pip install 'psycopg[binary]'") from None


def _sqlite_engine(url: str) -> Engine:
    memory = make_url(url).database in (None, "", ":memory:")
    engine = create_engine(url, poolclass=NullPool) if memory else create_engine(url, pool_size=16, max_overflow=32, pool_timeout=60)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # transactions are begun below, so writers can take the lock up front
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer that starts as a reader cannot wait for the lock when it upgrades ("database is locked");
        # BEGIN IMMEDIATE takes the write lock at once, waiting up to busy_timeout.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the database file to WAL (kept in the file, so usually already done). Switching needs the file
    to itself and SQLite answers "database is locked" at once instead of waiting busy_timeout, which happens
    when several processes open a new database together: retry until busy_timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
