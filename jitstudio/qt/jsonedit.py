"""Edits of JSON files through jitstudio.project: one member at a time, creating missing parent objects."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..project import JsonDocument, set_json_value
from ..project.files import TextFile
from ..project.jsondoc import escape_pointer_token


def pointer(*tokens: Any) -> str:
    return "".join("/" + escape_pointer_token(str(t)) for t in tokens)


def set_json_path(path: Path, ptr: str, value: Any) -> bool:
    """Set the member at ptr; when its parent objects are missing, the nearest existing one gets them."""
    doc = JsonDocument.parse(TextFile.read(path).text)
    tokens = ptr.lstrip("/").split("/")
    for depth in range(len(tokens) - 1, 0, -1):
        parent = "/" + "/".join(tokens[:depth])
        if isinstance(doc.get(parent), dict):
            break
    else:
        depth = 0
    nested = value
    for token in reversed(tokens[depth + 1:]):
        nested = {token.replace("~1", "/").replace("~0", "~"): nested}
    return set_json_value(path, "/" + "/".join(tokens[:depth + 1]), nested)


def save_changed_keys(path: Path, old: dict, new: dict) -> list[str]:
    """Write each top-level key of `new` whose value differs from `old`; returns the keys written."""
    written = []
    for key, value in new.items():
        if value is None:
            continue
        if key in old and old[key] == value and type(old[key]) is type(value):
            continue
        if key not in old and value in ("", [], {}):
            continue
        if set_json_value(path, pointer(key), value):
            written.append(key)
    return written
