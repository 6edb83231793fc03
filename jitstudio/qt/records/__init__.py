"""The execution-record browser: `QtRecordsPage`, keyed by `records_key`; the IDE shows it through the records
feature (`jitstudio.qt.features.records`)."""
from .page import QtRecordsPage, records_key

__all__ = ["QtRecordsPage", "records_key"]
