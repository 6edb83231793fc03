"""QtElementTree: the project's elements by family (events by kind), filtered as you type."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QToolButton, QTreeView, QVBoxLayout, QWidget,
)

from ..icons import family_icon, icon
from ..theme import text_color
from .add_menu import build_add_menu

if TYPE_CHECKING:
    from ...project import Project

FULL_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
KEY_ROLE = Qt.ItemDataRole.UserRole + 3
NAME_ROLE = Qt.ItemDataRole.UserRole + 4
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 5
TIP_ROLE = Qt.ItemDataRole.UserRole + 6
MIN_WIDTH = 180  # "Search elements" and a nested element name stay readable


class _Filter(QSortFilterProxyModel):
    """Keeps rows whose name, title or fullName contains every word typed, in any order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if not self.words:
            return True
        haystack = str(self.sourceModel().index(row, 0, parent).data(SEARCH_ROLE) or "").lower()
        return all(word in haystack for word in self.words)


class QtElementTree(QWidget):
    sig_open_element = Signal(str)   # fullName
    sig_new_element = Signal(str)    # a key of NEW_ACTIONS

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(MIN_WIDTH)
        self.search = QLineEdit(placeholderText="Search elements", clearButtonEnabled=True)
        self.search.setObjectName("treeSearch")
        self.plus = QToolButton(objectName="plusButton", toolTip="Add an element (event, model, service, …)")
        self.plus.setIcon(icon("plus"))
        self.plus.setAutoRaise(True)
        self.plus.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.plus.setMenu(build_add_menu(self, self.sig_new_element.emit))
        self.model = QStandardItemModel(self)
        self.failure_counts: dict[str, int] = {}
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView(headerHidden=True, uniformRowHeights=True)
        self.view.setModel(self.proxy)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.search.textChanged.connect(self._filter)
        self.loading_hint = QLabel("Loading elements…", objectName="hint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.loading_hint.hide()

        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 2)
        top.setSpacing(4)
        top.addWidget(self.search, 1)
        top.addWidget(self.plus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.loading_hint)
        layout.addWidget(self.view, 1)

    def set_loading(self, loading: bool) -> None:
        """Say the elements are loading while the tree has none yet."""
        self.loading_hint.setVisible(loading and self.model.rowCount() == 0)

    def set_project(self, project: Project) -> None:
        expanded = self._expanded_keys()
        first_load = self.model.rowCount() == 0
        selected = self.selected_full_name()
        self.model.clear()
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        for key, title, children in project.tree():
            node = self._group_item(key, title, family_icon(key), bold)
            for child in children:
                if isinstance(child, tuple):
                    sub_key, sub_title, members = child
                    sub = self._group_item(sub_key, sub_title, icon("folder"))
                    for element in members:
                        sub.appendRow(self._element_item(element))
                    sub.setText(f"{sub_title}  ({len(members)})")
                    node.appendRow(sub)
                else:
                    node.appendRow(self._element_item(child))
            self.model.appendRow(node)
        self.loading_hint.hide()
        self._filter(self.search.text())
        if first_load:
            self.view.expandToDepth(1)
        else:
            self._restore_expanded(expanded)
        if selected:
            self.select(selected)

    def _group_item(self, key: str, title: str, item_icon, font: QFont | None = None) -> QStandardItem:
        item = QStandardItem(item_icon, title)
        item.setData(key, KEY_ROLE)
        item.setData(title, SEARCH_ROLE)
        item.setSelectable(False)
        if font is not None:
            item.setFont(font)
        return item

    def _element_item(self, element) -> QStandardItem:
        from ...project import EventElement

        item_icon = family_icon(element.family)
        if isinstance(element, EventElement) and not element.enabled:
            item_icon = icon("event_off")
        item = QStandardItem(item_icon, element.name)
        item.setData(element.name, NAME_ROLE)
        item.setData(element.full_name, FULL_NAME_ROLE)
        item.setData(element.full_name, KEY_ROLE)
        item.setData(f"{element.name} {element.title} {element.full_name}", SEARCH_ROLE)
        state = ""
        if isinstance(element, EventElement):
            state = "\n" + ("enabled" if element.enabled else "disabled") + (", async" if element.is_async else ", sync")
        item.setData(f"{element.title}\n{element.full_name}{state}", TIP_ROLE)
        item.setData(bool(element.problems), PROBLEM_ROLE)
        self._paint_failures(item)
        return item

    def set_failure_counts(self, counts: dict[str, int]) -> None:
        """Badge each event with its failed executions (of the last 24 hours)."""
        self.failure_counts = dict(counts)
        for index in self._walk_source(QModelIndex()):
            item = self.model.itemFromIndex(index)
            if item is not None and item.data(FULL_NAME_ROLE):
                self._paint_failures(item)

    def _paint_failures(self, item: QStandardItem) -> None:
        failed = self.failure_counts.get(item.data(FULL_NAME_ROLE), 0)
        item.setText(f"{item.data(NAME_ROLE)}   ⚠ {failed}" if failed else item.data(NAME_ROLE))
        bad = failed or item.data(PROBLEM_ROLE)
        # without a foreground of its own the item takes the palette's text colour, in either theme
        item.setData(QBrush(text_color("error", self.palette())) if bad else None, Qt.ItemDataRole.ForegroundRole)
        tip = item.data(TIP_ROLE)
        item.setToolTip(f"{tip}\n{failed} failed in the last 24 hours" if failed else tip)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_failure_counts(self.failure_counts)  # the theme changed: its error colour with it

    def _walk_source(self, parent: QModelIndex):
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            yield index
            yield from self._walk_source(index)

    def _filter(self, text: str) -> None:
        self.proxy.set_query(text)
        if text.strip():
            self.view.expandAll()

    def _activated(self, index: QModelIndex) -> None:
        full_name = index.data(FULL_NAME_ROLE)
        if full_name:
            self.sig_open_element.emit(full_name)

    def selected_full_name(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(FULL_NAME_ROLE) if index.isValid() else None

    def select(self, full_name: str) -> bool:
        for index in self._walk(QModelIndex()):
            if index.data(FULL_NAME_ROLE) == full_name:
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def visible_full_names(self) -> list[str]:
        return [i.data(FULL_NAME_ROLE) for i in self._walk(QModelIndex()) if i.data(FULL_NAME_ROLE)]

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _walk(self, parent: QModelIndex):
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            yield index
            yield from self._walk(index)

    def _expanded_keys(self) -> set[str]:
        return {i.data(KEY_ROLE) for i in self._walk(QModelIndex()) if self.view.isExpanded(i)}

    def _restore_expanded(self, keys: set[str]) -> None:
        for index in self._walk(QModelIndex()):
            if index.data(KEY_ROLE) in keys:
                self.view.expand(index)
