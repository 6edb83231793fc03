"""A link's condition in the Q condition builder, committed once per user action: a picked field, operator or
connector, a removed row, or text finished with Enter or focus out. Typing alone commits nothing, nor does a
condition row still waiting for its value."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QVBoxLayout, QWidget

from ...project import qfilter
from ..wizards.qbuilder import QtFilterBuilder
from ._inspector_fields import hint_label


class _LinkConditionBuilder(QtFilterBuilder):
    """The builder with a link's hint (its own speaks of a changed row) and rows narrow enough for the panel."""

    def _refresh_note(self, text_only: bool = False) -> None:
        super()._refresh_note(text_only)
        if self.note.objectName() == "hint":
            self.note.setText("A negated condition (~Q) is edited as text only." if text_only else "")
        self.note.setVisible(bool(self.note.text()))

    def narrow(self) -> None:
        for combo in self.findChildren(QComboBox):
            combo.setMinimumContentsLength(3)
        for edit in self.findChildren(QLineEdit, "qValue"):
            edit.setMinimumWidth(40)


class ConditionField(QWidget):
    """`commit(text)` with the new Q text, or `commit(None)` when the user emptied it."""

    def __init__(self, commit: Callable[[str | None], None]):
        super().__init__(objectName="conditionField")
        self._commit = commit
        self._shown = ""
        self._quiet = False
        self.builder = _LinkConditionBuilder()
        self.builder.text_edit.setPlaceholderText("No condition")
        self.builder.sig_changed.connect(self._changed)
        self.note = hint_label()
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.builder)
        layout.addWidget(self.note)
        self._hook()

    def set_fields(self, fields: list[str]) -> None:
        if fields != self.builder.fields:
            self._quiet = True
            self.builder.set_fields(fields)
            self._quiet = False

    def show_value(self, text: str | None) -> None:
        text = text or ""
        self._shown = text
        if self.builder.text_edit.text().strip() != text:
            self._quiet = True
            self.builder.set_text(text)
            self._quiet = False
            self._hook()
        self.note.hide()

    def _changed(self) -> None:
        self._hook()  # rows come and go; what the user does in them commits (below), not each change

    def commit_now(self) -> None:
        if self._quiet or not self.isEnabled():
            return
        unfinished = self.builder.unfinished()
        text = self.builder.text()
        if unfinished:
            self._say(f"Not written yet: {unfinished}.")
            return
        if text:
            try:
                qfilter.parse(text)
            except qfilter.QSyntaxError:
                return  # the builder's own note says what is wrong
        self.note.hide()
        if text != self._shown:
            self._shown = text
            self._commit(text or None)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()

    def _hook(self) -> None:
        """Commit after each user action in the builder: a finished text, a pick, a button (add, remove)."""
        self.builder.narrow()
        for widget in self.builder.findChildren(QWidget):
            if widget.property("commitHooked"):
                continue
            if isinstance(widget, QLineEdit):
                widget.editingFinished.connect(self.commit_now)
            elif isinstance(widget, QComboBox):
                widget.activated.connect(lambda _i: self.commit_now())
            elif isinstance(widget, QAbstractButton):
                widget.clicked.connect(lambda _c=False: self.commit_now())
            else:
                continue
            widget.setProperty("commitHooked", True)
