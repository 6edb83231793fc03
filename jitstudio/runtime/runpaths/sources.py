"""Where run paths are read from: the app's project, its execution records and the data database that holds
the engines' tables (approval instances, tasks and actions; assistant sessions and their history)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import inspect

from ...project import Project, load_project
from ..data.db import make_engine, resolve_db_url
from ..records import ExecutionRecord, RecordStore, records_url_for
from ..records.schema import to_us

NAIVE_EPOCH = datetime(1970, 1, 1)


@dataclass
class RunSources:
    """An app's project, records and data engine. Safe to use from any one thread at a time; open it in the
    thread that reads (`open_sources`), or wrap an open Runtime's parts (`RunSources.of_runtime`)."""

    project: Project
    records: RecordStore
    engine: Any

    @classmethod
    def of_runtime(cls, runtime: Any) -> "RunSources":
        """The parts of an open Runtime (its records are flushed on every read in the same process)."""
        return cls(runtime.project, runtime.records, runtime.engine)

    def has_tables(self, *names: str) -> bool:
        """Whether the engines' tables exist (an app that never ran an approval or a turn has none)."""
        with self.engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
        return all(name in present for name in names)


@contextmanager
def open_sources(app_dir: str | os.PathLike, db_url: str | None = None, *,
                 project: Project | None = None, records: RecordStore | None = None) -> Iterator[RunSources]:
    """The run sources of the app in `app_dir` with its data on `db_url` (else $JITSTUDIO_DB_URL, app.json
    runtime.db, SQLite in .jitstudio, as the runtime chooses). A `project` or `records` store the caller
    already has is used and left open; what this opens is closed on leaving the block."""
    root = Path(app_dir).resolve()
    project = project or load_project(root)
    setting = project.app.runtime.db if project.app else None
    data_url, _origin = resolve_db_url(root, db_url, setting)
    engine = make_engine(data_url)
    own_records = records is None
    store = records or RecordStore(records_url_for(root, data_url))
    try:
        yield RunSources(project, store, engine)
    finally:
        engine.dispose()
        if own_records:
            store.close()


def utc_us(stamp: datetime | None) -> int | None:
    """Microseconds since the epoch of an engine table's time (naive means UTC, as the engines write them;
    the records' `to_us` reads naive as local time)."""
    if stamp is None:
        return None
    return to_us(stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=timezone.utc))


def naive_utc(us: int) -> datetime:
    """An engine table's time (naive UTC) for microseconds since the epoch."""
    return NAIVE_EPOCH + timedelta(microseconds=us)


def parent_chain(records: RecordStore, record: ExecutionRecord) -> Iterator[ExecutionRecord]:
    """The record, its parent, its parent's parent … up to its root."""
    seen: set[int] = set()
    current: ExecutionRecord | None = record
    while current is not None and current.id not in seen:
        yield current
        seen.add(current.id)
        if current.parent_id is None:
            return
        try:
            current = records.get(current.parent_id)
        except KeyError:
            return


def node_steps(steps: list[dict] | None) -> list[dict]:
    """The `node` steps of an execution path (the assistant runs each node in one), in the order they started."""
    return sorted(explicit_steps(steps, "node"), key=lambda s: s.get("startMs") or 0.0)


def explicit_steps(steps: list[dict] | None, kind: str) -> list[dict]:
    """The steps of one kind anywhere in an execution path, depth first."""
    found: list[dict] = []

    def walk(items: list[dict] | None) -> None:
        for item in items or []:
            if item.get("kind") == kind:
                found.append(item)
            walk(item.get("children"))
    walk(steps)
    return found
