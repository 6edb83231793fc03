"""QtRecordsPage: the execution-record browser: filters, a chart, the records table and one record's detail.

Every store access runs on the page's backend pool; the GUI thread only shows results. The page opens in
turns of the event loop: its frame and table first, then the chart's view, then the detail's widgets. The
table fills a keyset page at a time as it scrolls; counts, the chart and the event list are computed in the
background and dropped (counts cancelled) when the filters change. While live, new and finished records
appear by themselves.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog

from ...runtime.records import Filters, RecordStore
from ..pages.base import QtPage
from ..startup import after_first_paint
from . import records_key
from ._actions import QtPruneDialog, RerunController, confirm
from ._chart import QtRecordsChart, load_chart
from ._detail import QtRecordDetail, RecordDetail, load_detail
from ._export import ExportResult, export_records
from ._filters import QtRecordFilters
from ._layout import build_layout
from ._model import RECORD_ID_ROLE, RecordsTableModel, PAGE_SIZE
from ._tasks import RecordsBackend, Ticket

LIVE_INTERVAL_MS = 1000
CHART_REFRESH_MS = 5000
FAILURE_WINDOW_S = 24 * 3600
LOADING_SHOWN_AFTER_MS = 150


def event_names(store: RecordStore, app_dir: Path | None) -> list[str]:
    """The app's events (from its folders) and any event with failed executions."""
    names = set(store.failures_by_event())
    if app_dir is not None and (app_dir / "events").is_dir():
        names.update(f"events.{d.name}" for d in (app_dir / "events").iterdir() if (d / "e.json").is_file())
    return sorted(names)


class QtRecordsPage(QtPage):
    sig_open_file = Signal(str, int)  # absolute path, line
    sig_failures_changed = Signal(dict)  # event fullName → failed executions in the last 24 hours
    sig_runner_started = Signal(object, str)
    sig_count_changed = Signal(object)  # int, or None while counting
    sig_show_run = Signal(int)  # record id: draw the run it is part of on its workflow's or assistant's graph
    sig_detail_shown = Signal(int)
    sig_export_finished = Signal(object)  # ExportResult
    sig_rerun_finished = Signal(int, object, str)  # re-run id, new id or None, message

    icon_name = "records"
    capabilities = frozenset({"open-file", "runner"})
    filter_bar: QtRecordFilters  # made by build_layout, as the other widgets
    chart: QtRecordsChart
    detail: QtRecordDetail

    def __init__(self, records_url_or_app_dir: str | os.PathLike, event: str | None = None, parent=None, *,
                 live_interval_ms: int = LIVE_INTERVAL_MS, page_size: int = PAGE_SIZE):
        super().__init__(records_key(event), parent)
        self.event_name = event
        self.backend = RecordsBackend(records_url_or_app_dir, self)
        self.app_dir = self.backend.app_dir
        self.model = RecordsTableModel(self.backend, page_size, self)
        self.count: int | None = None
        self.failures: dict[str, int] = {}
        self.confirm = confirm
        self._tickets: dict[str, Ticket] = {}
        self._select_when_loaded: int | None = None
        self.export_result: ExportResult | None = None
        self.rerunner = RerunController(self)
        build_layout(self, event)

        self.live_timer = QTimer(self, interval=live_interval_ms)
        self.live_timer.timeout.connect(self.model.poll)
        self.chart_timer = QTimer(self, singleShot=True, interval=CHART_REFRESH_MS)
        self.chart_timer.timeout.connect(self._request_chart)
        self.loading_timer = QTimer(self, singleShot=True, interval=LOADING_SHOWN_AFTER_MS)
        self.loading_timer.timeout.connect(self.loading_bar.show)
        self.detail_timer = QTimer(self, singleShot=True, interval=30)
        self.detail_timer.timeout.connect(self._current_changed)
        self._connect()
        if event:
            self.filter_bar.set_events([event])
            self.filter_bar.event_box.setCurrentIndex(self.filter_bar.event_box.findData(event))
        self.apply_filters(self.filter_bar.filters())
        self._request("events", lambda store: event_names(store, self.app_dir), self.filter_bar.set_events)
        self._request_failures()
        self.set_live(True)
        after_first_paint(self, self._build_the_rest)

    def _build_the_rest(self) -> None:
        """Once the page is on screen: the chart's view, and on the next turn the detail's widgets (each of
        them is made at once instead when it has something to show first)."""
        self.chart.build()
        QTimer.singleShot(0, self, self.detail.build_in_turns)

    def title(self) -> str:
        return f"Records: {self.event_name.rsplit('.', 1)[-1]}" if self.event_name else "Execution records"

    def _connect(self) -> None:
        self.filter_bar.sig_changed.connect(self.apply_filters)
        self.model.sig_loading.connect(self._loading)
        self.model.sig_error.connect(lambda text: self.show_status("Reading records failed: " + text.strip().splitlines()[-1]))
        self.model.sig_reload_needed.connect(self.model.reload)
        self.model.sig_live_changes.connect(self._store_changed)
        self.model.sig_prepended.connect(lambda added: self.count is not None and self._counted(self.count + added))
        self.model.rowsAboutToBeInserted.connect(self._rows_about_to_be_inserted)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.model.modelReset.connect(lambda: self.detail.clear())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.detail_timer.start())
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.detail.sig_open_record.connect(self.show_record)
        self.detail.sig_show_run.connect(self.sig_show_run)
        self.detail.sig_open_frame.connect(self._open_app_file)
        self.live_box.toggled.connect(self.set_live)
        self.refresh_button.clicked.connect(self.refresh)
        self.failures_chip.clicked.connect(lambda: self.filter_bar.set_status("fail"))
        self.rerun_action.triggered.connect(self.rerun_current)
        self.copy_action.triggered.connect(self.copy_current_json)
        self.export_csv_action.triggered.connect(lambda: self.export_dialog("csv"))
        self.export_json_action.triggered.connect(lambda: self.export_dialog("json"))
        self.delete_action.triggered.connect(self.delete_selected)
        self.prune_action.triggered.connect(self.prune_dialog)
        self.export_bar.sig_cancel.connect(self.cancel_export)
        self.rerunner.sig_runner_started.connect(self.sig_runner_started)
        self.rerunner.sig_finished.connect(self._rerun_finished)

    # -- background requests ------------------------------------------------------------------------------

    def _request(self, name: str, fn, on_done, *, with_ticket: bool = False, on_progress=None) -> Ticket:
        """Run `fn` on the pool as the one current request called `name` (a newer one drops the older)."""
        old = self._tickets.get(name)
        if old is not None:
            old.drop()
        ticket = self.backend.submit(fn, on_done, self._failed, with_ticket=with_ticket, on_progress=on_progress)
        self._tickets[name] = ticket
        return ticket

    def _failed(self, text: str) -> None:
        self.show_status("Records: " + text.strip().splitlines()[-1])

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.sig_status.emit(text)

    def pending(self, name: str) -> bool:
        ticket = self._tickets.get(name)
        return ticket is not None and ticket.pending

    # -- filters, counts, chart ----------------------------------------------------------------------------

    def apply_filters(self, filters: Filters) -> None:
        self.model.set_filters(filters)
        self.count = None
        self.count_label.setText("Counting…")
        self.sig_count_changed.emit(None)
        self._request("count", lambda store, ticket: store.count(**asdict(filters), cancel=ticket.cancel),
                      self._counted, with_ticket=True)
        self._request_chart()

    def _counted(self, count: int | None) -> None:
        if count is None:
            return
        self.count = count
        self.count_label.setText(f"{count:,} execution{'s' if count != 1 else ''}")
        self.sig_count_changed.emit(count)

    def _request_chart(self) -> None:
        filters = self.model.filters
        self._request("chart", lambda store: load_chart(store, filters), self.chart.show_data)

    def _request_failures(self) -> None:
        def load(store: RecordStore) -> dict[str, int]:
            latest = store.latest_started_us()
            return {} if latest is None else store.failures_by_event(since=latest / 1e6 - FAILURE_WINDOW_S)
        self._request("failures", load, self._failures_loaded)

    def _failures_loaded(self, failures: dict[str, int]) -> None:
        changed = failures != self.failures
        self.failures = failures
        total = sum(failures.values())
        self.failures_chip.setText(f"{total:,} failed in 24 h")
        self.failures_chip.setVisible(total > 0)
        self.failures_chip.setToolTip("\n".join(f"{n:,}  {e}" for e, n in sorted(failures.items(), key=lambda x: -x[1])))
        if changed:
            self.sig_failures_changed.emit(dict(failures))

    def refresh(self) -> None:
        self.apply_filters(self.model.filters)
        self._request_failures()

    # -- live ------------------------------------------------------------------------------------------------

    def set_live(self, live: bool) -> None:
        if self.live_box.isChecked() != live:
            self.live_box.setChecked(live)
        if live:
            self.live_timer.start()
        else:
            self.live_timer.stop()

    def _store_changed(self) -> None:
        self._request_failures()
        if not self.chart_timer.isActive():
            self.chart_timer.start()

    def _rows_about_to_be_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        self._scroll_before = self.table.verticalScrollBar().value() if first == 0 and self.model.rowCount() else None

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        added = last - first + 1
        before = getattr(self, "_scroll_before", None)
        if first == 0 and before:
            bar = self.table.verticalScrollBar()
            bar.setRange(0, bar.maximum() + added)
            bar.setValue(before + added)
        self._scroll_before = None
        if self._select_when_loaded is not None:
            row = self.model.rows.row_of(self._select_when_loaded)
            if row >= 0:
                self._select_when_loaded = None
                self.select_row(row)

    def _scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        if value >= bar.maximum() - self.model.page_size // 2 and self.model.canFetchMore():
            self.model.fetchMore()

    def _loading(self, busy: bool) -> None:
        if busy:
            self.loading_timer.start()
        else:
            self.loading_timer.stop()
            if self.loading_bar.isVisible():
                self.loading_bar.hide()

    # -- the selected record -------------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def selected_ids(self) -> list[int]:
        return [index.data(RECORD_ID_ROLE) for index in self.table.selectionModel().selectedRows()]

    def current_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(RECORD_ID_ROLE) if index.isValid() else None

    def _current_changed(self) -> None:
        record_id = self.current_id()
        if record_id is not None and record_id != self.detail.record_id():
            self.show_record(record_id, select=False)

    def show_record(self, record_id: int, select: bool = True) -> None:
        """Show one execution in the detail pane (and select it in the table when it is loaded)."""
        if select:
            row = self.model.rows.row_of(record_id)
            if row >= 0:
                self.table.selectionModel().blockSignals(True)
                self.select_row(row)
                self.table.selectionModel().blockSignals(False)
                self.table.viewport().update()
        self._request("detail", lambda store: load_detail(store, record_id),
                      lambda detail: self._detail_loaded(record_id, detail))

    def reveal_record(self, record_id: int) -> None:
        """Show one execution's detail now and select its row as soon as the row is loaded."""
        if self.model.rows.row_of(record_id) < 0:
            self._select_when_loaded = record_id
        self.show_record(record_id)

    def _detail_loaded(self, record_id: int, detail: RecordDetail | None) -> None:
        if detail is None:
            self.detail.clear(f"Execution #{record_id} no longer exists.")
        else:
            self.detail.show_detail(detail)
        self._update_actions()
        self.sig_detail_shown.emit(record_id)

    def _update_actions(self) -> None:
        record = self.detail.detail.record if self.detail.detail else None
        can_rerun = record is not None and record.status == "fail" and self.app_dir is not None
        self.rerun_action.setEnabled(can_rerun and not self.rerunner.is_running())
        self.copy_action.setEnabled(record is not None)

    def _open_app_file(self, file: str, line: int) -> None:
        path = Path(file)
        if not path.is_absolute() and self.app_dir is not None:
            path = self.app_dir / path
        self.sig_open_file.emit(str(path), line)

    # -- actions ---------------------------------------------------------------------------------------------

    def copy_current_json(self) -> str | None:
        if self.detail.detail is None:
            return None
        text = json.dumps(self.detail.detail.record.to_json(), indent=2, ensure_ascii=False, default=str)
        QApplication.clipboard().setText(text)
        self.show_status(f"Copied execution #{self.detail.detail.record.id} as JSON")
        return text

    def rerun_current(self) -> bool:
        record = self.detail.detail.record if self.detail.detail else None
        if record is None or self.app_dir is None or self.rerunner.is_running():
            return False
        self.rerunner.rerun(self.app_dir, record)
        self.rerun_action.setEnabled(False)
        self.show_status(f"Re-running #{record.id} {record.event} in the runtime…")
        return True

    def _rerun_finished(self, old_id: int, new_id: int | None, message: str) -> None:
        self.show_status(message)
        self._update_actions()
        if new_id is not None:
            self._select_when_loaded = new_id
            self.model.poll()
            self.show_record(new_id)
        self.sig_rerun_finished.emit(old_id, new_id, message)

    def export_dialog(self, fmt: str) -> None:
        suffix = {"csv": "CSV files (*.csv)", "json": "JSON files (*.json)"}[fmt]
        start = str((self.app_dir or Path.home()) / f"execution-records.{fmt}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export the filtered records as {fmt.upper()}", start, suffix)
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Export the records matching the current filters; progress shows in the export bar."""
        filters = self.model.filters
        self.export_result = None
        self.export_bar.start(Path(path).name)
        self._request("export", lambda store, ticket: export_records(store, ticket, filters, Path(path), fmt),
                      self._exported, with_ticket=True, on_progress=self.export_bar.progress)

    def cancel_export(self) -> None:
        ticket = self._tickets.get("export")
        if ticket is not None and ticket.pending:
            ticket.cancel.set()
            self.export_bar.cancel.setEnabled(False)

    def _exported(self, result: ExportResult) -> None:
        self.export_result = result
        self.export_bar.hide()
        if result.cancelled:
            self.show_status("Export cancelled; no file was written.")
        else:
            self.show_status(f"Exported {result.written:,} executions to {result.path}")
        self.sig_export_finished.emit(result)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.confirm(self, "Delete executions",
                                       f"Delete {len(ids):,} execution record{'s' if len(ids) != 1 else ''}? This cannot be undone."):
            return
        self._request("delete", lambda store: store.delete(ids), lambda n: self._deleted(set(ids), n))

    def _deleted(self, ids: set[int], deleted: int) -> None:
        self.model.remove_ids(ids)
        if self.detail.record_id() in ids:
            self.detail.clear()
        if self.count is not None:
            self._counted(max(0, self.count - deleted))
        self.show_status(f"Deleted {deleted:,} execution records")
        self._store_changed()

    def prune_dialog(self) -> None:
        dialog = QtPruneDialog(self)
        if dialog.exec():
            self.prune(*dialog.limits())

    def prune(self, max_age_days: float | None, max_count: int | None) -> None:
        if max_age_days is None and max_count is None:
            return
        what = [f"older than {max_age_days:g} days" if max_age_days is not None else "",
                f"beyond the newest {max_count:,}" if max_count is not None else ""]
        if not self.confirm(self, "Prune execution records", f"Delete every execution {' and '.join(w for w in what if w)}? "
                                                            "This cannot be undone."):
            return
        self._request("prune", lambda store: store.prune(max_age_days, max_count), self._pruned)

    def _pruned(self, deleted: int) -> None:
        self.show_status(f"Pruned {deleted:,} execution records")
        self.refresh()

    # -- closing ---------------------------------------------------------------------------------------------

    def shutdown(self) -> None:
        for timer in (self.live_timer, self.chart_timer, self.detail_timer, self.loading_timer):
            timer.stop()
        self.rerunner.stop()
        self.backend.close()
