"""Execution records: one row per execution, kept in their own database, written off the handler's path and
read in keyset pages. Imports nothing of the events it records."""
from .model import Bucket, Cursor, ExecutionRecord, Message, Page, Percentiles
from .query import LIST_COLUMNS, Filters
from .schema import STATUSES, records_url_for
from .store import RecordStore, to_micros

__all__ = [
    "Bucket", "Cursor", "ExecutionRecord", "Filters", "LIST_COLUMNS", "Message", "Page", "Percentiles", "RecordStore",
    "STATUSES", "records_url_for", "to_micros",
]
