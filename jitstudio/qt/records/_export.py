"""Exporting the filtered records to CSV or JSON on a worker thread, with progress and cancel.

The file is written beside its target and moved into place only when complete, so a cancelled or failed
export leaves nothing behind and never a half-written file under the chosen name."""
from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...runtime.records import ExecutionRecord, Filters, RecordStore
from ._tasks import Ticket

EXPORT_PAGE = 1_000
CSV_COLUMNS = ("id", "event", "eventType", "sender", "operate", "status", "startedAt", "endedAt", "durationMs",
               "error", "parentId", "rootId", "rerunOf", "attempt", "isAsync", "input", "output")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    written: int
    cancelled: bool


def csv_row(record: ExecutionRecord) -> list:
    data = record.to_json()
    row = []
    for column in CSV_COLUMNS:
        value = data[column]
        if column in ("input", "output"):
            value = "" if value is None else json.dumps(value, ensure_ascii=False, default=str)
        row.append("" if value is None else value)
    return row


def export_records(store: RecordStore, ticket: Ticket, filters: Filters, path: Path, fmt: str) -> ExportResult:
    """Write every record matching `filters`, newest first, to `path` as `fmt` ('csv' or 'json')."""
    if fmt not in ("csv", "json"):
        raise ValueError(f"export to csv or json, not {fmt!r}")
    path = Path(path)
    total = store.count(**asdict(filters), cancel=ticket.cancel)
    if total is None:
        return ExportResult(path, 0, True)
    partial = path.with_name(f".{path.name}.part")
    written = 0
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out) if fmt == "csv" else None
            if writer is not None:
                writer.writerow(CSV_COLUMNS)
            else:
                out.write("[")
            cursor = None
            ticket.progress(0, total)
            while True:
                if ticket.cancel.is_set():
                    raise _Cancelled
                page = store.page(**asdict(filters), after=cursor, limit=EXPORT_PAGE, full=True)
                for record in page.records:
                    if writer is not None:
                        writer.writerow(csv_row(record))
                    else:
                        out.write(",\n" if written else "\n")
                        out.write(json.dumps(record.to_json(), ensure_ascii=False, default=str))
                    written += 1
                ticket.progress(written, max(total, written))
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            if writer is None:
                out.write("\n]\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except _Cancelled:
        partial.unlink(missing_ok=True)
        return ExportResult(path, written, True)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportResult(path, written, False)


class _Cancelled(Exception):
    pass


class QtExportBar(QWidget):
    """The progress of an export, with its Cancel button."""

    sig_cancel = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(objectName="hint")
        self.bar = QProgressBar(objectName="exportProgress", maximumWidth=220)
        self.bar.setFormat("%p%")
        self.cancel = QPushButton("Cancel", objectName="cancelExport")
        self.cancel.clicked.connect(self.sig_cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def start(self, name: str) -> None:
        self.label.setText(f"Exporting to {name}…")
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        self.show()

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(f"Exporting {done:,} of {total:,}…")
