"""The temporary files of atomic saves (`.e.json.k3x9_q2a.tmp` beside `e.json`: a dot, the name, eight random
characters, `.tmp`), and sweeping up those a killed save left behind."""
from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 5 * 60
# tempfile.mkstemp puts 8 characters of [a-z0-9_] between the prefix and the suffix.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def temp_prefix(name: str) -> str:
    return f".{name}."


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


def remove_stale_temp_files(directory: Path, names: list[str], now: float | None = None) -> list[Path]:
    """Remove the save temp files among names (files of directory) older than STALE_AFTER_SECONDS: a save
    takes far less, so an older one is what a killed save left. Returns the files removed."""
    now = time.time() if now is None else now
    removed = []
    for name in names:
        if not is_temp_name(name):
            continue
        path = Path(directory) / name
        try:
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_SECONDS:
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
    return removed
