"""The service page's function tab: one method of service.py in the function editor. Opening another method
replaces the tab; unsaved edits travel with it (the editor holds the whole module's text)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabBar, QTabWidget, QToolButton

from ...project import Project, ServiceElement
from ...project.files import TextFile
from ..funceditor import QtFunctionEditor

TAB_PREFIX = "ƒ "


class ServiceFunctionTab(QObject):
    """Owns the function tab of a service page's tab widget. `sig_dirty_changed` follows its editor."""

    sig_dirty_changed = Signal()

    def __init__(self, tabs: QTabWidget, ask: Callable | None = None):
        super().__init__(tabs)
        self.tabs = tabs
        self.editor: QtFunctionEditor | None = None
        self.ask = ask

    def is_dirty(self) -> bool:
        return self.editor is not None and self.editor.is_dirty()

    def open(self, project: Project, service: ServiceElement, name: str) -> QtFunctionEditor | None:
        """Show method `name` of the service in the function editor; None when service.py has no such method."""
        if name not in service.methods:
            return None
        current = self.editor
        if current is not None and current.function == name:
            self.tabs.setCurrentWidget(current)
            return current
        editor = QtFunctionEditor(project, service.directory / "service.py", function=name,
                                  class_name=service.source.class_name)
        editor.setObjectName("serviceFunctionEditor")
        editor.save_button.hide()
        index = 1
        if current is not None:
            if current.is_dirty():
                editor.code_view.replace_text(current.text())
                editor.flush_typing()
            index = self.tabs.indexOf(current)
            self._drop(current)
        self.tabs.insertTab(index, editor, TAB_PREFIX + name)
        self.tabs.setTabToolTip(index, f"{service.source.class_name}.{name} in service.py")
        close = QToolButton(text="✕", autoRaise=True, toolTip="Close the function")
        close.clicked.connect(self.close)
        self.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, close)
        editor.sig_dirty_changed.connect(lambda _dirty: self.sig_dirty_changed.emit())
        self.editor = editor
        self.tabs.setCurrentWidget(editor)
        self.sig_dirty_changed.emit()
        return editor

    def close(self) -> bool:
        """Close the tab; unsaved edits are saved or dropped as the user answers."""
        editor = self.editor
        if editor is None:
            return True
        if editor.is_dirty():
            from ..tabs import ask_unsaved

            answer = (self.ask or ask_unsaved)(self.tabs, [f"{editor.function} ({editor.path.name})"])
            if answer == "cancel" or (answer == "save" and not editor.save()):
                return False
        self._drop(editor)
        self.editor = None
        self.sig_dirty_changed.emit()
        return True

    def forget(self, name: str) -> bool:
        """Close the tab when it shows function `name`, which is about to be renamed or removed; False when its
        unsaved edits kept it open."""
        if self.editor is None or self.editor.function != name:
            return True
        return self.close()

    def _drop(self, editor: QtFunctionEditor) -> None:
        self.tabs.removeTab(self.tabs.indexOf(editor))
        editor.deleteLater()

    def reload(self, project: Project) -> None:
        """Offer the reloaded project's services and models; take the file's text when there is nothing unsaved."""
        editor = self.editor
        if editor is None:
            return
        editor.set_project(project)
        if not editor.is_dirty() and editor.path.is_file() and editor.text() != TextFile.read(editor.path).text:
            editor.reload_from_disk()
