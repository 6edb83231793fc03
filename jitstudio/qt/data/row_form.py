"""QtRowForm: a new row's fields in a form, one editor per field by datatype. Fields left empty are not sent,
so the model's defaults and the app's Before handlers fill them."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget,
)

from ..widgets.forms import form_layout, row_label
from . import _format

PLACEHOLDERS = {"date": "YYYY-MM-DD", "datetime": "YYYY-MM-DD HH:MM:SS", "time": "HH:MM:SS",
                "json": "JSON", "options": "JSON list of option values"}


class QtRowForm(QDialog):
    def __init__(self, fields: list[dict], model: str, parent: QWidget | None = None):
        super().__init__(parent, windowTitle=f"New row of {model}")
        self.fields = [f for f in fields if _format.editor_kind(f) != "readonly"]
        self.editors: dict[str, QWidget] = {}
        body = QWidget()
        form = form_layout(body)
        for field in self.fields:
            editor = self._editor(field)
            editor.setObjectName(f"rowField_{field['name']}")
            self.editors[field["name"]] = editor
            form.addRow(row_label(field["title"]), editor)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        self.error = QLabel("", objectName="hint", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Empty fields get the model's defaults; the app's Before events may fill others.",
                                objectName="hint", wordWrap=True))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, min(640, 140 + 34 * len(self.fields)))

    @staticmethod
    def _editor(field: dict) -> QWidget:
        kind = _format.editor_kind(field)
        if kind == "option":
            combo = QComboBox()
            combo.addItem("", None)
            for option in field.get("options") or ():
                combo.addItem(str(option["label"]), option["value"])
            return combo
        if kind == "bool":
            return QCheckBox()
        return QLineEdit(placeholderText=PLACEHOLDERS.get(kind, ""))

    def values(self) -> dict[str, Any]:
        """The fields given: option values, booleans, and typed text as the Data tab reads it (ValueError for
        JSON that does not parse)."""
        values: dict[str, Any] = {}
        for field in self.fields:
            editor = self.editors[field["name"]]
            if isinstance(editor, QComboBox):
                if editor.currentData() is not None:
                    values[field["name"]] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                values[field["name"]] = editor.isChecked()
            elif isinstance(editor, QLineEdit) and editor.text().strip():
                values[field["name"]] = _format.parse_edit(field, editor.text())
        return values

    def _accept(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(f"Not valid JSON: {exc}")
            return
        self.accept()
