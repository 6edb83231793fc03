"""The record browser while the runtime writes: new and finished records appear by themselves without losing
the selection or the scroll position; delete and prune ask first; a failure is re-run in the runtime process
and the new record is linked to the old one."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jitstudio.qt.records import QtRecordsPage
from jitstudio.qt.records.sample import synthetic_records
from jitstudio.runtime.records.schema import now_us
from jitstudio.runtime.records import RecordStore

SMALL = 3_000
WAIT_MS = 20_000


def _cli_has_rerun_of() -> bool:
    help_text = subprocess.run([sys.executable, "-m", "jitstudio", "event", "test", "--help"],
                               capture_output=True, text=True).stdout
    return "--rerun-of" in help_text


@pytest.fixture
def small_app(tmp_path) -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.json").write_text('{"name": "small", "title": "Small"}')
    with RecordStore(app_dir=app) as store:
        store.insert_many(synthetic_records(SMALL, newest_us=now_us() - 60_000_000, spacing_us=1_000_000,
                                            running_newest=0, detail=False))
    return app


@pytest.fixture
def store(small_app):
    store = RecordStore(app_dir=small_app)
    yield store
    store.close()


def wait_loaded(qtbot, page, count=None):
    qtbot.waitUntil(lambda: page.count is not None and not page.model.is_fetching()
                    and (count is None or page.count == count), timeout=WAIT_MS)


def new_rows(count: int, *, status="success", event="events.StockGuard"):
    now = now_us()
    for n in range(count):
        started = now - (count - n) * 1000
        yield {"event": event, "event_type": "events.ModelType", "sender": "models.Product", "operate": "UpdateBefore",
               "status": status, "started_at": started, "ended_at": started + 500, "duration_ms": 0.5,
               "input": "{}", "output": None, "error": "ValueError: live failure" if status == "fail" else None,
               "traceback": None, "steps": None, "parent_id": None, "root_id": None, "attempt": 1,
               "is_async": False, "rerun_of": None, "chain": f'["{event}"]', "request_id": None}


def top_visible_id(page) -> int:
    return page.model.record_id(page.table.rowAt(0))


def test_new_records_appear_keeping_selection_and_scroll(qtbot, open_page, small_app, store):
    page = open_page(small_app, live_interval_ms=100)
    wait_loaded(qtbot, page, SMALL)
    bar = page.table.verticalScrollBar()
    bar.setValue(120)
    page.select_row(130)
    qtbot.waitUntil(lambda: page.detail.record_id() == page.model.record_id(130), timeout=WAIT_MS)
    selected, top = page.current_id(), top_visible_id(page)
    with qtbot.waitSignal(page.sig_failures_changed, timeout=WAIT_MS) as failures:
        store.insert_many(new_rows(7, status="fail"))
        qtbot.waitUntil(lambda: page.count == SMALL + 7, timeout=WAIT_MS)
    assert failures.args[0]["events.StockGuard"] >= 7
    assert page.model.rowCount() >= 7 + 500
    assert page.model.index(0, 2).data() == "Failed"
    assert page.current_id() == selected
    assert [page.model.record_id(r.row()) for r in page.table.selectionModel().selectedRows()] == [selected]
    assert top_visible_id(page) == top
    assert page.detail.record_id() == selected


def test_at_the_top_new_records_show_up_first(qtbot, open_page, small_app, store):
    page = open_page(small_app, live_interval_ms=100)
    wait_loaded(qtbot, page, SMALL)
    store.insert_many(new_rows(3))
    qtbot.waitUntil(lambda: page.count == SMALL + 3, timeout=WAIT_MS)
    assert page.table.verticalScrollBar().value() == 0
    newest = store.page(limit=3, full=False).records
    assert [page.model.record_id(r) for r in range(3)] == [r.id for r in newest]


def test_a_running_record_turns_finished(qtbot, open_page, small_app, store):
    page = open_page(small_app, live_interval_ms=100)
    wait_loaded(qtbot, page, SMALL)
    record_id = store.begin(event="events.StockGuard", sender="models.Product", operate="UpdateBefore", input={"a": 1})
    store.flush()
    qtbot.waitUntil(lambda: page.model.rowCount() and page.model.record_id(0) == record_id, timeout=WAIT_MS)
    assert page.model.index(0, 2).data() == "Running"
    assert page.model.index(0, 4).data() == "running…"
    store.finish(record_id, status="fail", error="KeyError: 'sku'", duration_ms=12.5)
    store.flush()
    qtbot.waitUntil(lambda: page.model.index(0, 2).data() == "Failed", timeout=WAIT_MS)
    assert page.model.index(0, 4).data() == "12.5 ms"
    assert page.model.index(0, 5).data() == "KeyError: 'sku'"


def test_live_can_be_switched_off(qtbot, open_page, small_app, store):
    page = open_page(small_app, live_interval_ms=50)
    wait_loaded(qtbot, page, SMALL)
    page.live_box.setChecked(False)
    store.insert_many(new_rows(2))
    qtbot.wait(400)
    assert page.count == SMALL and not page.live_timer.isActive()
    page.refresh_button.click()
    wait_loaded(qtbot, page, SMALL + 2)


def test_delete_asks_first(qtbot, open_page, small_app, store):
    page = open_page(small_app)
    wait_loaded(qtbot, page, SMALL)
    page.select_row(2)
    page.table.selectionModel().select(page.model.index(4, 0), page.table.selectionModel().SelectionFlag.Select
                                       | page.table.selectionModel().SelectionFlag.Rows)
    ids = sorted(page.selected_ids())
    assert len(ids) == 2
    questions = []
    page.confirm = lambda parent, title, text: questions.append(text) or False
    page.delete_action.trigger()
    assert questions == ["Delete 2 execution records? This cannot be undone."]
    qtbot.wait(200)
    assert store.count() == SMALL
    page.confirm = lambda *a: True
    page.delete_action.trigger()
    qtbot.waitUntil(lambda: page.count == SMALL - 2, timeout=WAIT_MS)
    assert all(page.model.rows.row_of(i) == -1 for i in ids)
    assert len(store.get_many(ids)) == 0


def test_prune_keeps_the_newest(qtbot, open_page, small_app, store):
    page = open_page(small_app)
    wait_loaded(qtbot, page, SMALL)
    newest = [r.id for r in store.page(limit=100, full=False).records]
    page.confirm = lambda *a: False
    page.prune(None, 100)
    qtbot.wait(200)
    assert store.count() == SMALL
    page.confirm = lambda *a: True
    page.prune(None, 100)
    wait_loaded(qtbot, page, 100)
    assert [page.model.record_id(r) for r in range(page.model.rowCount())] == newest


@pytest.mark.skipif(not _cli_has_rerun_of(), reason="needs `jitstudio event test --rerun-of` from the runtime")
def test_rerun_a_failure_in_the_runtime(qtbot, open_page, shop):
    payload = {"prevData": {"stock": 3, "name": "Mug", "sku": "M1"}, "postData": {"stock": -2, "name": "Mug", "sku": "M1"}}
    run = subprocess.run([sys.executable, "-m", "jitstudio", "event", "test", str(shop), "events.StockGuard",
                          "--payload", json.dumps(payload)], capture_output=True, text=True, timeout=120)
    failed_id = json.loads(run.stdout)["recordId"]
    page = open_page(shop, "events.StockGuard", live_interval_ms=200)
    wait_loaded(qtbot, page, 1)
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.select_row(0)
    assert page.rerun_action.isEnabled()
    with qtbot.waitSignal(page.sig_rerun_finished, timeout=120_000) as finished:
        assert page.rerun_current()
    old_id, new_id, message = finished.args
    assert old_id == failed_id and new_id is not None and f"#{new_id}" in message
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and page.detail.record_id() == new_id, timeout=WAIT_MS)
    assert page.current_id() == new_id
    record = page.detail.detail.record
    with RecordStore(app_dir=shop) as oracle:
        assert record.input == oracle.get(failed_id).input
    assert record.rerun_of == failed_id and record.status == "fail"
    assert f'record:{failed_id}"' in page.detail.links.text()
    with qtbot.waitSignal(page.sig_detail_shown, timeout=WAIT_MS):
        page.detail.links.linkActivated.emit(f"record:{failed_id}")
    assert f'record:{new_id}"' in page.detail.links.text()


def test_failure_watcher_follows_new_failures(qtbot, small_app, store):
    from jitstudio.qt.records.watcher import QtFailureWatcher

    watcher = QtFailureWatcher(small_app, interval_ms=50)
    try:
        with qtbot.waitSignal(watcher.sig_failures_changed, timeout=WAIT_MS) as first:
            watcher.start()
        before = first.args[0].get("events.CustomerAudit", 0)
        with qtbot.waitSignal(watcher.sig_total_changed, timeout=WAIT_MS) as total:
            store.insert_many(new_rows(4, status="fail", event="events.CustomerAudit"))
        assert watcher.failures["events.CustomerAudit"] == before + 4
        assert total.args[0] == sum(watcher.failures.values())
    finally:
        watcher.stop()


def test_the_main_window_opens_the_page_for_an_event(qtbot, window, shop):
    page = window.get_feature("records").open_records("events.StockGuard")
    try:
        assert isinstance(page, QtRecordsPage) and window.tabs.currentWidget() is page
        assert page.filter_bar.event_name() == "events.StockGuard" and page.app_dir == shop.resolve()
        assert window.get_feature("records").open_records("events.StockGuard") is page
        with qtbot.waitSignal(page.sig_status, timeout=2000):
            page.show_status("hello")
        wait_loaded(qtbot, page, 0)
    finally:
        window.tabs.close_page(page)
