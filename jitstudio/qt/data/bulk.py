"""Import rows from CSV or JSON and export the filtered rows to CSV or JSON, through the data session.

An import maps the file's columns to the model's fields, sends the rows in chunks, each row written on its own
through the app's data API (events on or off), and reports the rows refused and why. An export reads keyset
pages and writes them to a temporary file that takes the chosen name only once it is complete. Both show
progress and stop when cancelled between chunks."""
from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from . import _format
from .client import QtDataClient

IMPORT_CHUNK = 200
EXPORT_PAGE = 1000
SKIP = None


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """The columns and rows of a CSV file (a header line first) or a JSON file (a list of objects)."""
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise ValueError(f"{path.name}: a JSON import is a list of objects, one per row")
        columns: list[str] = []
        for row in data:
            columns += [key for key in row if key not in columns]
        return columns, data
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def guess_mapping(columns: list[str], fields: list[dict]) -> dict[str, str | None]:
    """Each column to the writable field of the same name or title (case-insensitive), else skipped."""
    by_key: dict[str, str] = {}
    for field in fields:
        if _format.editor_kind(field) != "readonly":
            by_key.setdefault(field["name"].lower(), field["name"])
            by_key.setdefault(str(field["title"]).lower(), field["name"])
    return {column: by_key.get(column.strip().lower(), SKIP) for column in columns}


def mapped_row(row: dict, mapping: dict[str, str | None], fields: dict[str, dict]) -> dict:
    """A file row as field values: text cells read by datatype (numbers, JSON), empty cells left out."""
    values: dict[str, Any] = {}
    for column, name in mapping.items():
        if name is None or column not in row:
            continue
        value = row[column]
        if isinstance(value, str):
            if value == "":
                continue
            try:
                value = _format.parse_edit(fields[name], value)
            except ValueError:
                pass  # the session refuses it with the field's own message
        values[name] = value
    return values


class ImportRun(QObject):
    """Sends the rows chunk by chunk; `sig_progress(done, total)`, then `sig_done(report)` once, with
    `created`, `refused` ([{row, error}], row numbers from 1) and `cancelled`."""

    sig_progress = Signal(int, int)
    sig_done = Signal(dict)

    def __init__(self, client: QtDataClient, model: str, rows: list[dict], events: bool, parent: QObject | None = None):
        super().__init__(parent)
        self.client, self.model, self.rows, self.events = client, model, rows, events
        self.created = 0
        self.fired: dict[str, int] = {}  # executions the rows fired, by status
        self.refused: list[dict] = []
        self.requests: list[str] = []
        self._next, self._cancelled, self._finished = 0, False, False

    def start(self) -> None:
        self._send()

    def cancel(self) -> None:
        self._cancelled = True

    def _send(self) -> None:
        if self._cancelled or self._next >= len(self.rows):
            self._finish()
            return
        start, chunk = self._next, self.rows[self._next:self._next + IMPORT_CHUNK]
        self._next += len(chunk)
        self.client.request("import", self._answered, model=self.model, rows=chunk, start=start, events=self.events)

    def _answered(self, answer: dict) -> None:
        if not answer.get("ok"):
            self.refused.append({"row": None, "error": str(answer.get("error"))})
            self._cancelled = True
        else:
            self.created += int(answer.get("created") or 0)
            for status, count in (answer.get("firedCounts") or {}).items():
                self.fired[status] = self.fired.get(status, 0) + int(count)
            self.refused += [{"row": r["index"] + 1, "error": r.get("error")} for r in answer.get("refused") or []]
            self.requests.append(str(answer.get("request")))
        self.sig_progress.emit(self._next, len(self.rows))
        self._send()

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            self.sig_done.emit({"created": self.created, "refused": self.refused, "cancelled": self._cancelled
                                and self._next < len(self.rows), "sent": self._next, "total": len(self.rows),
                                "fired": dict(self.fired), "events": self.events})


class ExportRun(QObject):
    """Writes the rows matching `filter` in `order` to `path` (CSV or JSON by its suffix) a page at a time.
    `sig_progress(rows written)`, then `sig_done(report)` with `written`, `cancelled` and `error`."""

    sig_progress = Signal(int)
    sig_done = Signal(dict)

    def __init__(self, client: QtDataClient, model: str, fields: list[dict], path: Path, filter: str | None,
                 order: dict, parent: QObject | None = None):
        super().__init__(parent)
        self.client, self.model, self.fields, self.path = client, model, fields, Path(path)
        self.filter, self.order = filter, order
        self.written, self._cancelled, self._first = 0, False, True
        handle, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=str(self.path.parent))
        self._temp = Path(temp)
        self._file = os.fdopen(handle, "w", newline="", encoding="utf-8")
        self._json = self.path.suffix.lower() == ".json"
        self._csv = csv.writer(self._file)
        names = [f["name"] for f in fields]
        self._file.write("[\n") if self._json else self._csv.writerow(names)

    def start(self) -> None:
        self._fetch(None)

    def cancel(self) -> None:
        self._cancelled = True

    def _fetch(self, after: list | None) -> None:
        self.client.request("page", self._page, model=self.model, filter=self.filter, order=self.order,
                            after=after, limit=EXPORT_PAGE)

    def _page(self, answer: dict) -> None:
        if not answer.get("ok"):
            self._end(str(answer.get("error")))
            return
        try:
            self._write(answer.get("rows") or [])
        except OSError as exc:
            self._end(f"could not write {self.path}: {exc}")
            return
        self.sig_progress.emit(self.written)
        if self._cancelled or answer.get("after") is None:
            self._end(None)
        else:
            self._fetch(answer["after"])

    def _write(self, rows: list[dict]) -> None:
        names = [f["name"] for f in self.fields]
        for row in rows:
            if self._json:
                self._file.write(("" if self._first else ",\n") + json.dumps({n: row.get(n) for n in names}, ensure_ascii=False))
                self._first = False
            else:
                self._csv.writerow([_cell(row.get(n)) for n in names])
        self.written += len(rows)

    def _end(self, error: str | None) -> None:
        keep = error is None and not self._cancelled
        try:
            if self._json:
                self._file.write("\n]\n")
            self._file.close()
            if keep:
                os.replace(self._temp, self.path)
        except OSError as exc:
            error, keep = f"could not write {self.path}: {exc}", False
        if not keep:
            self._temp.unlink(missing_ok=True)
        self.sig_done.emit({"written": self.written, "cancelled": self._cancelled, "error": error,
                            "path": str(self.path) if keep else None})


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value

