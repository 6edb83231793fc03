"""The execution-record browser: `QtRecordsPage`, keyed by `records_key`; the IDE shows it through the records
feature (`jitstudio.qt.features.records`).

The page (and the record store under it) is imported when first asked for, so the window can paint before it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .page import QtRecordsPage


def records_key(event: str | None) -> str:
    return f"records:{event or '*'}"


def __getattr__(name: str) -> Any:
    if name != "QtRecordsPage":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .page import QtRecordsPage

    return QtRecordsPage


__all__ = ["QtRecordsPage", "records_key"]
