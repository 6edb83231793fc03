"""The function editor's top bar (name, file, unsaved mark, undo/redo, save, the visual/code switch)
and its notice banners."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ..widgets.toggle import ToggleSwitch


def banner(name: str, *buttons: QPushButton) -> tuple[QFrame, QLabel]:
    frame = QFrame(objectName=name, visible=False)
    label = QLabel(wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout = QHBoxLayout(frame)
    layout.setContentsMargins(12, 8, 10, 8)
    layout.addWidget(label, 1)
    for button in buttons:
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
    return frame, label


class FunctionToolbar(QFrame):
    """Its undo/redo actions carry the editor-wide shortcuts. Saving has no shortcut here: Ctrl+S belongs
    to the main window, which saves the page that hosts the editor."""

    def __init__(self, title: str, file_name: str, owner: QWidget):
        super().__init__(objectName="funcToolbar")
        self.title_label = QLabel(title, objectName="funcTitle")
        self.title_label.setMinimumWidth(60)  # a long signature is cut rather than widen the page
        self.file_label = QLabel(file_name, objectName="hint")
        self.dirty_label = QLabel("● Unsaved", objectName="dirtyMark", visible=False)
        self.undo_action = QAction("↶", owner, toolTip="Undo (form and code)", shortcut=QKeySequence.StandardKey.Undo)
        self.redo_action = QAction("↷", owner, toolTip="Redo (form and code)", shortcut=QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            owner.addAction(action)
        self.save_button = QPushButton("Save", objectName="funcSaveButton")
        self.palette_button = QToolButton(objectName="paletteToggle", text="Palette", checkable=True, checked=True,
                                          toolTip="Show or hide the statements you can add")
        self.mode_switch = ToggleSwitch("Code")
        self.mode_switch.setObjectName("modeSwitch")
        self.mode_switch.setToolTip("Switch between the visual editor and the full code")
        line = QHBoxLayout(self)
        line.setContentsMargins(12, 6, 12, 6)
        line.setSpacing(8)
        line.addWidget(self.title_label)
        line.addWidget(self.file_label)
        line.addWidget(self.dirty_label)
        line.addStretch(1)
        for action in (self.undo_action, self.redo_action):
            button = QToolButton(autoRaise=True)
            button.setDefaultAction(action)
            line.addWidget(button)
        line.addWidget(self.palette_button)
        line.addWidget(self.save_button)
        line.addSpacing(10)
        line.addWidget(QLabel("Visual", objectName="hint"))
        line.addWidget(self.mode_switch)
