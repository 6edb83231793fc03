"""The record browser and the Test run panel as a user meets them: a custom time range that keeps showing new
runs, a chart with whole-number counts and distinct time labels, an execution path whose steps can be read
and whose imports are folded away, a stopped test run closed as failed at once, a panel that closes and
reopens, a record number that opens the record, and a records page that fits a 1024 px window."""
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from jitstudio.project import create_event
from jitstudio.qt.records import QtRecordsPage
from jitstudio.qt.records._axes import count_axis, time_labels
from jitstudio.qt.records._steps import STEP
from jitstudio.qt.runner import has_cli_command
from jitstudio.runtime.records import Bucket, RecordStore
from qt_helpers import click

WAIT_MS = 20_000
needs_runtime = pytest.mark.skipif(not has_cli_command("event"), reason="needs the runtime's `jitstudio event test`")

HANDLER_FILE = "events/OrderPaidNotify/inner.py"
# the execution path of OrderPaidNotify as the runtime records it on the first run of a process
STEPS = [{
    "kind": "call", "title": "customFunc", "status": "success", "startMs": 0.1, "durationMs": 5.0, "count": 1,
    "file": HANDLER_FILE, "line": 5, "children": [
        {"kind": "statement", "code": "post = eventOutData.postData.value", "status": "success", "startMs": 0.2,
         "durationMs": 0.1, "count": 1, "file": HANDLER_FILE, "line": 6, "children": []},
        {"kind": "statement", "code": "app.services.MessageSvc.sendNotification(title=title, receivers=receivers)",
         "status": "success", "startMs": 0.4, "durationMs": 4.0, "count": 1, "file": HANDLER_FILE, "line": 18,
         "children": [
             {"kind": "import", "title": "services/MessageSvc/__init__.py", "status": "success", "startMs": 0.5,
              "durationMs": 1.3, "count": 1, "file": "services/MessageSvc/__init__.py", "line": 1, "children": [
                  {"kind": "statement", "code": "from .service import MessageSvc", "status": "success",
                   "startMs": 0.5, "durationMs": 1.2, "count": 1, "file": "services/MessageSvc/__init__.py",
                   "line": 1, "children": []}]},
             {"kind": "service", "title": "services.MessageSvc.sendNotification", "status": "success",
              "startMs": 1.9, "durationMs": 2.1, "count": 1, "children": []},
         ]},
    ]}]


@pytest.fixture
def records_app(tmp_path) -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.json").write_text('{"name": "few", "title": "Few"}')
    return app


@pytest.fixture
def store(records_app):
    store = RecordStore(app_dir=records_app)
    yield store
    store.close()


def record_now(store: RecordStore, event: str = "events.OrderPaidNotify", steps=None) -> int:
    record_id = store.begin(event=event, input={})
    store.finish(record_id, status="success", steps=steps, duration_ms=5.0)
    store.flush()
    return record_id


def wait_loaded(qtbot, page, count=None):
    qtbot.waitUntil(lambda: page.count is not None and not page.model.is_fetching()
                    and (count is None or page.count == count), timeout=WAIT_MS)


def shown_record_ids(page) -> list[int]:
    return [page.model.record_id(row) for row in range(page.model.rowCount())]


# -- the custom time range ------------------------------------------------------------------------------------

def test_a_custom_range_keeps_showing_new_runs(qtbot, open_page, records_app, store):
    first = record_now(store)
    page = open_page(records_app, live_interval_ms=100)
    wait_loaded(qtbot, page, 1)
    page.filter_bar.set_period("custom")
    wait_loaded(qtbot, page, 1)
    qtbot.wait(50)  # the next run starts after the range was chosen
    second = record_now(store)
    qtbot.waitUntil(lambda: shown_record_ids(page) == [second, first], timeout=WAIT_MS)
    assert page.count_label.text() == "2 executions"
    assert page.filter_bar.until_now.isChecked() and not page.filter_bar.until.isVisibleTo(page)


def test_an_entered_end_keeps_its_seconds(qtbot, open_page, records_app, store):
    page = open_page(records_app)
    bar = page.filter_bar
    bar.set_period("custom")
    bar.until_now.setChecked(False)
    assert bar.until.isVisibleTo(page)
    end = datetime(2026, 3, 4, 12, 34, 56)
    bar.until.setDateTime(end)
    assert "12:34:56" in bar.until.text()
    assert page.model.filters.until == end
    bar.until_now.setChecked(True)
    assert page.model.filters.until is None


# -- the chart ---------------------------------------------------------------------------------------------------

def test_count_ticks_are_whole_numbers():
    assert count_axis(0).ticks == [0, 1]
    assert count_axis(1).ticks == [0, 1]
    assert count_axis(3).ticks == [0, 1, 2, 3]
    assert count_axis(7).ticks == [0, 2, 4, 6, 8]
    assert count_axis(9).ticks == [0, 5, 10]
    assert count_axis(1234).ticks == [0, 500, 1000, 1500]


def test_time_labels_are_distinct_and_as_precise_as_needed():
    start = int(datetime(2026, 12, 6, 17, 0).timestamp() * 1e6)
    seconds = [Bucket(start + n * 2_000_000, start + (n + 1) * 2_000_000, {}) for n in range(36)]
    labels = list(time_labels(seconds, 6).values())
    assert len(labels) == 6 and len(set(labels)) == 6 and all(len(label) == 8 for label in labels)  # 17:00:06
    close = [Bucket(start + n * 50_000, start + (n + 1) * 50_000, {}) for n in range(36)]
    labels = list(time_labels(close, 6).values())
    assert len(set(labels)) == len(labels) == 6 and all("." in label for label in labels)  # 17:00:00.150
    days = [Bucket(start + n * 3_600_000_000, start + (n + 1) * 3_600_000_000, {}) for n in range(36)]
    labels = list(time_labels(days, 4).values())
    assert len(set(labels)) == len(labels) == 4 and all(label.startswith("Dec ") for label in labels)


def y_ticks(axis) -> list[float]:
    count = axis.tickCount()
    return [axis.min() + n * (axis.max() - axis.min()) / (count - 1) for n in range(count)]


def test_the_chart_counts_in_whole_numbers_under_distinct_readable_times(qtbot, open_page, records_app, store):
    record_now(store)
    page = open_page(records_app)
    wait_loaded(qtbot, page, 1)
    qtbot.waitUntil(lambda: page.chart.chart is not None and not page.pending("chart")
                    and sum(page.chart.totals().values()) == 1, timeout=WAIT_MS)
    chart = page.chart
    y_axis = next(axis for axis in chart.chart.axes(Qt.Orientation.Vertical))
    ticks = y_ticks(y_axis)
    assert ticks == [0, 1]  # one execution: not "0, 0, 1" from rounded halves
    x_axis = next(axis for axis in chart.chart.axes(Qt.Orientation.Horizontal))
    labels = x_axis.categoriesLabels()
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    metrics = QFontMetrics(x_axis.labelsFont())
    assert sum(metrics.horizontalAdvance(label) for label in labels) < chart.view.width()
    page.chart.resize(400, page.chart.height())
    fewer = x_axis.categoriesLabels()
    assert 2 <= len(fewer) <= len(labels) and len(set(fewer)) == len(fewer)
    assert sum(metrics.horizontalAdvance(label) for label in fewer) < chart.view.width()


# -- the execution path ------------------------------------------------------------------------------------------

def show_path(qtbot, open_page, records_app, store) -> QtRecordsPage:
    record_id = record_now(store, steps=STEPS)
    page = open_page(records_app)
    page.show_record(record_id)
    qtbot.waitUntil(lambda: page.detail.record_id() == record_id, timeout=WAIT_MS)
    return page


def test_the_step_column_shows_its_steps_at_the_default_size(qtbot, open_page, records_app, store):
    page = show_path(qtbot, open_page, records_app, store)
    path = page.detail.path
    call = path.topLevelItem(0)
    label = call.text(STEP)
    assert label.startswith("customFunc()") and HANDLER_FILE in label
    indent_and_icon = path.indentation() + path.iconSize().width() + 24
    assert path.columnWidth(STEP) >= QFontMetrics(path.font()).horizontalAdvance(label) + indent_and_icon
    assert path.textElideMode() == Qt.TextElideMode.ElideMiddle and label in call.toolTip(STEP)


def test_imports_are_folded_into_one_collapsed_row(qtbot, open_page, records_app, store):
    page = show_path(qtbot, open_page, records_app, store)
    path = page.detail.path
    statement = path.topLevelItem(0).child(1)
    assert statement.isExpanded()
    rows = [statement.child(n).text(STEP) for n in range(statement.childCount())]
    assert rows == ["Imports (1 module)", "[service] services.MessageSvc.sendNotification"]
    [fold] = path.import_folds()
    assert fold is statement.child(0) and not fold.isExpanded()
    assert fold.child(0).text(STEP) == "[import] services/MessageSvc/__init__.py"
    assert path.visualItemRect(fold.child(0)).isEmpty() and not path.visualItemRect(statement.child(1)).isEmpty()
    fold.setExpanded(True)  # on demand
    assert not path.visualItemRect(fold.child(0)).isEmpty()


# -- the records page's width --------------------------------------------------------------------------------

def test_the_records_page_fits_beside_the_tree_in_a_1024_wide_window(qtbot, open_page, records_app, store):
    page = show_path(qtbot, open_page, records_app, store)
    page.filter_bar.set_range(datetime(2026, 3, 4, 12, 0, 0), datetime(2026, 3, 4, 12, 34, 56))
    assert page.filter_bar.until.isVisibleTo(page)
    assert page.minimumSizeHint().width() <= 700


# -- the Test run panel --------------------------------------------------------------------------------------

def test_the_test_run_panel_closes_and_comes_back_with_the_next_test_run(qtbot, window):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.test_button)
    panel = page.test_panel
    assert panel.isVisible()
    click(qtbot, panel.close_button)
    assert not panel.isVisible()
    click(qtbot, page.test_button)
    assert panel.isVisible()
    panel.result.setFocus()
    qtbot.keyClick(panel.result, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    click(qtbot, page.test_button)
    assert panel.isVisible()


def spinning_event(shop: Path, window):
    create_event(shop, "Spin", "model", sender="models.Order", operate="AddAfter")
    (shop / "events/Spin/inner.py").write_text("def customFunc(eventOutData):\n    while True:\n        pass\n")
    window.session.load_now()
    return window.open_element("events.Spin")


def running_records(shop: Path, event: str) -> list:
    with RecordStore(app_dir=shop) as store:
        return [r for r in store.page(event=event).records if r.status == "running"]


@needs_runtime
def test_a_stopped_test_run_is_closed_as_failed_at_once(qtbot, window, shop):
    page = spinning_event(shop, window)
    click(qtbot, page.test_button)
    panel = page.test_panel
    click(qtbot, panel.run_button)
    qtbot.waitUntil(lambda: bool(running_records(shop, "events.Spin")), timeout=WAIT_MS)
    [running] = running_records(shop, "events.Spin")
    with qtbot.waitSignal(panel.runner.sig_finished, timeout=WAIT_MS):
        click(qtbot, panel.stop_button)
    qtbot.waitUntil(lambda: not running_records(shop, "events.Spin"), timeout=WAIT_MS)
    with RecordStore(app_dir=shop) as store:
        record = store.get(running.id)
    assert record.status == "fail" and record.error.startswith("Stopped:")
    assert record.duration_ms is not None
    qtbot.waitUntil(lambda: f'href="record:{running.id}"' in panel.status.text(), timeout=WAIT_MS)
    assert "failed" in panel.status.text()
    output = window.get_feature("run").output.text.toPlainText()
    assert f"left running (#{running.id}) closed as failed" in output


@needs_runtime
def test_the_record_number_of_a_test_run_opens_that_record(qtbot, window, shop):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.test_button)
    panel = page.test_panel
    panel.set_payload({"model": "models.Order", "optType": "AddBefore", "prevData": {}, "postData": {"amount": 5}})
    with qtbot.waitSignal(panel.sig_result, timeout=30_000) as got:
        click(qtbot, panel.run_button)
    record_id = got.args[0]["recordId"]
    assert f'<a href="record:{record_id}">record {record_id}</a>' in panel.status.text()
    panel.status.linkActivated.emit(f"record:{record_id}")
    records = window.tabs.currentWidget()
    try:
        assert isinstance(records, QtRecordsPage) and records.event_name == "events.FillOrderNo"
        qtbot.waitUntil(lambda: records.detail.record_id() == record_id and records.current_id() == record_id,
                        timeout=WAIT_MS)
    finally:
        window.tabs.close_page(records)
