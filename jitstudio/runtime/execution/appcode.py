"""Which code is the app's: files under the app folder, worked out once per file and once per code object,
and what the execution path needs of each app code object (its title, its statements)."""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .path import _fixed_text
from .statements import statements_of

__all__ = ["AppCode", "CodeInfo", "NotTraced", "PART_OF_STATEMENT", "app_code", "app_prefix"]

MAX_CODES = 20_000
# Frames that are part of the statement that made them: their time is the statement's, their calls nest there.
PART_OF_STATEMENT = frozenset({"<genexpr>", "<listcomp>", "<setcomp>", "<dictcomp>", "<lambda>"})


class CodeInfo:
    """What the execution path needs of one code object of the app, worked out the first time it runs."""

    __slots__ = ("code", "path", "filename", "kind", "title", "first_line", "fixed", "starts", "statements", "lines")

    def __init__(self, code, path: str):
        module = code.co_name == "<module>"
        self.code = code
        self.path = path
        self.filename = code.co_filename
        self.kind = "import" if module else "call"
        self.title = path if module else code.co_qualname
        self.first_line = code.co_firstlineno
        self.fixed = _fixed_text(self.title, self.first_line, path, None)
        self.statements = statements_of(code.co_filename)
        self.starts = self.statements.starts
        self.lines: dict[int, tuple[str, str]] = {}

    def line_info(self, line: int) -> tuple[str, str]:
        """(source text, fixed JSON keys) of the statement starting at `line`."""
        found = self.lines.get(line)
        if found is None:
            text = self.statements.code(line, self.filename)
            found = self.lines[line] = (text, _fixed_text("", line, self.path, text))
        return found


def app_prefix(app_dir: str | os.PathLike) -> str:
    """The normalised folder of an app, with a trailing separator."""
    return os.path.normcase(os.path.realpath(app_dir)) + os.sep


class NotTraced:
    """The cache entry of a code object that is not traced (it keeps the object, and so its id, alive)."""

    __slots__ = ("code",)

    def __init__(self, code):
        self.code = code


class AppCode:
    """One app's caches: file name -> app-relative path (None: not the app's), and id(code object) ->
    CodeInfo or NotTraced. Code objects are told apart by identity: two functions written alike in two
    files compare equal. Shared by every tracer of the app."""

    def __init__(self, app_dir: str | os.PathLike):
        self.prefix = app_prefix(app_dir)
        self.files: dict[str, str | None] = {}
        self.codes: dict[int, CodeInfo | NotTraced] = {}

    def path_of(self, filename: str) -> str | None:
        """The file's path relative to the app folder (posix), or None when it is not the app's."""
        try:
            return self.files[filename]
        except KeyError:
            pass
        real = os.path.normcase(os.path.realpath(filename)) if not filename.startswith("<") else ""
        rel = Path(real[len(self.prefix):]).as_posix() if real.startswith(self.prefix) else None
        self.files[filename] = rel
        return rel

    def learn(self, code) -> CodeInfo | NotTraced:
        path = self.path_of(code.co_filename)
        info: CodeInfo | NotTraced
        if path is not None and code.co_name not in PART_OF_STATEMENT:
            info = CodeInfo(code, path)
        else:
            info = NotTraced(code)
        if len(self.codes) >= MAX_CODES:
            self.codes.clear()
        self.codes[id(code)] = info
        return info


@functools.lru_cache(maxsize=64)
def app_code(app_dir: str) -> AppCode:
    return AppCode(app_dir)
