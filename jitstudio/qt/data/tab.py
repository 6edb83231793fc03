"""QtDataTab: a model's rows on its page. Filter (Q text or the condition builder), sort by a column, a row
count made in the background, and every write — edit a cell, add, delete, import — sent to the app's runtime
process through its data API, so the app's events fire. Under the table, what the last write fired."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QMessageBox, QPushButton, QSplitter, QStyle, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from ..icons import icon, standard
from ..theme import text_color
from ..wizards.qbuilder import QtFilterBuilder
from . import bulk as bulk_io
from .bulk_dialogs import QtImportDialog, progress_dialog, report_text
from .client import QtDataClient
from .delegate import QtCellDelegate
from .fired_strip import QtFiredStrip
from .row_form import QtRowForm
from .rows_model import QtRowsModel

ROW_HEIGHT = 24
MIN_COLUMN, MAX_COLUMN = 56, 280
FIT_ROWS = 30  # rows a column is fitted to (Qt's default, 1,000, measured every row of the first page)


class QtDataTab(QWidget):
    sig_open_record = Signal(str, int)  # event fullName, record id
    sig_test_row = Signal(str, dict)  # event fullName, the row to build its Test run payload from
    sig_status = Signal(str)

    def __init__(self, client: QtDataClient, model: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.client, self.model_name = client, model
        self.rows: QtRowsModel | None = None
        self.model_events: list[tuple[str, str]] = []  # (event fullName, operate) of the model's events
        self._count_token = ""
        self._counter = 0
        self._sized = False
        self.counted: int | None = None  # the rows the filter matches, once counted

        self.filter_edit = QLineEdit(objectName="dataFilter", clearButtonEnabled=True,
                                     placeholderText="Filter: Q(Q('status', '=', 'paid')) — Enter applies")
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.build_button = QPushButton("Conditions…", objectName="dataFilterBuilder")
        self.build_button.setToolTip("Build the filter from conditions")
        self.build_button.clicked.connect(self.build_filter)
        self.count_label = QLabel("", objectName="dataCount")
        self.cancel_count = QToolButton(text="Stop counting", objectName="dataCancelCount", autoRaise=True, visible=False)
        self.cancel_count.clicked.connect(self.stop_count)
        refresh = QToolButton(objectName="dataRefresh", autoRaise=True, toolTip="Reload the rows (F5)")
        refresh.setIcon(standard(QStyle.StandardPixmap.SP_BrowserReload))
        refresh.clicked.connect(self.reload)
        refresh.setShortcut("F5")
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.build_button)
        top.addWidget(self.count_label)
        top.addWidget(self.cancel_count)
        top.addWidget(refresh)

        self.add_button = QPushButton(icon("plus"), "Add row…", objectName="dataAdd")
        self.add_button.clicked.connect(self.add_row)
        self.delete_button = QPushButton("Delete", objectName="dataDelete", enabled=False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.events_check = QCheckBox("Fire events", objectName="dataEvents", checked=True)
        self.events_check.setToolTip("Writes from this tab fire the model's events, as the app's own writes do. "
                                     "Off: triggerEvent=0, nothing fires.")
        self.events_check.toggled.connect(self._events_toggled)
        self.test_button = QPushButton(icon("play"), "Test run with row", objectName="dataTestRow", enabled=False)
        self.test_button.setToolTip("Open a model event's Test run with the selected row as its payload")
        self.test_button.clicked.connect(self._test_menu)
        self.import_button = QPushButton("Import…", objectName="dataImport")
        self.import_button.setToolTip("Add rows from a CSV or JSON file, each through the app's data API")
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton("Export…", objectName="dataExport")
        self.export_button.setToolTip("Write the rows the filter shows, in the current order, to CSV or JSON")
        self.export_button.clicked.connect(self.choose_export)
        self.bulk: bulk_io.ImportRun | bulk_io.ExportRun | None = None  # the import or export running
        bar = QHBoxLayout()
        for widget in (self.add_button, self.delete_button, self.events_check, self.test_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)

        self.table = QTableView(objectName="dataTable", alternatingRowColors=True, sortingEnabled=False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegate(QtCellDelegate(self.table))
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_clicked)
        self.message = QLabel("", objectName="dataMessage", wordWrap=True, visible=False)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strip = QtFiredStrip()
        self.strip.sig_open_record.connect(self.sig_open_record)
        self.strip.hide()
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.message)
        self.split = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        self.split.addWidget(upper)
        self.split.addWidget(self.strip)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.split, 1)
        client.sig_fired.connect(self._fired)
        client.sig_ended.connect(self._session_ended)

    # -- opening -------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Start (or restart) with the model's fields as the data session knows them."""
        if self.rows is None:
            self.client.request("models", self._models)

    def _models(self, answer: dict) -> None:
        info = (answer.get("models") or {}).get(self.model_name) if answer.get("ok") else None
        if info is None:
            self.show_message(answer.get("error") or f"{self.model_name} has no table in this app's database "
                              "(see Problems: a model whose fields cannot be stored)", error=True)
            return
        self.rows = QtRowsModel(self.client, self.model_name, info["fields"], info["primaryKey"], self)
        self.rows.events = self.events_check.isChecked()
        self.rows.sig_failed.connect(lambda text: self.show_message(text, error=True))
        self.rows.sig_written.connect(self._written)
        self.rows.sig_loaded.connect(self._loaded)
        self.table.setModel(self.rows)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._sized = False
        self.reload()

    def reload(self) -> None:
        if self.rows is None:
            self.load()
            return
        self.rows.reload(self.filter_edit.text().strip())
        self.count()

    def _loaded(self, loaded: int) -> None:
        if not self._sized and loaded:
            self._size_columns()
        if self.rows is not None and self.rows.fully_loaded():
            self._cancel_count()  # every row is loaded: that is the count
            self._show_count(loaded)

    def _size_columns(self) -> None:
        """Fit each column to its title and the first page's values, within bounds."""
        self._sized = True
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, max(MIN_COLUMN, min(header.sectionSize(column) + 12, MAX_COLUMN)))

    # -- filter, sort, count -------------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self.show_message("")
        self.reload()

    def build_filter(self) -> None:
        if self.rows is None:
            return
        dialog = QDialog(self, windowTitle=f"Filter {self.model_name}")
        builder = QtFilterBuilder(dialog)
        builder.set_fields([f["name"] for f in self.rows.fields])
        builder.set_text(self.filter_edit.text().strip() or None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(builder, 1)
        layout.addWidget(buttons)
        dialog.resize(640, 360)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.filter_edit.setText(builder.text())
            self.apply_filter()

    def _sort_clicked(self, column: int) -> None:
        if self.rows is None:
            return
        field = self.rows.fields[column]["name"]
        current = self.rows.order
        descending = current.get("field") == field and not current.get("descending")
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.rows.reload(order={"field": field, "descending": descending})

    def count(self) -> None:
        """Count the matching rows in the background; the label says so until the count is in."""
        self._cancel_count()
        self._counter += 1
        token = f"{self.model_name}:{self._counter}"
        self._count_token = token
        self.counted = None
        self.count_label.setText("counting…")
        self.cancel_count.show()
        self.client.request("count", lambda answer: self._counted(token, answer), owner=self, model=self.model_name,
                            filter=self.filter_edit.text().strip() or None, token=token)

    def _counted(self, token: str, answer: dict) -> None:
        if token != self._count_token:
            return
        self._count_token = ""
        self.cancel_count.hide()
        if not answer.get("ok"):
            self.count_label.setText("")
            self.show_message(str(answer.get("error")), error=True)
        elif answer.get("cancelled"):
            self.count_label.setText("not counted")
        else:
            self._show_count(int(answer["count"]))

    def _show_count(self, total: int) -> None:
        self.counted = total
        self.count_label.setText(f"{total:,} row{'s' if total != 1 else ''}")

    def stop_count(self) -> None:
        """Stop counting (the button): the label says the rows were not counted."""
        if self._cancel_count():
            self.count_label.setText("not counted")

    def _cancel_count(self) -> bool:
        """Cancel the count on its way, if one is; whether one was."""
        self.cancel_count.hide()
        if not self._count_token:
            return False
        token, self._count_token = self._count_token, ""
        self.client.request("cancel", token=token)
        return True

    # -- writes --------------------------------------------------------------------------------------------

    def _events_toggled(self, on: bool) -> None:
        if self.rows is not None:
            self.rows.events = on
        color = "" if on else f"color: {text_color('warning').name()}; font-weight: 600;"
        self.events_check.setStyleSheet(color)
        self.events_check.setText("Fire events" if on else "Fire events (off: writes fire nothing)")

    def selected_rows(self) -> list[dict]:
        if self.rows is None:
            return []
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows.rows[n] for n in numbers if n < len(self.rows.rows)]

    def _selection_changed(self, *_args: Any) -> None:
        rows = self.selected_rows()
        self.delete_button.setEnabled(bool(rows))
        self.delete_button.setText(f"Delete {len(rows)}" if len(rows) > 1 else "Delete")
        self.test_button.setEnabled(len(rows) == 1 and bool(self.model_events))

    def add_row(self) -> None:
        if self.rows is None:
            return
        form = QtRowForm(self.rows.fields, self.model_name, self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_row(form.values())

    def create_row(self, values: dict) -> int:
        events = self.events_check.isChecked()
        return self.client.request("create", self._created, model=self.model_name,
                                   row=values, events=events)

    def _created(self, answer: dict) -> None:
        if answer.get("ok") and self.rows is not None and answer.get("row") is not None:
            number = self.rows.add_row(answer["row"])
            self.table.selectRow(number)
        self._written(answer, what="Added a row")

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or self.rows is None:
            return
        events = "its Delete events fire" if self.events_check.isChecked() else "events are off: nothing fires"
        noun = f"{len(rows)} rows" if len(rows) > 1 else "this row"
        answer = QMessageBox.question(self, "Delete rows", f"Delete {noun} of {self.model_name}? ({events})",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_rows([row[self.rows.primary_key] for row in rows])

    def delete_rows(self, pks: list) -> int:
        return self.client.request("delete", self._deleted, model=self.model_name, pks=pks,
                                   events=self.events_check.isChecked())

    def _deleted(self, answer: dict) -> None:
        if answer.get("ok") and self.rows is not None:
            self.rows.remove_rows(answer.get("deleted") or [])
        self._written(answer, what=f"Deleted {len(answer.get('deleted') or [])} row(s)")

    def _written(self, answer: dict, what: str | None = None) -> None:
        """Show the answer to a write: why it was refused, and what it fired."""
        if not answer.get("ok"):
            self.show_message(f"Not written: {answer.get('error')}", error=True)
            return
        refused = answer.get("refused")
        if isinstance(refused, dict):
            pk = (answer.get("row") or {}).get(self.rows.primary_key if self.rows else "id")
            self.show_message(f"Row {pk} was not changed: {refused.get('error')}", error=True)
        elif isinstance(refused, list) and refused:
            self.show_message("; ".join(f"{r.get('pk', r.get('index'))}: {r.get('error')}" for r in refused[:5]), error=True)
        else:
            self.show_message("")
        if what is None:
            row = answer.get("row") or {}
            pk = row.get(self.rows.primary_key) if self.rows else None
            what = f"Edited row {pk}" if not refused else f"Edit of row {pk} (refused)"
        self.strip.show()
        self.strip.show_write(what, str(answer.get("request", "")), answer.get("fired") or [],
                              bool(answer.get("settled", True)), bool(answer.get("events", True)))
        self.sig_status.emit(self.strip.title.text())

    def _fired(self, request: str, records: list, settled: bool) -> None:
        if request == self.strip.request:
            self.strip.update_request(request, records, settled)
            self.sig_status.emit(self.strip.title.text())

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setVisible(bool(text))
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {text_color('error').name()};" if error else "")

    def _session_ended(self, reason: str) -> None:
        if reason:
            self.show_message(reason, error=True)

    # -- Test run with a row -------------------------------------------------------------------------------

    def _test_menu(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        menu = QMenu(self)
        for event, operate in self.model_events:
            menu.addAction(f"{event}  ({operate})", lambda e=event: self.sig_test_row.emit(e, rows[0]))
        menu.exec(self.test_button.mapToGlobal(self.test_button.rect().bottomLeft()))

    # -- import and export ---------------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _kind = QFileDialog.getOpenFileName(self, f"Import rows into {self.model_name}", "",
                                                  "CSV or JSON (*.csv *.json);;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, mapping: dict | None = None, events: bool | None = None):
        """Read `path`, ask for the column mapping (unless given), and start the import; returns the run."""
        if self.rows is None:
            return None
        try:
            columns, rows = bulk_io.read_rows(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.show_message(f"Cannot import {path.name}: {exc}", error=True)
            return None
        fields = self.rows.fields
        if mapping is None:
            dialog = QtImportDialog(path.name, columns, len(rows), fields, bulk_io.guess_mapping(columns, fields),
                                    self.events_check.isChecked(), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            mapping, events = dialog.mapping(), dialog.events_check.isChecked()
        by_name = {f["name"]: f for f in fields}
        values = [bulk_io.mapped_row(row, mapping, by_name) for row in rows]
        run = bulk_io.ImportRun(self.client, self.model_name, values, self.events_check.isChecked() if events is None else events, self)
        progress = progress_dialog(self, f"Importing {path.name}", len(values))
        progress.canceled.connect(run.cancel)
        run.sig_progress.connect(lambda done, _total: progress.setValue(done))
        run.sig_done.connect(lambda report: self._imported(report, progress))
        self.bulk = run
        run.start()
        return run

    def _imported(self, report: dict, progress) -> None:
        progress.close()
        self.bulk = None
        self.last_report = report_text(report)
        self.show_message(self.last_report, error=bool(report["refused"]) or report["cancelled"])
        self.sig_status.emit(self.last_report.splitlines()[0])
        self.reload()

    def choose_export(self) -> None:
        path, _kind = QFileDialog.getSaveFileName(self, f"Export rows of {self.model_name}", f"{self.model_name.split('.')[-1]}.csv",
                                                  "CSV (*.csv);;JSON (*.json)")
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path):
        """Write the rows the filter shows, in the current order, to `path`; returns the run."""
        if self.rows is None:
            return None
        try:
            run = bulk_io.ExportRun(self.client, self.model_name, self.rows.fields, path,
                                    self.filter_edit.text().strip() or None, self.rows.order, self)
        except OSError as exc:
            self.show_message(f"Cannot write {path}: {exc}", error=True)
            return None
        total = self.counted or 0
        progress = progress_dialog(self, f"Exporting to {path.name}", total)
        progress.canceled.connect(run.cancel)
        run.sig_progress.connect(lambda written: progress.setValue(min(written, total)) if total else None)
        run.sig_done.connect(lambda report: self._exported(report, progress))
        self.bulk = run
        run.start()
        return run

    def _exported(self, report: dict, progress) -> None:
        progress.close()
        self.bulk = None
        if report.get("error"):
            self.show_message(f"Export failed after {report['written']:,} rows: {report['error']}", error=True)
        elif report.get("cancelled"):
            self.show_message(f"Export cancelled after {report['written']:,} rows; no file was written.")
        else:
            self.show_message(f"Exported {report['written']:,} rows to {report['path']}.")
