"""Finding an app's element folders, and what on the way is no part of the app: links to folders (not
followed: an app's elements live inside it), links to nothing, and the temp files of killed saves (removed)."""
from __future__ import annotations

import os
from pathlib import Path

from ._temp_files import remove_stale_temp_files
from .problems import Problem

SKIPPED_DIRS = {".jitstudio", "__pycache__", ".git", "node_modules"}
# Files the loader reads and reports itself when they cannot be read.
READ_FILES = {"app.json", "e.json", "config.json", "model.py", "service.py", "inner.py"}


def discover(root: Path, problems: list[Problem]) -> list[Path]:
    """Folders under root that hold an e.json, outermost first; what is no part of the app is appended to
    problems as a warning."""
    found = []
    for current, dirs, files in os.walk(root):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        if "e.json" in dirs:  # a folder where the file should be: the element is there, its e.json is not readable
            dirs.remove("e.json")
        for linked in [d for d in dirs if (here / d).is_symlink()]:
            dirs.remove(linked)
            problems.append(_linked_folder(root, here / linked))
        for name in files:
            if name not in READ_FILES and _dangling(here / name):
                problems.append(_dangling_link(root, here / name))
        if ("e.json" in files or (here / "e.json").is_dir()) and here != root:
            found.append(here)
        remove_stale_temp_files(here, files)
    return found


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _dangling_link(root: Path, link: Path) -> Problem:
    return Problem(_rel(root, link), 1, 1, f"{_rel(root, link)} is a symbolic link to {os.readlink(link)}, which does "
                   "not exist", "warning", code="symlink")


def _linked_folder(root: Path, link: Path) -> Problem:
    return Problem(
        _rel(root, link), 1, 1,
        f"{_rel(root, link)} is a symbolic link to a folder ({os.readlink(link)}); jitstudio does not follow links "
        "inside an app, so what it holds is not loaded: put the folder itself here",
        "warning", code="symlink",
    )


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
