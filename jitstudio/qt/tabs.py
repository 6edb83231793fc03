"""QtPageTabs: the centre tabs; a tab with unsaved edits shows a dot, closing it asks first. Ctrl+Tab and
Ctrl+Shift+Tab go through the tabs in most-recently-used order: pressed again while Ctrl is held they go
further back, and the tab shown when Ctrl is let go becomes the most recent."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget, QWidget

from .pages.base import QtPage

DIRTY_MARK = "● "


def ask_unsaved(parent: QWidget, names: list[str]) -> str:
    """'save', 'discard' or 'cancel' for pages with unsaved edits."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText("Save changes to " + ", ".join(names) + "?")
    box.setInformativeText("Your edits are lost if you don't save them.")
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")


class QtPageTabs(QTabWidget):
    sig_page_added = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.setUsesScrollButtons(True)
        self.tabCloseRequested.connect(lambda index: self.close_page(self.widget(index)))
        self.ask: Callable[[QWidget, list[str]], str] = ask_unsaved
        self._recent: list[QtPage] = []  # most recently used first
        self._cycle: list[QtPage] | None = None  # the order being gone through while Ctrl is held
        self._cycle_index = 0
        self.currentChanged.connect(self._note_current)
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+Backtab", -1)):
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda s=step: self.cycle(s))

    def pages(self) -> list[QtPage]:
        return [self.widget(i) for i in range(self.count())]

    def find(self, key: str) -> QtPage | None:
        return next((p for p in self.pages() if p.key == key), None)

    def add_page(self, page: QtPage) -> QtPage:
        index = self.addTab(page, page.page_icon(), page.title())
        self.setTabToolTip(index, page.key)
        page.sig_dirty_changed.connect(lambda _d, p=page: self._retitle(p))
        self.setCurrentIndex(index)
        self.sig_page_added.emit(page)
        return page

    def _retitle(self, page: QtPage) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setTabText(index, (DIRTY_MARK if page.is_dirty() else "") + page.title())

    # -- most recently used order
    def recent_pages(self) -> list[QtPage]:
        """The open pages, the most recently shown first."""
        open_pages = self.pages()
        ordered = [p for p in self._recent if p in open_pages]
        return ordered + [p for p in open_pages if p not in ordered]

    def _note_current(self, _index: int) -> None:
        page = self.currentWidget()
        if isinstance(page, QtPage) and self._cycle is None:
            self._recent = [page] + [p for p in self._recent if p is not page]

    def cycle(self, step: int) -> None:
        """Show the next (step 1) or previous (-1) page in most-recently-used order; the order stays as it
        was until Ctrl is released."""
        if self.count() < 2:
            return
        if self._cycle is None:
            self._cycle, self._cycle_index = self.recent_pages(), 0
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)  # to see Ctrl released wherever the focus is
        self._cycle_index = (self._cycle_index + step) % len(self._cycle)
        page = self._cycle[self._cycle_index]
        if self.indexOf(page) >= 0:
            self.setCurrentWidget(page)

    def end_cycle(self) -> None:
        """The page shown becomes the most recent one."""
        if self._cycle is not None:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._cycle = None
            self._note_current(self.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._cycle is not None and event.type() == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Control:
            self.end_cycle()
        return False

    def close_page(self, page: QtPage | None, ask: bool = True) -> bool:
        if page is None:
            return True
        page.take_typing()
        if ask and page.is_dirty():
            answer = self.ask(self, [page.title()])
            if answer == "cancel" or (answer == "save" and not page.save()):
                return False
        shutdown = getattr(page, "shutdown", None)
        if callable(shutdown):
            shutdown()
        self._recent = [p for p in self._recent if p is not page]
        successor = self._recent[0] if page is self.currentWidget() and self._recent else None
        self.removeTab(self.indexOf(page))
        if successor is not None:
            self.setCurrentWidget(successor)  # back to the page used before this one
        page.deleteLater()
        return True

    def confirm_close_all(self) -> bool:
        """Ask once about every page with unsaved edits; True when it is fine to close them all."""
        for page in self.pages():
            page.take_typing()
        dirty = [p for p in self.pages() if p.is_dirty()]
        if not dirty:
            return True
        answer = self.ask(self, [p.title() for p in dirty])
        if answer == "cancel":
            return False
        if answer == "save":
            return all(p.save() for p in dirty)
        return True

    def close_all(self) -> None:
        for page in self.pages():
            self.close_page(page, ask=False)
