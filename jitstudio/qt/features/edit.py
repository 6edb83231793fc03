"""The Edit menu: undo, redo, cut, copy, paste and select all act on the widget that has the focus (a code
editor, a field, a function editor card) and are enabled when it can do them; find, replace, find
next/previous and go to line act on the focused code editor, else on the current page's.

Undo to select all show their usual keys but leave the keys to the widgets, which all handle them (and the
function editor binds its own Undo for its children); only the menu dispatches to the focused widget."""
from __future__ import annotations

import sys
from functools import partial
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from ..widgets.edit_targets import EditTarget
from .api import Feature

if TYPE_CHECKING:
    from ..widgets.code_editor import CodeEditor

EDITOR_MODULE = "jitstudio.qt.widgets.code_editor"
Key = QKeySequence.StandardKey
# operation → (menu text, the key its widgets handle, section)
EDIT_OPERATIONS = {
    "undo": ("&Undo", Key.Undo, "undo"),
    "redo": ("&Redo", Key.Redo, "undo"),
    "cut": ("Cu&t", Key.Cut, "clipboard"),
    "copy": ("&Copy", Key.Copy, "clipboard"),
    "paste": ("&Paste", Key.Paste, "clipboard"),
    "select_all": ("Select &all", Key.SelectAll, "clipboard"),
}
# action name → (menu text, shortcuts, CodeEditor method, needs a writable editor)
FIND_ACTIONS = {
    "find_text": ("&Find…", ("Ctrl+F",), "show_find", False),
    "replace_text": ("R&eplace…", ("Ctrl+H",), "show_replace", True),
    "find_next": ("Find ne&xt", ("F3",), "find_next", False),
    "find_previous": ("Find pre&vious", ("Shift+F3",), "find_previous", False),
    "go_to_line": ("&Go to line…", ("Ctrl+G", "Ctrl+L"), "show_go_to_line", False),
}
# the widgets' signals after which what they can do may have changed
CHANGE_SIGNALS = ("textChanged", "selectionChanged", "undoAvailable", "redoAvailable", "copyAvailable",
                  "cursorPositionChanged", "changed")


def shown_key(key: QKeySequence.StandardKey) -> str:
    """The key as a menu shows it, after a tab in the entry's text."""
    return "\t" + QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class EditFeature(Feature):
    name = "edit"

    def register(self) -> None:
        self._focused: QWidget | None = None
        self._last_editor: CodeEditor | None = None
        self._watched: list[tuple[Any, Any]] = []
        self.edit_actions: dict[str, QAction] = {}
        for operation, (text, key, section) in EDIT_OPERATIONS.items():
            self.edit_actions[operation] = self.api.add_action(
                operation, text + shown_key(key), partial(self.run, operation), menu="Edit", section=section)
        self.find_actions: dict[str, QAction] = {}
        for name, (text, shortcuts, method, _writes) in FIND_ACTIONS.items():
            action = self.api.add_action(name, text, partial(self.run_in_editor, method), menu="Edit",
                                         section="find", shortcut=shortcuts[0], before="find")
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            self.find_actions[name] = action
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        QGuiApplication.clipboard().dataChanged.connect(self.update_actions)
        self.api.sig_current_page_changed.connect(lambda _page: self.update_actions())
        self.update_actions()

    # -- the focused widget
    def focused_widget(self) -> QWidget | None:
        """The focus widget; while a menu is open, the widget that had the focus before it."""
        widget = QApplication.focusWidget()
        if widget is None or isinstance(widget, (QMenu, QMenuBar)):
            return self._focused if self._focused is not None and shiboken6.isValid(self._focused) else None
        return widget

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or isinstance(new, (QMenu, QMenuBar)):
            return
        self._focused = new
        editor = self._enclosing_editor(new)
        if editor is not None:
            self._last_editor = editor
        self._watch(new)
        self.update_actions()

    def _watch(self, widget: QWidget) -> None:
        """Follow the signals of the focused widget (and its line edit, its history actions)."""
        for signal, slot in self._watched:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # the widget is gone
        self._watched = []
        sources: list[Any] = [widget, getattr(widget, "lineEdit", lambda: None)(), *EditTarget(widget).history_actions]
        for source in filter(None, sources):
            for name in CHANGE_SIGNALS:
                signal = getattr(source, name, None)
                if signal is not None and hasattr(signal, "connect"):
                    signal.connect(self.update_actions)
                    self._watched.append((signal, self.update_actions))

    # -- undo, redo, cut, copy, paste, select all
    def target(self) -> EditTarget | None:
        widget = self.focused_widget()
        return EditTarget(widget) if widget is not None else None

    def run(self, operation: str) -> bool:
        target = self.target()
        done = target is not None and target.run(operation)
        self.update_actions()
        return done

    # -- find, replace, go to line
    @staticmethod
    def _enclosing_editor(widget: QWidget | None) -> CodeEditor | None:
        module = sys.modules.get(EDITOR_MODULE)  # no code editor exists before its module is imported
        if module is None:
            return None
        while widget is not None and not isinstance(widget, module.CodeEditor):
            widget = widget.parentWidget()
        return widget

    def code_editor(self) -> CodeEditor | None:
        """The code editor holding the focus, else the current page's (the one last focused first)."""
        editor = self._enclosing_editor(self.focused_widget())
        if editor is not None:
            return editor
        page = self.api.current_page()
        module = sys.modules.get(EDITOR_MODULE)
        if page is None or module is None:
            return None
        last = self._last_editor
        if last is not None and shiboken6.isValid(last) and last.isVisible() and page.isAncestorOf(last):
            return last
        return next((e for e in page.findChildren(module.CodeEditor) if e.isVisible()), None)

    def run_in_editor(self, method: str) -> bool:
        editor = self.code_editor()
        if editor is None:
            return False
        getattr(editor, method)()
        return True

    # -- enabled states
    def update_actions(self, *_args: Any) -> None:
        target = self.target()
        for operation, action in self.edit_actions.items():
            action.setEnabled(target is not None and target.available(operation))
        editor = self.code_editor()
        for name, action in self.find_actions.items():
            writes = FIND_ACTIONS[name][3]
            action.setEnabled(editor is not None and not (writes and editor.isReadOnly()))
