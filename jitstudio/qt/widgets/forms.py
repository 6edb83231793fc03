"""Form widgets the wizards and the pages share: labelled rows, check lists, the function chooser and the
sync/async choice. What the input must satisfy is the project's to say (`jitstudio.project.rules`)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QRadioButton, QVBoxLayout,
    QWidget,
)

from ...project import Project
from ...project.pysource import MethodInfo

LABEL_WIDTH = 150


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    return form


def row_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 4, 0, 0)
    return label


def hint(text: str = "") -> QLabel:
    label = QLabel(text, objectName="hint", wordWrap=True)
    return label


def fill_combo(combo: QComboBox, items: list[tuple[str, str]], keep: str | None = None) -> None:
    """items are (data, text); the current data is kept when still present."""
    current = keep if keep is not None else combo.currentData()
    blocked = combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else (0 if items else -1))
    combo.blockSignals(blocked)


def select_data(combo: QComboBox, data) -> bool:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


class CheckList(QListWidget):
    """A list of checkable items; `sig_changed` when a check changes."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None, rows: int = 5):
        super().__init__(parent)
        self.setMaximumHeight(self.sizeHintForRow(0) * rows + 8 if self.count() else 22 * rows)
        self.setUniformItemSizes(True)
        self.itemChanged.connect(lambda _item: self.sig_changed.emit())

    def set_items(self, items: list[tuple[str, str]], checked: list[str] | None = None) -> None:
        keep = set(self.checked() if checked is None else checked)
        blocked = self.blockSignals(True)
        self.clear()
        for value, text in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in keep else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(blocked)
        self.sig_changed.emit()

    def values(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def checked(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, values: list[str]) -> None:
        wanted = set(values)
        blocked = self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked)
        self.blockSignals(blocked)
        self.sig_changed.emit()

    def check(self, value: str, on: bool = True) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == value:
                self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _radio_pair(first: str, second: str, parent: QWidget) -> tuple[QRadioButton, QRadioButton, QButtonGroup]:
    a, b = QRadioButton(first), QRadioButton(second)
    group = QButtonGroup(parent)
    group.addButton(a)
    group.addButton(b)
    a.setChecked(True)
    return a, b, group


class FunctionChooser(QWidget):
    """Inner function (inner.py customFunc) or a service function whose parameters fit the event."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.inner_radio, self.service_radio, self._group = _radio_pair("Inner function", "Service function", self)
        self.combo = QComboBox(objectName="serviceFunction")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(20)
        self.note = hint()
        self._fits: Callable[[MethodInfo], bool] = lambda m: True
        self._project: Project | None = None
        radios = QHBoxLayout()
        radios.setContentsMargins(0, 0, 0, 0)
        radios.addWidget(self.inner_radio)
        radios.addWidget(self.service_radio)
        radios.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(radios)
        layout.addWidget(self.combo)
        layout.addWidget(self.note)
        self._group.buttonToggled.connect(self._mode_changed)
        self.combo.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        self._mode_changed()

    def set_project(self, project: Project, fits: Callable[[MethodInfo], bool], rule: str) -> None:
        self._project, self._fits = project, fits
        items = []
        for service in project.services:
            for name, method in sorted(service.methods.items()):
                if name.startswith("_") or name not in service.functions or not fits(method):
                    continue
                title = service.functions[name].title or name
                items.append((f"{service.full_name}.{name}", f"{service.name}.{name} — {title}"))
        fill_combo(self.combo, items)
        self.note.setText(f"Service functions listed: {rule}." if items else f"No service function fits ({rule}); use the inner function.")
        self.service_radio.setEnabled(bool(items) or self.service_radio.isChecked())
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        self.combo.setVisible(self.service_radio.isChecked())
        self.sig_changed.emit()

    def is_inner(self) -> bool:
        return self.inner_radio.isChecked()

    def func(self) -> str | None:
        return None if self.is_inner() else self.combo.currentData()

    def set_service(self, func: str | None) -> None:
        if func is None:
            self.inner_radio.setChecked(True)
            return
        self.service_radio.setEnabled(True)
        self.service_radio.setChecked(True)
        if not select_data(self.combo, func):
            self.combo.addItem(f"{func} (does not fit)", func)
            self.combo.setCurrentIndex(self.combo.count() - 1)


class AsyncChoice(QWidget):
    """Synchronous (default) or asynchronous execution, with what each means."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.sync_radio, self.async_radio, self._group = _radio_pair("Synchronous", "Asynchronous", self)
        self.sync_radio.setObjectName("syncRadio")
        self.async_radio.setObjectName("asyncRadio")
        self.explain = hint()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sync_radio)
        row.addWidget(self.async_radio)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.explain)
        self._group.buttonToggled.connect(self._changed)
        self._changed()

    def _changed(self, *_args) -> None:
        self.explain.setText(
            "Runs in the background after the triggering operation; a failure does not affect it."
            if self.is_async() else
            "Runs inside the triggering operation; a failure affects it (and can roll it back).")
        self.sig_changed.emit()

    def is_async(self) -> bool:
        return self.async_radio.isChecked()

    def set_async(self, on: bool) -> None:
        (self.async_radio if on else self.sync_radio).setChecked(True)


def fits_one_argument(method: MethodInfo) -> bool:
    return method.has_var_args or len(method.params) == 1


def fits_count(count: int | None) -> Callable[[MethodInfo], bool]:
    def fits(method: MethodInfo) -> bool:
        return method.has_var_args or count is None or len(method.params) == count
    return fits
