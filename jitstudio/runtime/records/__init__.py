"""Execution records: one row per execution, kept in their own database, written off the handler's path and
read in keyset pages. Imports nothing of the events it records. Each name is imported on first use."""
from typing import TYPE_CHECKING

from ... import lazy_exports

__all__ = [
    "Bucket", "Cursor", "ExecutionRecord", "Filters", "LIST_COLUMNS", "Message", "Page", "Percentiles", "RecordStore",
    "STATUSES", "records_url_for", "to_micros",
]

if TYPE_CHECKING:
    from .model import Bucket, Cursor, ExecutionRecord, Message, Page, Percentiles
    from .query import LIST_COLUMNS, Filters
    from .schema import STATUSES, records_url_for
    from .store import RecordStore, to_micros
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".model": ("Bucket", "Cursor", "ExecutionRecord", "Message", "Page", "Percentiles"),
        ".query": ("LIST_COLUMNS", "Filters"),
        ".schema": ("STATUSES", "records_url_for"),
        ".store": ("RecordStore", "to_micros"),
    })
