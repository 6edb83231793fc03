"""A failed execution shows at a glance: a count in the status bar and a badge on the event in the tree."""
from PySide6.QtCore import QModelIndex

from jitstudio.qt.tree.element_tree import FULL_NAME_ROLE
from jitstudio.runtime.records import RecordStore


def _fail(shop, event: str) -> None:
    with RecordStore(app_dir=shop) as store:
        record = store.begin(event=event, event_type="events.ModelType", sender="models.Product", operate="UpdateBefore")
        store.finish(record, status="fail", error="stock cannot go below zero")


def _tree_text(window, full_name: str) -> str:
    tree = window.tree
    for index in tree._walk_source(QModelIndex()):
        if index.data(FULL_NAME_ROLE) == full_name:
            return index.data()
    raise AssertionError(f"{full_name} is not in the tree")


def test_failures_badge_the_event_and_count_in_the_status_bar(qtbot, window, shop):
    failures = window.get_feature("records").failures
    assert not failures.button.isVisible()
    _fail(shop, "events.StockGuard")
    _fail(shop, "events.StockGuard")
    failures.watcher.check()
    qtbot.waitUntil(lambda: failures.button.isVisible(), timeout=10_000)
    assert failures.button.text() == "⚠ 2 failed (24 h)"
    assert _tree_text(window, "events.StockGuard").endswith("⚠ 2")
    assert _tree_text(window, "events.FillOrderNo") == "FillOrderNo"


def test_clicking_the_count_opens_the_failures(qtbot, window, shop):
    failures = window.get_feature("records").failures
    _fail(shop, "events.StockGuard")
    failures.watcher.check()
    qtbot.waitUntil(lambda: failures.button.isVisible(), timeout=10_000)
    failures.button.click()
    page = window.tabs.currentWidget()
    assert page.filter_bar.filters().status == "fail"


def test_view_menu_opens_records_of_all_events(qtbot, window):
    window.actions_by_name["all_records"].trigger()
    page = window.tabs.currentWidget()
    assert page.filter_bar.filters().event is None
