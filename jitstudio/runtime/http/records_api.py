"""`GET /api/records` and `GET /api/records/{id}`: the execution records for tools, read through the record
store's public methods; newest first in keyset pages (`next` is the cursor of the following page)."""
from __future__ import annotations

from typing import Any, Mapping

from ._calls import BAD_REQUEST, NOT_FOUND, ApiError
from ..records import STATUSES, Cursor, ExecutionRecord, RecordStore, to_micros

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_SUMMARY_LEAVES_OUT = ("input", "output", "traceback", "steps")


def list_records(store: RecordStore, params: Mapping[str, str]) -> dict[str, Any]:
    """One page: filters `status`, `event`, `since`, `until` (ISO-8601 or epoch seconds), `text` (error
    text; `error` is a synonym), `limit` (1-500, default 50) and `cursor` (the `next` of the page before)."""
    unknown = set(params) - {"status", "event", "since", "until", "text", "error", "limit", "cursor"}
    if unknown:
        raise ApiError(BAD_REQUEST, f"GET /api/records takes no parameter {', '.join(sorted(unknown))}; it takes "
                                    "status, event, since, until, text, limit, cursor")
    status = params.get("status")
    if status is not None and status not in STATUSES:
        raise ApiError(BAD_REQUEST, f"status {status!r} is not one of {', '.join(STATUSES)}")
    page = store.page(event=params.get("event") or None, status=status, since=_time(params, "since"),
                      until=_time(params, "until"), text=params.get("text") or params.get("error") or None,
                      after=_cursor(params.get("cursor")), limit=_limit(params.get("limit")), full=False)
    return {"records": [_summary(r) for r in page.records],
            "next": page.next_cursor.encode() if page.next_cursor else None}


def record_detail(store: RecordStore, record_id: str) -> dict[str, Any]:
    """The whole record (input, output, error, traceback, execution path) with its children and re-runs."""
    try:
        record = store.get(int(record_id))
    except ValueError:
        raise ApiError(BAD_REQUEST, f"{record_id!r} is not a record id") from None
    except KeyError:
        raise ApiError(NOT_FOUND, f"there is no execution record {record_id}") from None
    return {**record.to_json(), "children": [c.id for c in store.children(record.id)],
            "reruns": [r.id for r in store.reruns(record.id)]}


def _summary(record: ExecutionRecord) -> dict[str, Any]:
    data = record.to_json()
    for key in _SUMMARY_LEAVES_OUT:
        data.pop(key, None)
    return data


def _time(params: Mapping[str, str], name: str) -> float | str | None:
    text = params.get(name)
    if not text:
        return None
    value: float | str = float(text) if _is_number(text) else text
    try:
        to_micros(value)
        return value
    except (TypeError, ValueError):
        raise ApiError(BAD_REQUEST, f"{name} {text!r} is not a time: give ISO-8601 (2025-01-31T12:00:00Z) "
                                    "or seconds since the epoch") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise ApiError(BAD_REQUEST, f"limit {text!r} must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def _cursor(text: str | None) -> Cursor | None:
    if not text:
        return None
    try:
        return Cursor.decode(text)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(BAD_REQUEST, "cursor is not one this server handed out (use the `next` of a page)") from None
