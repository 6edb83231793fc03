"""The widgets of the records page and how they are laid out (the page itself holds the behaviour)."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QSplitter,
    QStyle, QTableView, QToolBar, QVBoxLayout, QWidget,
)

from ..icons import icon, standard
from ._chart import QtRecordsChart
from ._detail import QtRecordDetail
from ._export import QtExportBar
from ._filters import QtRecordFilters
from ._format import STATUS_COLORS
from ._model import DURATION, ERROR, EVENT, STARTED, STATUS, TRIGGER

COLUMN_WIDTHS = {EVENT: 150, TRIGGER: 175, STATUS: 86, STARTED: 168, DURATION: 74, ERROR: 100}


def build_layout(self, event: str | None) -> None:
    """Create the widgets of the records page `self` as its attributes and lay them out.

    Containers join the page before their contents do: under the application's style sheet, a widget that
    joins a parent is styled again with everything in it, so building from the outside in styles each widget
    once. The chart's view and the detail's record widgets are made later (their `build()`)."""
    header = QFrame(objectName="pageHeader")
    self.outer.addWidget(header)
    filter_row = QWidget()
    self.outer.addWidget(filter_row)
    self.main_split = QSplitter(Qt.Orientation.Vertical, objectName="recordsMainSplit")
    self.outer.addWidget(self.main_split, 1)

    self.title_label = QLabel("Execution records", objectName="pageTitle")
    self.subtitle = QLabel(event or "All events", objectName="pageSubtitle")
    self.failures_chip = QPushButton(objectName="failuresChip", visible=False, flat=True)
    self.failures_chip.setCursor(Qt.CursorShape.PointingHandCursor)
    self.failures_chip.setStyleSheet(
        f"QPushButton#failuresChip {{ color: white; background: {STATUS_COLORS['fail']}; border-radius: 9px;"
        " padding: 2px 10px; font-weight: 600; }")
    self.count_label = QLabel("Counting…", objectName="countLabel")
    self.loading_bar = QProgressBar(maximumWidth=90, maximumHeight=8, textVisible=False, visible=False)
    self.loading_bar.setRange(0, 0)
    self.live_box = QCheckBox("Live", objectName="liveToggle")
    self.live_box.setToolTip("Show new and finished executions as they happen")
    self.refresh_button = QPushButton(standard(QStyle.StandardPixmap.SP_BrowserReload), "Refresh", objectName="refreshRecords")
    top = QHBoxLayout(header)
    top.setContentsMargins(14, 8, 14, 8)
    titles = QVBoxLayout()
    titles.setSpacing(0)
    top.addLayout(titles)
    titles.addWidget(self.title_label)
    titles.addWidget(self.subtitle)
    top.addStretch(1)
    for widget in (self.failures_chip, self.loading_bar, self.count_label, self.live_box, self.refresh_button):
        top.addWidget(widget)

    filter_layout = QHBoxLayout(filter_row)
    filter_layout.setContentsMargins(14, 6, 14, 6)
    self.filter_bar = QtRecordFilters()
    filter_layout.addWidget(self.filter_bar)

    self.chart = QtRecordsChart()
    self.chart.setMinimumHeight(120)
    self.main_split.addWidget(self.chart)
    self.body_split = QSplitter(Qt.Orientation.Horizontal, objectName="recordsBodySplit")
    self.main_split.addWidget(self.body_split)
    left = QWidget()
    self.body_split.addWidget(left)
    self.detail = QtRecordDetail()
    self.body_split.addWidget(self.detail)

    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.setSpacing(0)
    bar = QHBoxLayout()
    bar.setContentsMargins(8, 0, 8, 0)
    left_layout.addLayout(bar)
    self.toolbar = QToolBar(objectName="recordsToolbar")
    bar.addWidget(self.toolbar)
    bar.addStretch(1)
    self.export_bar = QtExportBar()
    bar.addWidget(self.export_bar)
    self.table = make_table(self.model)
    left_layout.addWidget(self.table, 1)
    status_row = QHBoxLayout()
    status_row.setContentsMargins(10, 3, 10, 3)
    left_layout.addLayout(status_row)
    self.status_label = QLabel(objectName="hint")
    self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    status_row.addWidget(self.status_label, 1)
    add_actions(self)

    self.body_split.setStretchFactor(0, 1)
    self.body_split.setStretchFactor(1, 1)
    self.body_split.setSizes([700, 700])
    self.main_split.setStretchFactor(0, 0)
    self.main_split.setStretchFactor(1, 1)
    self.main_split.setSizes([170, 600])
    self.main_split.setCollapsible(1, False)


def add_actions(self) -> None:
    """The toolbar's actions, and the table's shortcuts."""
    self.toolbar.setIconSize(QSize(16, 16))
    self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    self.rerun_action = QAction(icon("play"), "Re-run", self, enabled=False)
    self.rerun_action.setToolTip("Run this failed execution again with the same input against the current code")
    self.copy_action = QAction(standard(QStyle.StandardPixmap.SP_FileDialogDetailedView), "Copy JSON", self, enabled=False)
    self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
    self.export_csv_action = QAction(standard(QStyle.StandardPixmap.SP_DialogSaveButton), "Export CSV…", self)
    self.export_json_action = QAction("Export JSON…", self)
    self.delete_action = QAction(standard(QStyle.StandardPixmap.SP_TrashIcon), "Delete", self)
    self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
    self.prune_action = QAction("Prune…", self)
    for action in (self.rerun_action, self.copy_action):
        self.toolbar.addAction(action)
    self.toolbar.addSeparator()
    for action in (self.export_csv_action, self.export_json_action):
        self.toolbar.addAction(action)
    self.toolbar.addSeparator()
    for action in (self.delete_action, self.prune_action):
        self.toolbar.addAction(action)
    for action in (self.copy_action, self.delete_action):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(action)


def make_table(model) -> QTableView:
    table = QTableView(objectName="recordsTable")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # rows arriving do not narrow the view
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setCornerButtonEnabled(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    columns = table.horizontalHeader()
    columns.setHighlightSections(False)
    columns.setStretchLastSection(True)
    columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column, width in COLUMN_WIDTHS.items():
        table.setColumnWidth(column, width)
    return table
