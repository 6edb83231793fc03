"""The records page opens in turns of the event loop, so that none of them holds the GUI thread long: its
frame and table first, then the chart's view, then the detail's widgets; each of those is made at once
instead when it has something to show first, and a custom time range's edits are made on first use."""
from pathlib import Path

import pytest

from jitstudio.qt.records import QtRecordsPage
from jitstudio.qt.records.sample import synthetic_records
from jitstudio.runtime.records import RecordStore
from jitstudio.runtime.records.schema import now_us

WAIT_MS = 20_000
TOTAL = 2_000


@pytest.fixture(scope="module")
def records_app(tmp_path_factory) -> Path:
    app = tmp_path_factory.mktemp("records2k")
    (app / "app.json").write_text('{"name": "few", "title": "Few"}')
    with RecordStore(app_dir=app) as store:
        store.insert_many(synthetic_records(TOTAL, newest_us=now_us(), spacing_us=1_000_000))
    return app


@pytest.fixture
def hidden_page(qtbot, records_app):
    page = QtRecordsPage(records_app)
    qtbot.addWidget(page)
    yield page
    page.shutdown()


def test_the_chart_view_and_the_detail_widgets_come_after_the_first_paint(qtbot, open_page, records_app):
    page = open_page(records_app)
    assert page.chart.chart is None and page.detail.body is None and page.filter_bar.since is None
    qtbot.waitUntil(lambda: page.chart.chart is not None and page.detail.has_json_views, timeout=WAIT_MS)
    assert page.detail.record_id() is None and page.detail.stack.currentWidget() is page.detail.placeholder
    qtbot.waitUntil(lambda: page.count == TOTAL and not page.pending("chart"), timeout=WAIT_MS)
    assert sum(page.chart.totals().values()) == TOTAL and len(page.chart.chart.series()) == 1


def test_chart_data_that_comes_first_makes_the_view(qtbot, hidden_page):
    qtbot.waitUntil(lambda: hidden_page.chart.data is not None and bool(hidden_page.chart.data.buckets), timeout=WAIT_MS)
    assert hidden_page.chart.chart is not None and sum(hidden_page.chart.totals().values()) == TOTAL
    assert hidden_page.chart.p50.text() not in ("", "–")


def test_a_record_shown_first_makes_the_detail_widgets(qtbot, hidden_page):
    qtbot.waitUntil(lambda: hidden_page.model.rowCount() > 0, timeout=WAIT_MS)
    assert hidden_page.detail.body is None
    record_id = hidden_page.model.record_id(0)
    hidden_page.show_record(record_id)
    qtbot.waitUntil(lambda: hidden_page.detail.record_id() == record_id, timeout=WAIT_MS)
    assert hidden_page.detail.has_json_views and hidden_page.detail.input.toPlainText().strip()
    assert hidden_page.detail.stack.currentWidget() is hidden_page.detail.body


def test_a_custom_range_makes_its_edits_on_first_use(qtbot, hidden_page):
    bar = hidden_page.filter_bar
    changes = []
    bar.sig_changed.connect(changes.append)
    bar.set_period("custom")
    assert bar.since is not None and bar.until is not None
    assert all(widget.isVisibleTo(bar) for widget in bar.range_widgets)
    filters = changes[-1]
    assert filters.since is not None and filters.until is None  # up to now: new executions keep appearing
    bar.set_period("all")
    assert not any(widget.isVisibleTo(bar) for widget in bar.range_widgets)
    assert changes[-1].since is None
