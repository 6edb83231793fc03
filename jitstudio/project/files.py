"""Reading and atomically writing the app's text files, keeping each file's encoding and line endings.

Reads take regular files only (a link is followed to one), at most MAX_FILE_BYTES. Writes go through a
symbolic link to its target, atomically there, and are refused when the target lies outside the app folder.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ._temp_files import TEMP_SUFFIX, temp_prefix

MAX_FILE_BYTES = 16 * 1024 * 1024
_BOM = "\ufeff"
_KINDS = [
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
]


class UnreadableFile(UserError, OSError):
    """A file of the app that jitstudio does not read: not a regular file, or too large."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason


class UnsafeWrite(UserError, OSError):
    """A save that would write outside the app folder, or to something that is not a file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason


def cannot_read(exc: OSError) -> str:
    """The problem message of a file that could not be read."""
    return f"cannot read file: {exc.strerror or exc}"


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_app_bytes(path: Path) -> bytes:
    """The bytes of a regular file (links followed); anything else, or a file past the size cap, is refused."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)  # a FIFO must not block
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFile(f"it is a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("it is a symbolic link that points back to itself") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFile(f"it is {kind_of(info.st_mode)}; an app's files must be regular files")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1) if info.st_size <= MAX_FILE_BYTES else b""
    if info.st_size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most jitstudio reads of an app file")
    return data


@dataclass(frozen=True)
class TextFile:
    """A file's text with its newlines normalised to \\n, and how to write it back byte for byte."""

    text: str
    newline: str = "\n"
    bom: bool = False
    encoding: str = "utf-8"

    @classmethod
    def read(cls, path: Path) -> "TextFile":
        raw = read_app_bytes(path)
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


def app_folder_of(path: Path) -> Path | None:
    """The nearest folder above path (as written, links not followed) that holds app.json."""
    for folder in Path(os.path.abspath(path)).parents:
        if (folder / "app.json").is_file():
            return folder
    return None


def write_target(path: Path) -> Path:
    """Where a save of path really writes: through links, and only inside its app folder (the nearest folder
    above it that holds app.json)."""
    path = Path(os.path.abspath(path))
    target = Path(os.path.realpath(path))
    if target.is_symlink():
        raise UnsafeWrite(f"cannot save {path}: it is a symbolic link that points back to itself")
    root = app_folder_of(path)
    if root is not None:
        app = Path(os.path.realpath(root))
        if target != app and app not in target.parents:
            raise UnsafeWrite(f"cannot save {path}: it leads through a symbolic link to {target}, outside the app "
                              f"folder {app}; saves stay inside the app folder")
    if target.exists() and not target.is_file():
        raise UnsafeWrite(f"cannot save {path}: {target} is {kind_of(target.stat().st_mode)}, not a file")
    return target


NEW_FILE_MODE = 0o666  # new files get what open() would give them: this less the umask


def _read_umask() -> int:
    # os.umask can only be read by setting it, which races with threads creating files: read it once, at import
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write data to path so that readers see the old file or the new one, never half of either.

    A link is written through: its target gets the new bytes and the link stays."""
    target = write_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else NEW_FILE_MODE & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        _remove_quietly(tmp)
        raise
    _fsync_dir(target.parent)


def atomic_write_text(path: Path, text: str, like: TextFile | None = None) -> bool:
    """Write text (with \\n newlines) in the style of `like`; returns False when the bytes would not change."""
    style = like or (TextFile.read(path) if Path(path).exists() else TextFile(""))
    data = style.encode(text)
    if _current_bytes(path) == data:
        return False
    atomic_write_bytes(path, data)
    return True


def _current_bytes(path: Path) -> bytes | None:
    try:
        return read_app_bytes(path)
    except OSError:
        return None


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


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
