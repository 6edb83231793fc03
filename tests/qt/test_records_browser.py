"""The record browser on 100,000 generated records: every filter against the store's own answer, paging to
the very end, the detail of a failure with its links and code jumps, export with cancel, the chart, and that
the GUI thread never reads the store itself."""
import csv
import json
import threading
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jitstudio.qt.records._model import RECORD_ID_ROLE, STATUS_ROLE
from jitstudio.qt.records.sample import synthetic_records
from jitstudio.runtime.records.schema import now_us
from jitstudio.runtime.records import Filters, RecordStore

TOTAL = 100_000
SPACING_US = 20_000_000
WAIT_MS = 20_000


@pytest.fixture(scope="session")
def big_app(tmp_path_factory) -> Path:
    app = tmp_path_factory.mktemp("records100k")
    (app / "app.json").write_text('{"name": "bulk", "title": "Bulk"}')
    for event in ("OrderPaidNotify", "StockGuard"):
        (app / "events" / event).mkdir(parents=True)
        (app / "events" / event / "e.json").write_text("{}")
    with RecordStore(app_dir=app) as store:
        store.insert_many(synthetic_records(TOTAL, newest_us=now_us(), spacing_us=SPACING_US))
    return app


@pytest.fixture(scope="session")
def oracle(big_app):
    store = RecordStore(app_dir=big_app)
    yield store
    store.close()


def wait_loaded(qtbot, page, count=None):
    qtbot.waitUntil(lambda: page.count is not None and not page.model.is_fetching(), timeout=WAIT_MS)
    if count is not None:
        assert page.count == count


def loaded(page, role=RECORD_ID_ROLE):
    model = page.model
    return [model.index(row, 0).data(role) for row in range(model.rowCount())]


def expected_count(oracle, filters: Filters) -> int:
    return oracle.count(**asdict(filters))


def test_opens_on_the_newest_page_with_the_total(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    wait_loaded(qtbot, page, TOTAL)
    first = oracle.page(limit=page.model.page_size, full=False).records
    assert loaded(page) == [r.id for r in first]
    assert page.count_label.text() == f"{TOTAL:,} executions"
    assert page.model.index(0, 2).data(STATUS_ROLE) == "running"


@pytest.mark.parametrize("status", ["success", "fail", "running"])
def test_filter_by_status(qtbot, open_page, big_app, oracle, status):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    page.filter_bar.set_status(status)
    wait_loaded(qtbot, page, oracle.count(status=status))
    statuses = set(loaded(page, STATUS_ROLE))
    assert statuses == {status}


@pytest.mark.parametrize("preset,span", [("hour", timedelta(hours=1)), ("week", timedelta(days=7)), ("today", None)])
def test_filter_by_time_preset(qtbot, open_page, big_app, oracle, preset, span):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    page.filter_bar.set_period(preset)
    wait_loaded(qtbot, page)
    filters = page.model.filters
    assert page.count == expected_count(oracle, filters)
    now = datetime.now()
    since = filters.since
    if span is not None:
        assert abs((now - span - since).total_seconds()) < 60
    else:
        assert since == now.replace(hour=0, minute=0, second=0, microsecond=0)
    first_us = min(page.model.rows.started) if len(page.model.rows) else None
    assert first_us is None or first_us >= since.timestamp() * 1e6


def test_filter_by_custom_range(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    until = datetime.now().replace(second=0, microsecond=0) - timedelta(days=2)
    since = until - timedelta(hours=5)
    page.filter_bar.set_range(since, until)
    wait_loaded(qtbot, page, oracle.count(since=since, until=until))
    assert page.count == 5 * 3600 // 20
    rows = page.model.rows
    assert all(since.timestamp() * 1e6 <= started < until.timestamp() * 1e6 for started in rows.started)


def test_filter_by_event_offers_the_apps_events(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    combo = page.filter_bar.event_box
    qtbot.waitUntil(lambda: combo.findData("events.StockGuard") >= 0, timeout=WAIT_MS)
    combo.setCurrentIndex(combo.findData("events.StockGuard"))
    combo.activated.emit(combo.currentIndex())
    wait_loaded(qtbot, page, oracle.count(event="events.StockGuard"))
    assert {page.model.rows.event(r) for r in range(page.model.rowCount())} == {"events.StockGuard"}


def test_opened_for_one_event(qtbot, open_page, big_app, oracle):
    page = open_page(big_app, "events.OrderPaidNotify")
    wait_loaded(qtbot, page, oracle.count(event="events.OrderPaidNotify"))
    assert page.title() == "Records: OrderPaidNotify"
    assert page.filter_bar.event_name() == "events.OrderPaidNotify"


def test_filter_by_text_in_the_error(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    qtbot.keyClicks(page.filter_bar.text_edit, "STOCK")
    qtbot.waitUntil(lambda: page.model.filters.text == "STOCK", timeout=WAIT_MS)
    wait_loaded(qtbot, page, oracle.count(text="stock"))
    errors = [page.model.index(r, 5).data() for r in range(page.model.rowCount())]
    assert errors and all("stock" in e.lower() for e in errors)


def test_a_new_filter_cancels_the_running_count(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    page.filter_bar.set_text("gateway")
    first = page._tickets["count"]
    page.filter_bar.set_status("fail")
    assert first.cancel.is_set()
    wait_loaded(qtbot, page, oracle.count(text="gateway", status="fail"))


def test_scrolls_to_the_very_end(qtbot, open_page, big_app):
    page = open_page(big_app, page_size=1000)
    wait_loaded(qtbot, page, TOTAL)
    bar = page.table.verticalScrollBar()
    while page.model.has_more():
        rows = page.model.rowCount()
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: page.model.rowCount() > rows, timeout=WAIT_MS)
    assert page.model.rowCount() == TOTAL
    keys = list(zip(page.model.rows.started, page.model.rows.ids))
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == TOTAL
    assert page.model.rows.ids[-1] == 1
    assert not page.model.canFetchMore()


def test_the_gui_thread_never_reads_the_store(qtbot, open_page, big_app, monkeypatch):
    on_gui_thread = []
    main = threading.main_thread()
    for name in ("__init__", "page", "count", "get", "children", "reruns", "histogram", "duration_percentiles",
                 "latest_started_us", "failures_by_event", "get_many"):
        original = getattr(RecordStore, name)

        def spy(self, *a, _original=original, _name=name, **kw):
            if threading.current_thread() is main:
                on_gui_thread.append(_name)
            return _original(self, *a, **kw)
        monkeypatch.setattr(RecordStore, name, spy)
    page = open_page(big_app, live_interval_ms=50)
    wait_loaded(qtbot, page, TOTAL)
    page.filter_bar.set_status("fail")
    wait_loaded(qtbot, page)
    page.table.verticalScrollBar().setValue(page.table.verticalScrollBar().maximum())
    page.select_row(3)
    qtbot.waitUntil(lambda: page.detail.record_id() == page.model.record_id(3), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not page.backend.busy(), timeout=WAIT_MS)
    assert on_gui_thread == []


def _open_failure(qtbot, page) -> int:
    page.filter_bar.set_status("fail")
    wait_loaded(qtbot, page)
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.select_row(0)
    return page.model.record_id(0)


def test_detail_of_a_failure_and_jump_to_its_code(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    record_id = _open_failure(qtbot, page)
    record = oracle.get(record_id)
    detail = page.detail
    assert detail.error.isVisible() and detail.error.text() == record.error
    assert "Failed" in detail.title.text() and f"#{record_id}" in detail.title.text()
    assert json.loads(detail.input.toPlainText()) == record.input
    failing = detail.path.currentItem()
    assert failing is not None and failing.text(3) == record.error
    assert failing.text(0).startswith("10: raise ValueError(")
    detail.tabs.setCurrentWidget(detail.frames)
    frame_item = detail.in_app_frame_items()[0]
    rect = detail.frames.visualItemRect(frame_item)
    app_file = record.traceback[-1]["file"]
    with qtbot.waitSignal(page.sig_open_file, timeout=2000) as opened:
        qtbot.mouseClick(detail.frames.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [str(big_app / app_file), 10]
    outside = detail.frames.topLevelItem(0)
    with qtbot.assertNotEmitted(page.sig_open_file):
        detail.frames.itemClicked.emit(outside, 0)
    detail.tabs.setCurrentWidget(detail.path)
    with qtbot.waitSignal(page.sig_open_file, timeout=2000) as opened:
        detail.path.itemDoubleClicked.emit(failing, 0)
    assert opened.args == [str(big_app / app_file), 10]


def test_parent_child_and_rerun_links_go_both_ways(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    child = next(r for r in oracle.page(limit=50, full=False).records if r.parent_id is not None)
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.show_record(child.id)
    assert page.current_id() == child.id
    assert f'href="record:{child.parent_id}"' in page.detail.links.text()
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.detail.links.linkActivated.emit(f"record:{child.parent_id}")
    assert page.detail.record_id() == child.parent_id
    assert f'href="record:{child.id}"' in page.detail.links.text()
    rerun = next(r for r in oracle.page(limit=50, full=False).records if r.rerun_of is not None)
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.show_record(rerun.id)
    assert "Re-run of" in page.detail.links.text()
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.detail.links.linkActivated.emit(f"record:{rerun.rerun_of}")
    assert "Re-run as" in page.detail.links.text() and f'record:{rerun.id}"' in page.detail.links.text()


def test_copy_as_json(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    record_id = _open_failure(qtbot, page)
    page.copy_action.trigger()
    assert json.loads(QApplication.clipboard().text()) == json.loads(json.dumps(oracle.get(record_id).to_json()))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_the_filtered_set(qtbot, open_page, big_app, oracle, tmp_path, fmt):
    page = open_page(big_app)
    page.filter_bar.set_text("gateway")
    wait_loaded(qtbot, page)
    target = tmp_path / f"out.{fmt}"
    progress = []
    page.export_bar.bar.valueChanged.connect(progress.append)
    with qtbot.waitSignal(page.sig_export_finished, timeout=WAIT_MS) as done:
        page.export_to(target, fmt)
    result = done.args[0]
    expected = oracle.count(text="gateway")
    assert not result.cancelled and result.written == expected and progress[-1] == expected
    if fmt == "csv":
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert all("gateway" in row["error"] for row in rows)
    else:
        rows = json.loads(target.read_text(encoding="utf-8"))
        assert all("gateway" in row["error"] for row in rows) and "steps" in rows[0]
    assert len(rows) == expected
    assert not page.export_bar.isVisible()


def test_export_can_be_cancelled(qtbot, open_page, big_app, tmp_path):
    page = open_page(big_app)
    wait_loaded(qtbot, page)
    target = tmp_path / "all.json"
    page.export_bar.bar.valueChanged.connect(lambda value: value > 0 and page.export_bar.cancel.click())
    with qtbot.waitSignal(page.sig_export_finished, timeout=WAIT_MS) as done:
        page.export_to(target, "json")
    result = done.args[0]
    assert result.cancelled and 0 < result.written < TOTAL
    assert list(tmp_path.iterdir()) == []
    assert page.status_label.text().startswith("Export cancelled")


def test_chart_counts_by_status_and_percentiles(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    page.filter_bar.set_event("events.StockGuard")
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: not page.pending("chart") and sum(page.chart.totals().values()) == page.count,
                    timeout=WAIT_MS)
    totals = page.chart.totals()
    assert totals["fail"] == oracle.count(event="events.StockGuard", status="fail")
    assert totals["running"] == oracle.count(event="events.StockGuard", status="running")
    pct = oracle.duration_percentiles(Filters(event="events.StockGuard"))
    assert page.chart.p50.text().replace(" ", "") and page.chart.data.percentiles == pct
    series = page.chart.chart.series()[0]
    assert [s.label() for s in series.barSets()] == ["Success", "Failed", "Running"]


def test_failures_are_noticeable_at_a_glance(qtbot, open_page, big_app, oracle):
    page = open_page(big_app)
    qtbot.waitUntil(lambda: bool(page.failures), timeout=WAIT_MS)
    assert page.failures_chip.isVisible()
    total = sum(page.failures.values())
    assert page.failures_chip.text() == f"{total:,} failed in 24 h"
    assert total == oracle.count(status="fail", since=(oracle.latest_started_us() / 1e6) - 24 * 3600)
    page.failures_chip.click()
    wait_loaded(qtbot, page, oracle.count(status="fail"))


def test_cells_paint_with_their_own_roles(qtbot, open_page, big_app):
    from PySide6.QtWidgets import QStyleOptionViewItem

    page = open_page(big_app)
    page.filter_bar.set_status("fail")
    wait_loaded(qtbot, page)
    delegate, model = page.table.itemDelegate(), page.model
    options = {}
    for column in (2, 0, 5, 4, 3):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, model.index(0, column))
        options[column] = option
    assert not options[2].icon.isNull() and options[2].text == "Failed"
    assert options[0].icon.isNull() and options[3].icon.isNull()
    assert options[5].text == model.rows.errors[model.record_id(0)]
    assert options[4].displayAlignment & Qt.AlignmentFlag.AlignRight
    assert not options[0].displayAlignment & Qt.AlignmentFlag.AlignRight
