"""What the Edit menu's undo, redo, cut, copy, paste and select all do to a widget: the widget's own
operation for text fields and text editors (an editable combo box or spin box through its line edit),
select all for multi-selection views, and for undo/redo, where the widget keeps no history of its own, the
Undo/Redo action an enclosing editor carries (the function editor's form-and-code history)."""
from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

OPERATIONS = ("undo", "redo", "cut", "copy", "paste", "select_all")
HISTORY_KEYS = {"undo": QKeySequence.StandardKey.Undo, "redo": QKeySequence.StandardKey.Redo}
Operation = tuple[Callable[[], bool], Callable[[], object]]  # (available, run)


def _clipboard_has_text() -> bool:
    return bool(QGuiApplication.clipboard().text())


def _line_edit_operations(edit: QLineEdit) -> dict[str, Operation]:
    writable = not edit.isReadOnly()
    shown = edit.echoMode() == QLineEdit.EchoMode.Normal
    return {
        "undo": (lambda: writable and edit.isUndoAvailable(), edit.undo),
        "redo": (lambda: writable and edit.isRedoAvailable(), edit.redo),
        "cut": (lambda: writable and shown and edit.hasSelectedText(), edit.cut),
        "copy": (lambda: shown and edit.hasSelectedText(), edit.copy),
        "paste": (lambda: writable and _clipboard_has_text(), edit.paste),
        "select_all": (lambda: bool(edit.text()), edit.selectAll),
    }


def _text_edit_operations(edit: QPlainTextEdit | QTextEdit) -> dict[str, Operation]:
    document = edit.document()
    writable = not edit.isReadOnly()
    history = writable and document.isUndoRedoEnabled()
    operations: dict[str, Operation] = {
        "cut": (lambda: writable and edit.textCursor().hasSelection(), edit.cut),
        "copy": (lambda: edit.textCursor().hasSelection(), edit.copy),
        "paste": (lambda: writable and edit.canPaste(), edit.paste),
        "select_all": (lambda: not document.isEmpty(), edit.selectAll),
    }
    if history:
        operations["undo"] = (document.isUndoAvailable, edit.undo)
        operations["redo"] = (document.isRedoAvailable, edit.redo)
    return operations


def _view_operations(view: QAbstractItemView) -> dict[str, Operation]:
    many = view.selectionMode() in (QAbstractItemView.SelectionMode.MultiSelection,
                                    QAbstractItemView.SelectionMode.ExtendedSelection)
    return {"select_all": (lambda: many and view.model() is not None and view.model().rowCount() > 0, view.selectAll)}


def _own_operations(widget: QWidget) -> dict[str, Operation]:
    inner: QWidget | None = None
    if isinstance(widget, QComboBox):
        inner = widget.lineEdit()
    elif isinstance(widget, QAbstractSpinBox):
        inner = widget.findChild(QLineEdit)
    widget = inner or widget
    if isinstance(widget, QLineEdit):
        return _line_edit_operations(widget)
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return _text_edit_operations(widget)
    if isinstance(widget, QAbstractItemView):
        return _view_operations(widget)
    return {}


def _history_action(widget: QWidget, operation: str) -> QAction | None:
    """The Undo/Redo action of the nearest enclosing widget that carries one for its children."""
    key = QKeySequence(HISTORY_KEYS[operation])
    holder: QWidget | None = widget
    while holder is not None and shiboken6.isValid(holder):
        for action in holder.actions():
            if action.shortcut() == key:
                return action
        holder = holder.parentWidget()
    return None


class EditTarget:
    """The edit operations a widget offers."""

    def __init__(self, widget: QWidget):
        self.widget = widget
        self.operations = _own_operations(widget)
        self.history_actions: list[QAction] = []  # the enclosing editor's, standing in for the widget's own
        for operation in HISTORY_KEYS:
            action = None if operation in self.operations else _history_action(widget, operation)
            if action is not None:
                self.operations[operation] = (action.isEnabled, action.trigger)
                self.history_actions.append(action)

    def available(self, operation: str) -> bool:
        entry = self.operations.get(operation)
        return entry is not None and bool(entry[0]())

    def run(self, operation: str) -> bool:
        if not self.available(operation):
            return False
        self.operations[operation][1]()
        return True
