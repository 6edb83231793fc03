"""The loaded rows of the records table, kept column by column so a million of them stay small (about 40
bytes a row instead of a few hundred as Python objects). Rows are in the store's order: newest first.

`RowBlock` is what a worker thread builds from a page of records; `RowColumns` holds the rows the table shows.
"""
from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Iterable

from ...runtime.records import Cursor, ExecutionRecord

STATUS_CODES = {"running": 0, "success": 1, "fail": 2, "waiting": 3}
STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}
ERROR_SUMMARY_CHARS = 240


def error_summary(error: str | None) -> str:
    if not error:
        return ""
    line = error.strip().splitlines()[0] if error.strip() else ""
    return line if len(line) <= ERROR_SUMMARY_CHARS else line[:ERROR_SUMMARY_CHARS - 1] + "…"


def trigger_text(record: ExecutionRecord) -> str:
    """What started the execution: the sender and operation (`models.Order · AddAfter`)."""
    return trigger_of(record.sender, record.operate, record.event_type, record.is_async)


def trigger_of(sender: str | None, operate: str | None, event_type: str | None, is_async: bool) -> str:
    parts = [p for p in (sender, operate) if p]
    text = " · ".join(parts) if parts else event_type or ""
    return f"{text} (async)" if is_async else text


@dataclass
class RowBlock:
    """Rows built off the GUI thread from records, newest first."""

    ids: array = field(default_factory=lambda: array("q"))
    started: array = field(default_factory=lambda: array("q"))
    durations: array = field(default_factory=lambda: array("d"))
    status: bytearray = field(default_factory=bytearray)
    events: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)
    reruns: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[ExecutionRecord]) -> "RowBlock":
        block = cls()
        for r in records:
            block.ids.append(r.id)
            block.started.append(r.started_us)
            block.durations.append(math.nan if r.duration_ms is None else r.duration_ms)
            block.status.append(STATUS_CODES.get(r.status, 0))
            block.events.append(r.event)
            block.triggers.append(trigger_text(r))
            if r.error:
                block.errors[r.id] = error_summary(r.error)
            if r.parent_id is not None:
                block.parents[r.id] = r.parent_id
            if r.rerun_of is not None:
                block.reruns[r.id] = r.rerun_of
        return block

    @classmethod
    def from_list_rows(cls, rows: Iterable[tuple]) -> "RowBlock":
        """From `RecordStore.page_rows` tuples (`LIST_COLUMNS` order): no record objects in between."""
        block = cls()
        ids, started, durations, status, events, triggers = (block.ids, block.started, block.durations, block.status,
                                                              block.events, block.triggers)
        running = STATUS_CODES["running"]
        for (record_id, started_us, duration_ms, status_name, event, event_type, sender, operate, is_async, error,
             parent_id, rerun_of) in rows:
            ids.append(record_id)
            started.append(started_us)
            durations.append(math.nan if duration_ms is None else duration_ms)
            status.append(STATUS_CODES.get(status_name, running))
            events.append(event)
            triggers.append(trigger_of(sender, operate, event_type, bool(is_async)))
            if error:
                block.errors[record_id] = error_summary(error)
            if parent_id is not None:
                block.parents[record_id] = parent_id
            if rerun_of is not None:
                block.reruns[record_id] = rerun_of
        return block

    def __len__(self) -> int:
        return len(self.ids)


class RowColumns:
    """The rows of the table. Event and trigger texts are stored once and referred to by number."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.ids = array("q")
        self.started = array("q")
        self.durations = array("d")
        self.status = bytearray()
        self.event_ix = array("I")
        self.trigger_ix = array("I")
        self.errors: dict[int, str] = {}
        self.parents: dict[int, int] = {}
        self.reruns: dict[int, int] = {}
        self.texts: list[str] = []
        self._text_ix: dict[str, int] = {}
        self.running: set[int] = set()

    def __len__(self) -> int:
        return len(self.ids)

    def _numbers(self, texts: list[str]) -> array:
        out = array("I")
        for text in texts:
            number = self._text_ix.get(text)
            if number is None:
                number = self._text_ix[text] = len(self.texts)
                self.texts.append(text)
            out.append(number)
        return out

    def insert(self, at: int, block: RowBlock) -> None:
        self.ids[at:at] = block.ids
        self.started[at:at] = block.started
        self.durations[at:at] = block.durations
        self.status[at:at] = block.status
        self.event_ix[at:at] = self._numbers(block.events)
        self.trigger_ix[at:at] = self._numbers(block.triggers)
        self.errors.update(block.errors)
        self.parents.update(block.parents)
        self.reruns.update(block.reruns)
        running = STATUS_CODES["running"]
        self.running.update(i for i, s in zip(block.ids, block.status) if s == running)

    def replace(self, row: int, block: RowBlock, index: int = 0) -> None:
        """Overwrite `row` with row `index` of `block` (the same record, changed)."""
        record_id = self.ids[row]
        self.durations[row] = block.durations[index]
        self.status[row] = block.status[index]
        self.event_ix[row] = self._numbers([block.events[index]])[0]
        self.trigger_ix[row] = self._numbers([block.triggers[index]])[0]
        self.errors.pop(record_id, None)
        if record_id in block.errors:
            self.errors[record_id] = block.errors[record_id]
        if block.status[index] != STATUS_CODES["running"]:
            self.running.discard(record_id)

    def remove(self, row: int) -> None:
        record_id = self.ids[row]
        for column in (self.ids, self.started, self.durations, self.status, self.event_ix, self.trigger_ix):
            del column[row]
        for sparse in (self.errors, self.parents, self.reruns):
            sparse.pop(record_id, None)
        self.running.discard(record_id)

    def row_of(self, record_id: int) -> int:
        """The row showing `record_id`, or -1."""
        try:
            return self.ids.index(record_id)
        except ValueError:
            return -1

    def position_for(self, started_us: int, record_id: int) -> int:
        """Where a record belongs in the newest-first order (binary search on (started, id))."""
        lo, hi = 0, len(self.ids)
        key = (started_us, record_id)
        while lo < hi:
            mid = (lo + hi) // 2
            if (self.started[mid], self.ids[mid]) > key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def cursor(self, row: int) -> Cursor:
        return Cursor(self.started[row], self.ids[row])

    def status_name(self, row: int) -> str:
        return STATUS_NAMES[self.status[row]]

    def event(self, row: int) -> str:
        return self.texts[self.event_ix[row]]

    def trigger(self, row: int) -> str:
        return self.texts[self.trigger_ix[row]]

    def duration(self, row: int) -> float | None:
        value = self.durations[row]
        return None if math.isnan(value) else value
