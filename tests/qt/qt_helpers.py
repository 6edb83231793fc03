"""Clicking and typing helpers for the wizard tests."""
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox


def click(qtbot, widget) -> None:
    """Click near the left edge, where check boxes and radio buttons have their indicator."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def type_into(qtbot, line_edit, text: str) -> None:
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def choose(combo: QComboBox, data) -> None:
    """Pick the entry whose data is `data`, as a user choosing it from the list does."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered; offered: {[combo.itemData(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def show_dialog(qtbot, cls, project):
    """A wizard or form of `cls` on `project`, shown and exposed, closed with the test."""
    dialog = cls(project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog
