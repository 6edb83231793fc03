"""The Data tab of model pages on a 100,000-row model: paging as the table scrolls, sorting, each kind of
filter, writes through the app's runtime process with its handlers (one that fills a field, one that refuses,
an async one), what each write fired, import with a refused row, export with cancel, a Test run from a row."""
from __future__ import annotations

import csv
import json
import random
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

ORDERS = 100_000
STATUSES = ["draft", "paid", "shipped", "refunding", "refunded", "cancelled"]
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def seeded_data(tmp_path_factory) -> Path:
    """The shop app's database with 100,000 orders and three products, made once for the module."""
    from sqlalchemy import insert

    from jitstudio.runtime import Runtime

    app = shutil.copytree(Path(__file__).resolve().parents[2] / "jitstudio" / "examples" / "shop", tmp_path_factory.mktemp("seed") / "shop",
                          ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
    rt = Runtime(app, async_worker=False)
    try:
        rnd = random.Random(15)
        start = datetime(2026, 1, 1)
        rows = [{"orderNo": f"SO{i:08d}", "customerId": rnd.randint(1, 500), "status": STATUSES[i % 6],
                 "amount": round(rnd.uniform(1, 999), 2), "note": None if i % 5 else f"note {i}",
                 "createdAt": start + timedelta(minutes=i), "updatedAt": start + timedelta(minutes=i)}
                for i in range(1, ORDERS + 1)]
        with rt.engine.begin() as conn:
            conn.execute(insert(rt.model_tables["models.Order"].table), rows)
            conn.execute(insert(rt.model_tables["models.Product"].table),
                         [{"name": f"Product {i}", "sku": f"SKU-{i}", "price": 10 * i, "stock": 5 * i, "active": True}
                          for i in (1, 2, 3)])
    finally:
        rt.close()
    return app / ".jitstudio" / "data.db"


@pytest.fixture
def shop(shop, seeded_data):
    (shop / ".jitstudio").mkdir(exist_ok=True)
    shutil.copy(seeded_data, shop / ".jitstudio" / "data.db")
    return shop


def sql(shop: Path, query: str) -> list[tuple]:
    with sqlite3.connect(shop / ".jitstudio" / "data.db") as conn:
        return conn.execute(query).fetchall()


def data_tab(qtbot, window, model: str):
    from jitstudio.qt.data.tab import QtDataTab

    page = window.open_element(model)
    tab = page.findChild(QtDataTab)
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.rows is not None and len(tab.rows.rows) > 0, timeout=WAIT_MS)
    return tab


def column(tab, name: str) -> int:
    return next(n for n, f in enumerate(tab.rows.fields) if f["name"] == name)


def wait_written(qtbot, tab, text: str) -> None:
    qtbot.waitUntil(lambda: text in tab.strip.title.text(), timeout=WAIT_MS)


@pytest.fixture
def orders(qtbot, window):
    tab = data_tab(qtbot, window, "models.Order")
    qtbot.waitUntil(lambda: tab.count_label.text() == "100,000 rows", timeout=WAIT_MS)
    return tab


def test_rows_load_a_page_at_a_time_as_the_table_scrolls_and_are_counted(qtbot, orders):
    assert len(orders.rows.rows) == 200
    assert [r["id"] for r in orders.rows.rows[:3]] == [1, 2, 3]
    for _ in range(3):
        orders.table.scrollToBottom()
        qtbot.waitUntil(lambda: not orders.rows.is_loading(), timeout=WAIT_MS)
    ids = [r["id"] for r in orders.rows.rows]
    assert len(ids) >= 800 and ids == list(range(1, len(ids) + 1))
    assert orders.table.model().data(orders.table.model().index(0, column(orders, "status"))) == "Paid"
    assert orders.table.model().data(orders.table.model().index(0, column(orders, "amount"))).endswith(" USD")


def test_a_column_header_sorts_ascending_then_descending(qtbot, orders):
    header = orders.table.horizontalHeader()
    amount = column(orders, "amount")
    header.sectionClicked.emit(amount)
    qtbot.waitUntil(lambda: bool(orders.rows.rows) and orders.rows.order["field"] == "amount" and not orders.rows.is_loading(), timeout=WAIT_MS)
    lowest = sql(orders.client.root, "select min(amount) from shop_order")[0][0]
    values = [r["amount"] for r in orders.rows.rows]
    assert values == sorted(values) and values[0] == pytest.approx(lowest)
    header.sectionClicked.emit(amount)
    qtbot.waitUntil(lambda: orders.rows.order["descending"] and bool(orders.rows.rows) and not orders.rows.is_loading(), timeout=WAIT_MS)
    values = [r["amount"] for r in orders.rows.rows]
    assert values == sorted(values, reverse=True)
    assert header.sortIndicatorSection() == amount and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


@pytest.mark.parametrize(("q", "where"), [
    ("Q(Q('status', '=', 'paid'))", "status = 'paid'"),
    ("Q(Q('amount', '>', 990))", "amount > 990"),
    ("Q(Q('customerId', 'in', [1, 2, 3]))", "customerId in (1, 2, 3)"),
    ("Q(Q('orderNo', 'like', '0000099'))", "orderNo like '%0000099%'"),
    ("Q(Q('note', 'isnull', True))", "note is null"),
    ("Q(Q('status', '=', 'draft'), Q('amount', '<', 100))", "status = 'draft' and amount < 100"),
])
def test_each_kind_of_filter_shows_and_counts_exactly_the_matching_rows(qtbot, orders, q, where):
    expected = sql(orders.client.root, f"select count(*) from shop_order where {where}")[0][0]
    first_ids = [r[0] for r in sql(orders.client.root, f"select id from shop_order where {where} order by id limit 200")]
    orders.filter_edit.setText(q)
    qtbot.keyClick(orders.filter_edit, Qt.Key.Key_Return)
    label = f"{expected:,} row{'s' if expected != 1 else ''}"
    qtbot.waitUntil(lambda: orders.count_label.text() == label, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: [r["id"] for r in orders.rows.rows][:200] == first_ids, timeout=WAIT_MS)


def test_a_filter_that_does_not_fit_the_model_says_why(qtbot, orders):
    orders.filter_edit.setText("Q(Q('colour', '=', 'red'))")
    qtbot.keyClick(orders.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "unknown field 'colour'" in orders.message.text(), timeout=WAIT_MS)
    assert orders.message.isVisible() and orders.rows.rows == []


def test_the_row_form_adds_a_row_that_a_before_handler_fills_and_shows_what_fired(qtbot, orders, monkeypatch):
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from jitstudio.qt.data.row_form import QtRowForm

    def fill_and_accept(form):
        form.editors["customerId"].setText("42")
        form.editors["amount"].setText("12.50")
        combo = form.editors["status"]
        assert isinstance(combo, QComboBox) and isinstance(form.editors["note"], QLineEdit)
        combo.setCurrentIndex(combo.findData("draft"))
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(QtRowForm, "exec", fill_and_accept)
    qtbot.mouseClick(orders.add_button, Qt.MouseButton.LeftButton)
    wait_written(qtbot, orders, "Added a row: fired")
    new = orders.rows.rows[0]
    assert new["id"] == ORDERS + 1 and new["customerId"] == 42 and new["amount"] == 12.5
    assert new["orderNo"].startswith("SO")  # filled by the FillOrderNo Before handler
    fired = [orders.strip.tree.topLevelItem(n).text(0) for n in range(orders.strip.tree.topLevelItemCount())]
    assert any(text.startswith("events.FillOrderNo") for text in fired)
    assert sql(orders.client.root, f"select orderNo from shop_order where id = {ORDERS + 1}")[0][0] == new["orderNo"]


def test_an_edit_a_handler_refuses_shows_its_message_and_the_row_stays(qtbot, window):
    products = data_tab(qtbot, window, "models.Product")
    stock = column(products, "stock")
    index = products.rows.index(0, stock)
    assert products.rows.setData(index, -100)
    qtbot.waitUntil(lambda: "Not enough stock" in products.message.text(), timeout=WAIT_MS)
    assert products.rows.rows[0]["stock"] == 5 and sql(products.client.root, "select stock from shop_product where id = 1") == [(5,)]
    assert "Not enough stock" in products.rows.data(index, Qt.ItemDataRole.ToolTipRole)
    guard = products.strip.tree.topLevelItem(0)
    assert guard.text(0).startswith("events.StockGuard") and guard.text(1) == "fail"
    assert products.rows.setData(index, 7)
    qtbot.waitUntil(lambda: products.rows.rows[0]["stock"] == 7 and not products.message.isVisible(), timeout=WAIT_MS)


def test_an_edit_in_a_cell_editor_fires_an_async_event_that_the_strip_shows_when_it_finishes(qtbot, orders):
    from PySide6.QtWidgets import QComboBox

    status = column(orders, "status")
    draft = next(n for n, r in enumerate(orders.rows.rows) if r["status"] == "draft")
    index = orders.rows.index(draft, status)
    orders.table.setCurrentIndex(index)
    orders.table.edit(index)
    editor = orders.table.findChild(QComboBox, "cellOptions")
    editor.setCurrentIndex(editor.findData("paid"))
    orders.table.commitData(editor)
    qtbot.waitUntil(lambda: orders.rows.rows[draft]["status"] == "paid", timeout=WAIT_MS)

    def notified() -> bool:
        records = orders.strip.records
        return any(r["event"] == "events.OrderPaidNotify" and r["isAsync"] and r["status"] == "success" for r in records)
    qtbot.waitUntil(notified, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "waiting" not in orders.strip.title.text(), timeout=WAIT_MS)


def test_deleting_selected_rows_with_events_off_fires_nothing(qtbot, orders, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    orders.events_check.setChecked(False)
    assert "off" in orders.events_check.text()
    orders.table.selectRow(0)
    orders.table.selectionModel().select(orders.rows.index(1, 0), orders.table.selectionModel().SelectionFlag.Select
                                         | orders.table.selectionModel().SelectionFlag.Rows)
    assert orders.delete_button.text() == "Delete 2"
    qtbot.mouseClick(orders.delete_button, Qt.MouseButton.LeftButton)
    wait_written(qtbot, orders, "Deleted 2 row(s)")
    assert "events were off" in orders.strip.title.text()
    assert [r["id"] for r in orders.rows.rows[:2]] == [3, 4]
    assert sql(orders.client.root, "select count(*) from shop_order where id in (1, 2)") == [(0,)]


def test_import_reports_the_refused_row_and_adds_the_others(qtbot, orders, tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer ID", "amount", "Status", "ignored"])
        writer.writerows([["7", "10.5", "paid", "x"], ["8", "lots", "draft", "y"], ["9", "3", "draft", "z"]])
    run = orders.import_file(path, mapping={"Customer ID": "customerId", "amount": "amount", "Status": "status", "ignored": None},
                             events=True)
    qtbot.waitUntil(lambda: orders.bulk is None, timeout=WAIT_MS)
    assert run.created == 2
    assert "Imported 2 of 3 rows. They fired 4 executions." in orders.last_report  # FillOrderNo, OrderStatusAudit
    assert "row 2: models.Order.amount (Money): 'lots' is not a number" in orders.last_report
    assert sql(orders.client.root, "select customerId from shop_order where id > 100000 order by id") == [(7,), (9,)]
    qtbot.waitUntil(lambda: orders.count_label.text() == "100,002 rows", timeout=WAIT_MS)


def test_the_import_mapping_guesses_fields_by_name_and_title():
    from jitstudio.qt.data.bulk import guess_mapping

    fields = [{"name": "id", "title": "ID", "datatype": "AutoInt", "primaryKey": True, "readOnly": True},
              {"name": "customerId", "title": "Customer ID", "datatype": "Numeric"}]
    assert guess_mapping(["ID", "customer id", "CUSTOMERID", "x"], fields) == {
        "ID": None, "customer id": "customerId", "CUSTOMERID": "customerId", "x": None}


def test_export_writes_the_filtered_rows_and_a_cancelled_export_leaves_no_file(qtbot, orders, tmp_path):
    orders.filter_edit.setText("Q(Q('status', '=', 'refunded'))")
    qtbot.keyClick(orders.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: orders.count_label.text() == "16,667 rows", timeout=WAIT_MS)
    done = tmp_path / "refunded.json"
    run = orders.export_file(done)
    qtbot.waitUntil(lambda: orders.bulk is None, timeout=WAIT_MS)
    rows = json.loads(done.read_text())
    assert run.written == len(rows) == 16_667 and {r["status"] for r in rows} == {"refunded"}
    assert "Exported 16,667 rows" in orders.message.text()

    orders.filter_edit.clear()
    qtbot.keyClick(orders.filter_edit, Qt.Key.Key_Return)
    cancelled = tmp_path / "all.csv"
    run = orders.export_file(cancelled)
    run.sig_progress.connect(lambda written: run.cancel())
    qtbot.waitUntil(lambda: orders.bulk is None, timeout=WAIT_MS)
    assert run.written < ORDERS and not cancelled.exists()
    assert list(tmp_path.glob(".all.csv.*")) == []
    assert "no file was written" in orders.message.text()


def test_a_row_seeds_a_model_event_test_run_and_the_run_shows_what_it_fired(qtbot, window, orders):
    from jitstudio.qt.pages.event_page import QtEventPage

    orders.table.selectRow(0)
    assert orders.test_button.isEnabled()
    assert ("events.OrderStatusAudit", "FieldUpdateAfter") in orders.model_events
    orders.sig_test_row.emit("events.OrderStatusAudit", orders.rows.rows[0])
    page = window.current_page()
    assert isinstance(page, QtEventPage) and page.key == "events.OrderStatusAudit"
    payload = page.test_panel.payload_value()
    assert payload["prevData"]["orderNo"] == "SO00000001"
    assert payload["postData"] == payload["prevData"]  # the editable "after" copy
    page.test_panel.run()
    qtbot.waitUntil(lambda: page.test_panel.fired.isVisible(), timeout=WAIT_MS)
    assert page.test_panel.fired.tree.topLevelItem(0).text(0).startswith("events.OrderStatusAudit")


def test_an_execution_in_the_strip_opens_its_record(qtbot, window, orders):
    from jitstudio.qt.records.page import QtRecordsPage

    orders.rows.setData(orders.rows.index(0, column(orders, "status")), "shipped")
    wait_written(qtbot, orders, "Edited row 1")
    item = orders.strip.tree.topLevelItem(0)
    record_id = item.data(0, Qt.ItemDataRole.UserRole + 1)[1]
    orders.strip.tree.itemClicked.emit(item, 0)
    page = window.current_page()
    assert isinstance(page, QtRecordsPage)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.record.id == record_id, timeout=WAIT_MS)


def test_stop_counting_leaves_the_rows_uncounted_even_when_the_count_comes_back(qtbot, orders):
    orders.filter_edit.setText("Q(Q('note', 'like', 'note'))")
    orders.apply_filter()
    assert orders.count_label.text() == "counting…" and orders.cancel_count.isVisible()
    qtbot.mouseClick(orders.cancel_count, Qt.MouseButton.LeftButton)
    assert orders.count_label.text() == "not counted" and not orders.cancel_count.isVisible()
    qtbot.waitUntil(lambda: not orders.client._answers, timeout=WAIT_MS)  # the count's answer, if it came, is ignored
    assert orders.count_label.text() == "not counted"
