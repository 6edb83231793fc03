"""QtPage: what every centre tab has: a key, a title, an unsaved-edits flag, save, and reload from disk; and
what a page offers the window's features beyond that, by name (`CAPABILITIES`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ..icons import icon

if TYPE_CHECKING:
    from ...project import Project


class ChangedOnDiskBar(QFrame):
    """Shown when a file with unsaved edits changed on disk: reload it, or keep the edits."""

    sig_reload = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("changedOnDisk")
        self.setStyleSheet("QFrame#changedOnDisk { background: #fff4ce; color: #3b2f00; border-bottom: 1px solid #e3c46b; }")
        self.label = QLabel("This element changed on disk while you have unsaved edits.")
        reload_button = QPushButton("Reload from disk")
        keep = QPushButton("Keep my edits")
        reload_button.clicked.connect(self.sig_reload)
        reload_button.clicked.connect(self.hide)
        keep.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(reload_button)
        layout.addWidget(keep)
        self.hide()


def scrolling(content: QWidget) -> QScrollArea:
    """`content` in a frameless scroll area, so that its height does not set the window's minimum height."""
    area = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


# What a page may offer, and the members it then has.
CAPABILITIES: dict[str, tuple[str, ...]] = {
    "open-element": ("sig_open_element",),  # (fullName): open an element's page
    "open-function": ("sig_open_function",),  # (service fullName, function): open it in the function editor
    "open-file": ("sig_open_file",),  # (absolute path, line): open a file at a line
    "edit-function": ("edit_function",),  # (function name): show one of the element's functions
    # (event fullName): its execution records, the page's key being the event; (event fullName, record id): one
    "records": ("sig_open_records", "sig_open_record"),
    "test-run": ("run_test", "stop_test"),  # start a test run; stop one under way (False when none is)
    "runner": ("sig_runner_started",),  # (RuntimeRunner, title): a runtime process the page started
}


class QtPage(QWidget):
    sig_dirty_changed = Signal(bool)
    sig_title_changed = Signal(str)
    sig_status = Signal(str)

    icon_name = "code"
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self._dirty = False
        self.changed_bar = ChangedOnDiskBar()
        self.latest_project: Project | None = None
        self.changed_bar.sig_reload.connect(lambda: self.reload_from_disk(self.latest_project))
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.outer.setSpacing(0)
        self.outer.addWidget(self.changed_bar)

    def offers(self, capability: str) -> bool:
        return capability in self.capabilities

    def page_icon(self):
        return icon(self.icon_name)

    def title(self) -> str:
        return self.key.rsplit(".", 1)[-1]

    def is_dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.sig_dirty_changed.emit(dirty)

    def take_typing(self) -> None:
        """Take in what is being typed in the page's focused field, which a shortcut (Ctrl+S, Ctrl+W) leaves
        focused and so uncommitted: an editor on the way up from the focus that offers `flush_typing` does it."""
        widget = QApplication.focusWidget()
        if widget is None or not self.isAncestorOf(widget):
            return
        while widget is not None and widget is not self:
            flush = getattr(widget, "flush_typing", None)
            if callable(flush):
                flush()
                return
            widget = widget.parentWidget()

    def save(self) -> bool:
        """Write unsaved edits; returns False when they could not be saved (the page says why)."""
        self.set_dirty(False)
        return True

    def project_changed(self, project: Project) -> None:
        """The project was reloaded: refresh from disk, or offer to when there are unsaved edits."""
        self.latest_project = project
        if self.is_dirty():
            if self.disk_differs():
                self.changed_bar.show()
        else:
            self.reload_from_disk(project)

    def disk_differs(self) -> bool:
        return False

    def reload_from_disk(self, project: Project | None = None) -> None:
        self.changed_bar.hide()

    def go_to(self, path: str, line: int, col: int = 1) -> bool:
        """Show `path` at `line` if this page edits that file."""
        return False
