"""Opening the function editor on the Shop example's OrderPaidNotify event, finding its cards, and
editing their fields as a user does."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from jitstudio.qt.funceditor import QtFunctionEditor

EVENT = "events/OrderPaidNotify/inner.py"


def open_editor(qtbot, shop, project) -> QtFunctionEditor:
    event = project.get("events.OrderPaidNotify")
    widget = QtFunctionEditor(project, shop / EVENT, event_kind=event.event_type,
                              model_fields=project.get("models.Order").field_names)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def card_of(editor, kind, **fields):
    for card in editor.doc.walk():
        if card.kind == kind and all(card.fields.get(k) == v for k, v in fields.items()):
            return card
    raise AssertionError(f"no {kind} card with {fields}")


def commit_text(qtbot, field, text):
    line_edit = field.focusProxy() or field  # a value field types into the editor it shows
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def tool_button(row, tip):
    return next(b for b in row.header.findChildren(QToolButton) if b.toolTip() == tip)
