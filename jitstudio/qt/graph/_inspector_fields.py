"""The graph inspector's field widgets. Each shows a value read from config.json (`show_*`, which never
commits) and commits one whole value per user action through the callback it was given: text on Enter or
focus out when changed, a choice when picked, a switch or a check box when clicked."""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QStyle,
    QToolButton, QVBoxLayout, QWidget,
)

from ..funceditor._inputs import ExpressionEdit, HistoryKeys
from ..icons import standard
from ..widgets.toggle import ToggleSwitch

Sections = Callable[[], list[tuple[str, list[tuple[str, str]]]]]


def section_title(text: str) -> QLabel:
    return QLabel(text, objectName="sectionTitle")


def caption(text: str) -> QLabel:
    return QLabel(text, objectName="fieldCaption")


def hint_label(text: str = "") -> QLabel:
    label = QLabel(text, objectName="hint", wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def complete_from(edit: QLineEdit, sections: Sections) -> None:
    """Completion of the expressions the picker offers (`nodeId.output`), matched anywhere in them."""
    words = [expression for _title, items in sections() for _label, expression in items]
    completer = edit.completer()
    if completer is None:
        completer = QCompleter(QStringListModel(edit), edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
    model = completer.model()
    if isinstance(model, QStringListModel) and model.stringList() != words:
        model.setStringList(words)


def remove_button(tip: str, on_click: Callable[[], None]) -> QToolButton:
    button = QToolButton(toolTip=tip, autoRaise=True, objectName="removeRow")
    button.setIcon(standard(QStyle.StandardPixmap.SP_TitleBarCloseButton))
    button.clicked.connect(lambda _checked=False: on_click())
    return button


class TextField(HistoryKeys, QLineEdit):
    """One line of text; commits the stripped text on Enter or focus out, when it differs from what is shown.
    Ctrl+Z drops typing not yet committed, else goes up to the editor's one history (as in the function editor)."""

    def __init__(self, commit: Callable[[str], None], placeholder: str = "", name: str = ""):
        super().__init__(placeholderText=placeholder, objectName=name)
        self._commit, self._shown = commit, ""
        self.editingFinished.connect(self._finish)

    def show_value(self, text: str) -> None:
        self._shown = text
        if self.text() != text and not (self.hasFocus() and self.isModified()):
            self.setText(text)
            self.setCursorPosition(0)

    def typing(self) -> bool:
        return self.text().strip() != self._shown

    def drop_typing(self) -> None:
        self.setText(self._shown)
        self.setModified(False)

    def _finish(self) -> None:
        text = self.text().strip()
        self.setModified(False)
        if not self.isReadOnly() and text != self._shown:
            self._shown = text
            self._commit(text)


class ChoiceField(QComboBox):
    """A value picked from (value, label) choices; a value not among them is shown as unknown, none as "(none)"."""

    def __init__(self, commit: Callable[[str], None], name: str = ""):
        super().__init__(objectName=name)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._commit = commit
        self.activated.connect(self._picked)

    def _picked(self, index: int) -> None:
        if self.itemData(index):
            self._commit(self.itemData(index))

    def show_value(self, choices: list[tuple[str, str]], current: str | None) -> None:
        wanted: list[tuple[str | None, str]] = [(None, "(none)")] if not current else []
        wanted += list(choices)
        if current and all(value != current for value, _label in choices):
            wanted.append((current, f"{current}  (unknown)"))
        if [(self.itemData(i), self.itemText(i)) for i in range(self.count())] != wanted:
            blocked = self.blockSignals(True)
            self.clear()
            for value, label in wanted:
                self.addItem(label, value)
            self.blockSignals(blocked)
        blocked = self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(current)) if current else 0)
        self.blockSignals(blocked)
        self.setToolTip(self.currentText())  # the panel is narrow: the label may be cut


class SwitchField(ToggleSwitch):
    def __init__(self, text: str, commit: Callable[[bool], None], name: str = ""):
        super().__init__(text)
        self.setObjectName(name)
        self.toggled.connect(commit)

    def show_value(self, on: bool) -> None:
        if self.isChecked() != on:
            self.set_checked_quietly(on)


class CheckField(QCheckBox):
    def __init__(self, text: str, commit: Callable[[bool], None], name: str = ""):
        super().__init__(text, objectName=name)
        self.clicked.connect(commit)

    def show_value(self, on: bool) -> None:
        if self.isChecked() != on:
            self.setChecked(on)


class PairRows(QWidget):
    """Rows of name → value expression, with a remove button each and an add button below. Callbacks get the
    row's index; `show_value` updates the rows in place while their count is unchanged."""

    def __init__(self, add_text: str, on_name: Callable[[int, str], None], on_value: Callable[[int, str | None], None],
                 on_remove: Callable[[int], None], on_add: Callable[[], None], name: str = "",
                 value_placeholder: str = "nodeId.output or a value"):
        super().__init__(objectName=name)
        self._on_name, self._on_value, self._on_remove = on_name, on_value, on_remove
        self._placeholder = value_placeholder
        self._options: Sections = list
        self.rows: list[tuple[TextField, ExpressionEdit]] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(2, 5)
        self.empty = hint_label()
        self.add_button = QPushButton(add_text, objectName="addRow")
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(on_add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_options(self, sections: Sections) -> None:
        self._options = sections
        for _name, value in self.rows:
            value.set_options(sections)
            complete_from(value, sections)

    def show_value(self, pairs: list[tuple[str, str | None]], empty_text: str = "") -> None:
        if len(pairs) != len(self.rows):
            self._rebuild(len(pairs))
        for (name_edit, value_edit), (name, value) in zip(self.rows, pairs):
            name_edit.show_value(name)
            value_edit.set_value(value)
        self.empty.setText(empty_text if not pairs else "")
        self.empty.setVisible(bool(empty_text) and not pairs)

    def _rebuild(self, count: int) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.rows = []
        for index in range(count):
            name_edit = TextField(partial(self._on_name, index), "name", "rowName")
            name_edit.setMinimumWidth(60)
            value_edit = ExpressionEdit(self._placeholder)
            value_edit.setObjectName("rowValue")
            value_edit.set_options(self._options)
            complete_from(value_edit, self._options)
            value_edit.sig_committed.connect(partial(self._on_value, index))
            arrow = QLabel("→")
            self.grid.addWidget(name_edit, index, 0)
            self.grid.addWidget(arrow, index, 1)
            self.grid.addWidget(value_edit, index, 2)
            self.grid.addWidget(remove_button("Remove this row", partial(self._on_remove, index)), index, 3)
            self.rows.append((name_edit, value_edit))


class NavigationRows(QWidget):
    """Flat link-like buttons (events to open, links to select); rebuilt only when the entries change."""

    def __init__(self, on_click: Callable[[Any], None], empty_text: str, name: str = ""):
        super().__init__(objectName=name)
        self._on_click = on_click
        self._entries: list[tuple[Any, str, str]] | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.empty = hint_label(empty_text)
        self.layout_.addWidget(self.empty)
        self.buttons: list[QPushButton] = []

    def show_value(self, entries: list[tuple[Any, str, str]]) -> None:
        """(key, text, tooltip) per entry; a click hands the key to the callback."""
        if entries == self._entries:
            return
        self._entries = list(entries)
        for button in self.buttons:
            button.hide()
            button.deleteLater()
        self.buttons = []
        for key, text, tip in entries:
            button = QPushButton(text, objectName="navLink", flat=True, toolTip=tip)
            button.setProperty("navigation", True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: left; color: palette(link); padding: 2px 4px;")
            button.clicked.connect(lambda _c=False, k=key: self._on_click(k))
            self.layout_.addWidget(button)
            self.buttons.append(button)
        self.empty.setVisible(not entries)

