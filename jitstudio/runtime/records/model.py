"""The values the record store hands out: records, cursors, pages, chart buckets, messages."""
from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from .schema import from_us, iso


def _decode(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


@functools.lru_cache(maxsize=4096)
def _decode_chain(text: str | None) -> tuple[str, ...]:
    """Chains repeat across records (the same event paths), so their decoding is cached."""
    value = _decode(text)
    return tuple(value) if isinstance(value, list) else ()


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the newest-first order: the (started_at, id) of the last record of a page."""

    started_us: int
    id: int

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{self.started_us}:{self.id}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        started, _, ident = raw.partition(":")
        return cls(int(started), int(ident))


@dataclass(frozen=True)
class ExecutionRecord:
    """One execution. The JSON columns are kept as text (`*_json`) and decoded on first access of `input`,
    `output`, `traceback` and `steps`; a summary record (a page with full=False) has them all None."""

    id: int
    event: str
    event_type: str
    sender: str
    operate: str
    status: str
    started_us: int
    ended_us: int | None
    duration_ms: float | None
    error: str | None
    parent_id: int | None
    root_id: int | None
    attempt: int
    is_async: bool
    rerun_of: int | None
    chain: list[str]
    request_id: str | None
    job_id: str | None = None
    input_json: str | None = field(default=None, repr=False)
    output_json: str | None = field(default=None, repr=False)
    traceback_json: str | None = field(default=None, repr=False)
    steps_json: str | None = field(default=None, repr=False)

    @functools.cached_property
    def input(self) -> Any:
        return _decode(self.input_json)

    @functools.cached_property
    def output(self) -> Any:
        return _decode(self.output_json)

    @functools.cached_property
    def traceback(self) -> list[dict] | None:
        """Frames, innermost last: {file, line, function, code, in_app}; app files are relative."""
        return _decode(self.traceback_json)

    @functools.cached_property
    def steps(self) -> list[dict] | None:
        """The execution path (see docs/records.md for the step format)."""
        return _decode(self.steps_json)

    @property
    def started_at(self) -> datetime:
        return from_us(self.started_us)

    @property
    def ended_at(self) -> datetime | None:
        return from_us(self.ended_us)

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.started_us, self.id)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "ExecutionRecord":
        """From a dict of column values; JSON columns that are absent (a summary) stay None."""
        get = row.get
        record = object.__new__(cls)
        # Frozen: fill the instance dict directly (as unpickling does); much cheaper than __init__ per row.
        record.__dict__.update(
            id=row["id"], event=row["event"], event_type=row["event_type"], sender=row["sender"],
            operate=row["operate"], status=row["status"], started_us=row["started_at"], ended_us=row["ended_at"],
            duration_ms=row["duration_ms"], error=row["error"], parent_id=row["parent_id"],
            root_id=row["root_id"] or row["id"], attempt=row["attempt"], is_async=bool(row["is_async"]),
            rerun_of=row["rerun_of"], chain=list(_decode_chain(row["chain"])), request_id=row["request_id"],
            job_id=get("job_id"), input_json=get("input"), output_json=get("output"), traceback_json=get("traceback"),
            steps_json=get("steps"),
        )
        return record

    @classmethod
    def from_rows(cls, result: Any) -> list["ExecutionRecord"]:
        """From a SQLAlchemy result (any subset of the columns, by name)."""
        names = list(result.keys())
        return [cls.from_row(dict(zip(names, values))) for values in result.all()]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with camelCase keys and ISO-8601 UTC times."""
        return {
            "id": self.id, "event": self.event, "eventType": self.event_type, "sender": self.sender,
            "operate": self.operate, "status": self.status, "startedAt": iso(self.started_us),
            "endedAt": iso(self.ended_us), "durationMs": self.duration_ms, "input": self.input,
            "output": self.output, "error": self.error, "traceback": self.traceback, "steps": self.steps,
            "parentId": self.parent_id, "rootId": self.root_id, "attempt": self.attempt, "isAsync": self.is_async,
            "rerunOf": self.rerun_of, "chain": self.chain, "requestId": self.request_id,
            "jobId": self.job_id,
        }


@dataclass(frozen=True)
class Page:
    records: list[ExecutionRecord]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class Bucket:
    """Executions started in [start, end), by status."""

    start_us: int
    end_us: int
    counts: dict[str, int]

    @property
    def start(self) -> datetime:
        return from_us(self.start_us)

    @property
    def end(self) -> datetime:
        return from_us(self.end_us)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Percentiles:
    """Duration percentiles (ms) of finished executions; `sampled` when only the newest `count` were read."""

    p50: float | None
    p95: float | None
    count: int
    sampled: bool


@dataclass(frozen=True)
class Message:
    id: int
    created_us: int
    title: str
    content: str
    receivers: list
    level: str
    source: str | None

    @property
    def created_at(self) -> datetime:
        return from_us(self.created_us)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "Message":
        return cls(row["id"], row["created_at"], row["title"], row["content"], _decode(row["receivers"]) or [],
                   row["level"], row["source"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "createdAt": iso(self.created_us), "title": self.title, "content": self.content,
                "receivers": self.receivers, "level": self.level, "source": self.source}
