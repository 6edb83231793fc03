"""Preferences (File → Preferences…): theme, font sizes and code editor options, applied as they are changed
and kept in the settings for the next start."""
from __future__ import annotations

import sys

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QPlainTextEdit, QSpinBox,
    QVBoxLayout, QWidget,
)

from .settings import Settings
from .theme import apply_theme

THEME_CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
FONT_SIZES = (0, 7, 32)  # 0 stands for the system's size, then the smallest and the largest in points
_current: dict = {"editor_font_size": 0, "line_wrap": False, "show_whitespace": False}


def apply_preferences(app: QApplication, preferences: dict, theme: str | None = None) -> None:
    """Theme (`theme`, from the command line, wins over the stored one), the UI font, and every open editor."""
    choice = theme or preferences["theme"]
    apply_theme(app, None if choice == "system" else choice == "dark")
    if app.property("jitstudioSystemFont") is None:
        app.setProperty("jitstudioSystemFont", app.font().pointSizeF())
    font = QFont(app.font())
    font.setPointSizeF(preferences["ui_font_size"] or float(app.property("jitstudioSystemFont")))
    app.setFont(font)
    _current.update({name: preferences[name] for name in _current})
    for widget in QApplication.topLevelWidgets():
        apply_editor_preferences(widget)


def _code_editors(root: QWidget) -> list[QPlainTextEdit]:
    module = sys.modules.get(f"{__package__}.widgets.code_editor")
    CodeEditor = getattr(module, "CodeEditor", None)
    if CodeEditor is None:  # not imported yet (it is not at start-up): no editors
        return []
    return ([root] if isinstance(root, CodeEditor) else []) + root.findChildren(CodeEditor)


def apply_editor_preferences(root: QWidget) -> None:
    """The editor font size, line wrap and visible whitespace, on the code editors in `root`."""
    size = _current["editor_font_size"] or max(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).pointSizeF(), 10.0)
    for editor in _code_editors(root):
        if editor.font().pointSizeF() != size:
            font = QFont(editor.font())
            font.setPointSizeF(size)
            editor.setFont(font)
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if _current["line_wrap"] else QPlainTextEdit.LineWrapMode.NoWrap)
        option = editor.document().defaultTextOption()
        flags = option.flags() & ~QTextOption.Flag.ShowTabsAndSpaces
        option.setFlags(flags | QTextOption.Flag.ShowTabsAndSpaces if _current["show_whitespace"] else flags)
        editor.document().setDefaultTextOption(option)


class QtPreferencesDialog(QDialog):
    """Each change is applied to the running IDE and stored at once; Close keeps them."""

    sig_changed = Signal(dict)

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.settings = settings
        current = settings.preferences()
        self.theme = QComboBox(objectName="themeChoice")
        for key, text in THEME_CHOICES:
            self.theme.addItem(text, key)
        self.theme.setCurrentIndex(self.theme.findData(current["theme"]))
        self.ui_font_size = self._font_size_box("uiFontSize", current["ui_font_size"])
        self.editor_font_size = self._font_size_box("editorFontSize", current["editor_font_size"])
        self.line_wrap = QCheckBox("Wrap long lines", objectName="lineWrap", checked=current["line_wrap"])
        self.show_whitespace = QCheckBox("Show spaces and tabs", objectName="showWhitespace", checked=current["show_whitespace"])
        form = QFormLayout()
        form.addRow("Theme", self.theme)
        form.addRow("Interface font size", self.ui_font_size)
        form.addRow("Editor font size", self.editor_font_size)
        form.addRow("Code editor", self.line_wrap)
        form.addRow("", self.show_whitespace)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.theme.currentIndexChanged.connect(self._changed)
        for box in (self.ui_font_size, self.editor_font_size):
            box.valueChanged.connect(self._changed)
        for check in (self.line_wrap, self.show_whitespace):
            check.toggled.connect(self._changed)

    @staticmethod
    def _font_size_box(name: str, value: int) -> QSpinBox:
        box = QSpinBox(objectName=name, suffix=" pt", specialValueText="System default")
        box.setRange(FONT_SIZES[0], FONT_SIZES[2])
        box.setValue(value)
        return box

    def values(self) -> dict:
        return {
            "theme": self.theme.currentData(),
            # between 1 and the smallest size the box steps to the smallest, or back to "System default"
            "ui_font_size": _font_size(self.ui_font_size.value()),
            "editor_font_size": _font_size(self.editor_font_size.value()),
            "line_wrap": self.line_wrap.isChecked(),
            "show_whitespace": self.show_whitespace.isChecked(),
        }

    def _changed(self) -> None:
        values = self.values()
        self.settings.save_preferences(values)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_preferences(app, values)
        self.sig_changed.emit(values)


def _font_size(value: int) -> int:
    return 0 if value == 0 else max(value, FONT_SIZES[1])
