"""Shared by the record-store tests: a store on a real SQLite file or a fresh PostgreSQL database."""
from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jitstudio.runtime.records import RecordStore

PG_ENV = "JITSTUDIO_TEST_PG_URL"


def pg_server_url() -> str:
    """The server URL from $JITSTUDIO_TEST_PG_URL, or skip the test saying why."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL not available: ${PG_ENV} is not set (start one with .ci/postgres.sh)")
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any connection failure is a reason to skip
        pytest.skip(f"PostgreSQL not reachable at ${PG_ENV}: {type(exc).__name__}: {exc}")
    return url


def fresh_pg_database() -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards."""
    server = pg_server_url()
    name = f"jst_records_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_store(kind: str, tmp_path) -> Iterator[RecordStore]:
    if kind == "sqlite":
        store = RecordStore(app_dir=tmp_path)
        yield store
        store.close()
        return
    for url in fresh_pg_database():
        store = RecordStore(url)
        yield store
        store.close()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def synthetic_row(i: int, *, started_us: int, event: str = "events.A", status: str = "success",
                  error: str | None = None, duration_ms: float = 1.0, parent_id: int | None = None) -> dict:
    return {"event": event, "event_type": "events.ModelType", "sender": "models.Order", "operate": "AddAfter",
            "status": status, "started_at": started_us,
            "ended_at": None if status == "running" else started_us + int(duration_ms * 1000),
            "duration_ms": None if status == "running" else duration_ms, "input": f'{{"i":{i}}}',
            "output": None, "error": error, "traceback": None, "steps": "[]", "parent_id": parent_id,
            "root_id": parent_id, "attempt": 1, "is_async": False, "rerun_of": None,
            "chain": f'["{event}"]', "request_id": None}
