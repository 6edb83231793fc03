"""Reading and atomically writing text files, keeping each file's encoding and line endings."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

_BOM = "\ufeff"


@dataclass(frozen=True)
class TextFile:
    """A file's text with its newlines normalised to \\n, and how to write it back byte for byte."""

    text: str
    newline: str = "\n"
    bom: bool = False
    encoding: str = "utf-8"

    @classmethod
    def read(cls, path: Path) -> "TextFile":
        raw = Path(path).read_bytes()
        try:
            decoded, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            decoded, encoding = raw.decode("latin-1"), "latin-1"
        bom = decoded.startswith(_BOM)
        if bom:
            decoded = decoded[1:]
        crlf = decoded.count("\r\n")
        if crlf and crlf == decoded.count("\n"):
            return cls(decoded.replace("\r\n", "\n"), "\r\n", bom, encoding)
        # LF only, or mixed endings kept as they are so that a write changes no other line.
        return cls(decoded, "\n", bom, encoding)

    def encode(self, text: str | None = None) -> bytes:
        body = self.text if text is None else text
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return ((_BOM if self.bom else "") + body).encode(self.encoding)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write data to path so that readers see the old file or the new one, never half of either."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str, like: TextFile | None = None) -> bool:
    """Write text (with \\n newlines) in the style of `like`; returns False when the bytes would not change."""
    style = like or (TextFile.read(path) if Path(path).exists() else TextFile(""))
    data = style.encode(text)
    if Path(path).exists() and Path(path).read_bytes() == data:
        return False
    atomic_write_bytes(path, data)
    return True


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
