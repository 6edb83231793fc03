"""The Data tab's runtime process over its life: it runs the handlers as they are on disk after an edit, a
killed one is reported and replaced, typed editors write typed values, and it works on PostgreSQL."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtWidgets import QDateTimeEdit

from tests.runtime._runtime_support import pg_schema_url, pg_unavailable

WAIT_MS = 30_000


def data_tab(qtbot, window, model: str):
    from jitstudio.qt.data.tab import QtDataTab

    page = window.open_element(model)
    tab = page.findChild(QtDataTab)
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.rows is not None and not tab.rows.is_loading(), timeout=WAIT_MS)
    return tab


def column(tab, name: str) -> int:
    return next(n for n, f in enumerate(tab.rows.fields) if f["name"] == name)


def add(qtbot, tab, values: dict) -> dict:
    tab.create_row(values)
    qtbot.waitUntil(lambda: "Added a row" in tab.strip.title.text(), timeout=WAIT_MS)
    return tab.rows.rows[0]


def test_after_a_handler_is_edited_the_next_write_runs_the_new_code(qtbot, window):
    products = data_tab(qtbot, window, "models.Product")
    row = add(qtbot, products, {"name": "Lamp", "sku": "L-1", "stock": 3})
    stock = column(products, "stock")
    products.rows.setData(products.rows.index(0, stock), -1)
    qtbot.waitUntil(lambda: "Not enough stock" in products.message.text(), timeout=WAIT_MS)
    old_pid = products.client.process.processId()

    inner = window.project.root / "events" / "StockGuard" / "inner.py"
    inner.write_text("def customFunc(eventOutData):\n    if (eventOutData.postData.stock.value or 0) < 0:\n"
                     "        raise ValueError('Stock is counted in the warehouse, not here')\n", encoding="utf-8")
    window.reload_now()
    qtbot.waitUntil(lambda: products.client.process is not None and products.client.is_ready()
                    and products.client.process.processId() != old_pid, timeout=WAIT_MS)
    products.rows.setData(products.rows.index(0, stock), -2)
    qtbot.waitUntil(lambda: "counted in the warehouse" in products.message.text(), timeout=WAIT_MS)
    assert products.rows.rows[0]["stock"] == row["stock"] == 3


def test_a_killed_session_is_reported_and_the_next_request_starts_a_new_one(qtbot, window):
    orders = data_tab(qtbot, window, "models.Order")
    add(qtbot, orders, {"customerId": 1, "amount": 5})
    orders.client.process.kill()
    qtbot.waitUntil(lambda: "data session ended" in orders.message.text(), timeout=WAIT_MS)
    orders.reload()
    qtbot.waitUntil(lambda: orders.client.is_ready() and len(orders.rows.rows) == 1, timeout=WAIT_MS)
    assert orders.rows.rows[0]["customerId"] == 1


def test_a_date_time_cell_is_edited_with_a_picker_and_stored_as_that_moment(qtbot, window):
    orders = data_tab(qtbot, window, "models.Order")
    add(qtbot, orders, {"customerId": 2, "amount": 9.5})
    index = orders.rows.index(0, column(orders, "paidAt"))
    orders.table.setCurrentIndex(index)
    orders.table.edit(index)
    editor = orders.table.findChild(QDateTimeEdit, "cellDatetime")
    editor.setDateTime(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7)))
    orders.table.commitData(editor)
    qtbot.waitUntil(lambda: orders.rows.rows[0]["paidAt"] == "2026-03-04T05:06:07", timeout=WAIT_MS)
    assert orders.rows.data(index, Qt.ItemDataRole.DisplayRole) == "2026-03-04 05:06:07"


@pytest.mark.postgres
def test_the_data_tab_reads_and_writes_the_apps_postgresql_database(qtbot, window, monkeypatch):
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    monkeypatch.setenv("JITSTUDIO_DB_URL", pg_schema_url())
    orders = data_tab(qtbot, window, "models.Order")
    for customer in (4, 5, 6):
        orders.create_row({"customerId": customer, "amount": customer * 1.5, "status": "paid"})
    qtbot.waitUntil(lambda: len(orders.rows.rows) == 3 and "Added a row" in orders.strip.title.text(), timeout=WAIT_MS)
    orders.filter_edit.setText("Q(Q('customerId', '>', 4))")
    orders.apply_filter()
    qtbot.waitUntil(lambda: orders.count_label.text() == "2 rows", timeout=WAIT_MS)
    assert sorted(r["customerId"] for r in orders.rows.rows) == [5, 6]
    assert all(r["orderNo"] for r in orders.rows.rows)  # the Before handler ran in the PostgreSQL write


def test_closing_the_page_while_its_rows_are_on_the_way_is_quiet(qtbot, window):
    orders = data_tab(qtbot, window, "models.Order")
    add(qtbot, orders, {"customerId": 3, "amount": 1})
    client = orders.client
    orders.reload()  # a page and a count on the way
    orders.rows.update_row(orders.rows.rows[0]["id"] if orders.rows.rows else 1, {"amount": 2})
    window.tabs.close_all()
    qtbot.waitUntil(lambda: not client._answers, timeout=WAIT_MS)  # answered into closed widgets: no error
    again = data_tab(qtbot, window, "models.Order")
    assert again.rows.rows[0]["customerId"] == 3


def test_an_answer_that_fails_in_the_ide_does_not_lose_the_others_of_its_chunk(qtbot, window):
    from jitstudio.qt.data.client import QtDataClient

    client = QtDataClient(window.project.root)
    got = []

    def broken(_answer):
        raise ValueError("a bug in one answer's handler")
    lines = b'{"id": 1, "ok": true}\n{"id": 2, "ok": true, "rows": []}\n'
    client._answers.update({1: broken, 2: got.append})

    class Chunk:
        def readAllStandardOutput(self):
            return lines
    client.process = chunk = Chunk()
    client.sender = lambda: chunk
    with pytest.raises(ValueError):
        client._read()
    assert got == [{"id": 2, "ok": True, "rows": []}]


def test_the_strip_nests_executions_under_the_one_that_started_them_and_opens_a_record(qtbot):
    from jitstudio.qt.data.fired_strip import QtFiredStrip

    strip = QtFiredStrip()
    qtbot.addWidget(strip)
    records = [
        {"id": 12, "event": "events.Child", "status": "fail", "parentId": 11, "isAsync": False, "durationMs": 2.5,
         "startedUs": 2, "error": "ValueError: no"},
        {"id": 11, "event": "events.Parent", "status": "success", "parentId": None, "isAsync": False, "durationMs": 1500.0,
         "startedUs": 1, "error": None},
        {"id": 13, "event": "events.Later", "status": "running", "parentId": None, "isAsync": True, "durationMs": None,
         "startedUs": 3, "error": None},
    ]
    strip.show_write("Edited row 4", "req-1", records, settled=False)
    assert strip.title.text() == "Edited row 4: fired 3 executions — waiting for async executions…"
    parent, later = strip.tree.topLevelItem(0), strip.tree.topLevelItem(1)
    assert [parent.text(c) for c in range(4)] == ["events.Parent  #11", "success", "sync", "1.50 s"]
    assert parent.child(0).text(0) == "events.Child  #12" and parent.child(0).text(4) == "ValueError: no"
    assert later.text(2) == "async" and later.text(3) == ""
    strip.update_request("another request", [], True)
    assert strip.tree.topLevelItemCount() == 2  # news of another write changes nothing
    strip.update_request("req-1", records[:2], True)
    assert strip.title.text() == "Edited row 4: fired 2 executions"
    with qtbot.waitSignal(strip.sig_open_record) as opened:
        strip.tree.itemClicked.emit(strip.tree.topLevelItem(0).child(0), 0)
    assert opened.args == ["events.Child", 12]
