"""An open app: the loaded Project, kept current as files change on disk (watched, debounced, reloaded
off the GUI thread, where the project model is first imported too)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from .workers import run_in_thread

if TYPE_CHECKING:
    from ..project import Project

DEBOUNCE_MS = 250
SKIPPED = {".jitstudio", "__pycache__", ".git", "node_modules"}


def load_project(root: Path) -> Project:
    from ..project import load_project as load

    return load(root)


def watched_paths(root: Path) -> list[str]:
    paths = []
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")]
        paths.append(current)
        paths.extend(os.path.join(current, f) for f in files if not f.startswith("."))
    return paths


class ProjectSession(QObject):
    sig_project_changed = Signal(object)  # Project
    sig_loading = Signal(bool)
    sig_load_failed = Signal(str)

    def __init__(self, root: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.root = Path(root).resolve()
        self.project: Project | None = None
        self._loading = False
        self._again = False
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload_async)

    def load_now(self) -> Project:
        """Load on the calling thread (used right after the IDE itself wrote files)."""
        project = load_project(self.root)
        self._watch(watched_paths(self.root))
        self._set(project)
        return project

    def reload_async(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.sig_loading.emit(True)
        root = self.root
        run_in_thread(lambda: (load_project(root), watched_paths(root)), self._loaded, self._failed)

    def _loaded(self, result) -> None:
        project, paths = result
        self._loading = False
        self.sig_loading.emit(False)
        self._watch(paths)
        self._set(project)
        if self._again:
            self._again = False
            self.reload_async()

    def _failed(self, text: str) -> None:
        self._loading = False
        self.sig_loading.emit(False)
        self.sig_load_failed.emit(text)

    def _set(self, project: Project) -> None:
        self.project = project
        self.sig_project_changed.emit(project)

    def _watch(self, paths: list[str]) -> None:
        current = set(self._watcher.files()) | set(self._watcher.directories())
        gone = [p for p in current if not os.path.exists(p)]
        if gone:
            self._watcher.removePaths(gone)
        new = [p for p in paths if p not in current]
        if new:
            self._watcher.addPaths(new)

    def _changed(self, _path: str) -> None:
        self._debounce.start()

    def is_loading(self) -> bool:
        return self._loading
