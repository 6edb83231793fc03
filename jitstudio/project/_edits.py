"""Edits that touch several files at once: planned in memory, then written each atomically and all or none."""
from __future__ import annotations

import os
from pathlib import Path
from .files import TextFile, atomic_write_bytes, atomic_write_text
from .jsondoc import JsonDocument, pointer_of


class FileEdits:
    """The new text of each file to change; `commit` writes them in the order given."""

    def __init__(self) -> None:
        self._planned: dict[Path, tuple[str, TextFile]] = {}

    def text(self, path: Path) -> str:
        """The file's text as planned so far, or as on disk."""
        path = Path(path)
        if path in self._planned:
            return self._planned[path][0]
        return TextFile.read(path).text

    def json(self, path: Path) -> JsonDocument:
        return JsonDocument.parse(self.text(path))

    def put(self, path: Path, text: str) -> None:
        """Plan the file's new text (with \\n newlines); it keeps the encoding and line endings it has on disk."""
        path = Path(path)
        if path in self._planned:
            style = self._planned[path][1]
        else:
            style = TextFile.read(path) if path.is_file() else TextFile("")
        self._planned[path] = (text, style)

    def commit(self) -> list[Path]:
        """Write every planned file whose bytes change; when one write fails, the files already written get their
        old bytes back (or go, if they are new) and the error is raised."""
        written: list[tuple[Path, bytes | None]] = []
        try:
            for path, (text, style) in self._planned.items():
                before = path.read_bytes() if path.is_file() else None
                if atomic_write_text(path, text, style):
                    written.append((path, before))
        except BaseException:
            for path, before in reversed(written):
                if before is None:
                    os.unlink(path)
                else:
                    atomic_write_bytes(path, before)
            raise
        return [path for path, _ in written]


def set_changed_keys(doc: JsonDocument, old: dict, new: dict) -> JsonDocument:
    """Set each top-level member of `new` whose value differs from `old` (what the form was loaded from).

    None means "leave it"; an empty value is not added where the member is absent."""
    for key, value in new.items():
        if value is None:
            continue
        if key in old and old[key] == value and type(old[key]) is type(value):
            continue
        if key not in old and value in ("", [], {}):
            continue
        doc = doc.put(pointer_of([key]), value)
    return doc
