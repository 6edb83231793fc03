"""QtPageTabs: the centre tabs; a tab with unsaved edits shows a dot, closing it asks first."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

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

    def close_page(self, page: QtPage | None, ask: bool = True) -> bool:
        if page is None:
            return True
        if ask and page.is_dirty():
            answer = self.ask(self, [page.title()])
            if answer == "cancel" or (answer == "save" and not page.save()):
                return False
        shutdown = getattr(page, "shutdown", None)
        if callable(shutdown):
            shutdown()
        self.removeTab(self.indexOf(page))
        page.deleteLater()
        return True

    def confirm_close_all(self) -> bool:
        """Ask once about every page with unsaved edits; True when it is fine to close them all."""
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
