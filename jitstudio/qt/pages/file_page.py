"""QtFilePage: one file of the app in the code editor (Python, JSON, Markdown), saved atomically."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...project import Project
from ...project.files import TextFile, atomic_write_text
from ..widgets.code_editor import CodeEditor, Marker
from .base import QtPage

LANGUAGES = {".py": "python", ".json": "json", ".md": "markdown", ".txt": "text", ".toml": "toml"}


class FileEditor(QWidget):
    """A file in a CodeEditor with its path above it; knows its on-disk baseline."""

    def __init__(self, root: Path, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root, self.path = Path(root), Path(path)
        self.editor = CodeEditor(language=LANGUAGES.get(self.path.suffix, "text"))
        self.label = QLabel(objectName="hint")
        head = QHBoxLayout()
        head.setContentsMargins(8, 4, 8, 2)
        head.addWidget(self.label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.editor, 1)
        self.disk_text = ""
        self.load()

    def relative(self) -> str:
        try:
            return self.path.relative_to(self.root).as_posix()
        except ValueError:
            return str(self.path)

    def read_disk(self) -> str:
        return TextFile.read(self.path).text if self.path.is_file() else ""

    def load(self) -> None:
        self.disk_text = self.read_disk()
        self.editor.set_text(self.disk_text)
        self.label.setText(self.relative())

    def save(self) -> None:
        style = TextFile.read(self.path) if self.path.is_file() else TextFile("")
        atomic_write_text(self.path, self.editor.text(), style)
        self.mark_saved(self.editor.text())

    def mark_saved(self, text: str) -> None:
        """Take `text` as what the file now holds (written by the page that owns this editor)."""
        self.disk_text = text
        self.editor.document().setModified(False)

    def show_problems(self, project: Project) -> None:
        rel = self.relative()
        self.editor.set_markers([Marker(p.line, p.message, p.severity, p.col) for p in project.problems if p.path == rel])


class QtFilePage(QtPage):
    def __init__(self, project: Project, path: Path, parent: QWidget | None = None):
        super().__init__(str(Path(path).resolve()), parent)
        self.file = FileEditor(project.root, Path(path))
        self.icon_name = "code"
        self.outer.addWidget(self.file, 1)
        self.file.editor.sig_modified.connect(self.set_dirty)
        self.file.show_problems(project)

    def title(self) -> str:
        return self.file.path.name

    def save(self) -> bool:
        try:
            self.file.save()
        except OSError as exc:
            self.sig_status.emit(f"Could not save {self.file.relative()}: {exc}")
            return False
        return True

    def disk_differs(self) -> bool:
        return self.file.read_disk() != self.file.disk_text

    def reload_from_disk(self, project: Project | None = None) -> None:
        super().reload_from_disk(project)
        if self.file.read_disk() != self.file.disk_text or self.is_dirty():
            self.file.load()
        if project is not None:
            self.file.show_problems(project)

    def go_to(self, path: str, line: int, col: int = 1) -> bool:
        if Path(path).resolve() == self.file.path.resolve():
            self.file.editor.go_to_line(line, col)
            return True
        return False
