"""The function editor: form edits rewrite only their statement, typed code reaches the cards after the
debounce, invalid code locks the cards without losing a character, one undo history covers both views,
the palette inserts typed calls, cards move, and saves are atomic."""
import os

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt
from PySide6.QtGui import QTextCursor

from jitstudio.project import load_project
from jitstudio.qt.funceditor._card_list import CARD_MIME
from jitstudio.qt.funceditor.editor import REFUSED
from funceditor_helpers import EVENT, card_of, commit_text, open_editor, tool_button

@pytest.fixture
def editor(qtbot, shop, project):
    return open_editor(qtbot, shop, project)


def type_at_end_of_line(qtbot, editor, line, text):
    view = editor.code_view
    cursor = QTextCursor(view.document().findBlockByNumber(line - 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    view.setTextCursor(cursor)
    qtbot.keyClicks(view, text)


def changed_lines(before, after):
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [i + 1 for i, (a, b) in enumerate(zip(old, new)) if a != b]


def test_form_field_edit_rewrites_only_that_statement(qtbot, editor, shop):
    before = editor.text()
    amount = card_of(editor, "assign", target="amount")
    commit_text(qtbot, editor.cards_view.rows[amount.id].editors["value"], 'post.get("amount") or 0')
    after = editor.text()
    assert changed_lines(before, after) == [amount.line_span[0]]
    assert after.splitlines()[amount.line_span[0] - 1] == '    amount = post.get("amount") or 0'
    assert editor.doc.source == after and editor.is_dirty()
    assert (shop / EVENT).read_text() == before  # nothing written before save


def test_service_argument_edit_changes_one_argument(qtbot, editor):
    call = card_of(editor, "service_call", function="sendNotification")
    before = editor.text()
    commit_text(qtbot, editor.cards_view.rows[call.id].editors["args.receivers"], '["sales", "finance"]')
    assert editor.text() == before.replace("receivers=receivers,", 'receivers=["sales", "finance"],')


def test_typed_code_reaches_the_cards_after_the_debounce(qtbot, editor):
    order_no = card_of(editor, "assign", target="orderNo")
    type_at_end_of_line(qtbot, editor, order_no.line_span[0], ' or "?"')
    row_value = editor.cards_view.rows[order_no.id].editors["value"]
    assert row_value.text() == 'post.get("orderNo")'  # not before the pause
    qtbot.waitUntil(lambda: row_value.text() == 'post.get("orderNo") or "?"', timeout=3000)
    assert editor.doc.card(order_no.id).fields["value"] == 'post.get("orderNo") or "?"'


def test_syntax_error_locks_the_cards_and_recovers(qtbot, editor):
    amount = card_of(editor, "assign", target="amount")
    type_at_end_of_line(qtbot, editor, amount.line_span[0], " +")
    typed = editor.text()
    qtbot.waitUntil(lambda: editor.banner.isVisible(), timeout=3000)
    with pytest.raises(SyntaxError) as cpython:
        compile(typed, "inner.py", "exec")
    banner = editor.banner_label.text()
    assert f"Line {cpython.value.lineno}" in banner and cpython.value.msg in banner
    assert not editor.cards_view.canvas.isEnabled() and not editor.palette.isEnabled()
    assert [m.line for m in editor.code_view.markers()] == [cpython.value.lineno]
    assert editor.cards_view.rows[amount.id].editors["value"].text() == 'post.get("amount")'  # last good cards

    assert editor.edit_field(amount.id, "value", "1") == REFUSED
    assert editor.text() == typed  # every typed character kept, the refused edit changed nothing

    qtbot.keyClick(editor.code_view, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: editor.doc.is_valid and not editor.banner.isVisible(), timeout=3000)
    assert editor.cards_view.canvas.isEnabled() and editor.code_view.markers() == []
    assert editor.edit_field(amount.id, "value", "1") is None
    assert '    amount = 1\n' in editor.text()


def test_one_undo_history_over_form_and_code(qtbot, editor):
    s0 = editor.text()
    amount = card_of(editor, "assign", target="amount")
    commit_text(qtbot, editor.cards_view.rows[amount.id].editors["value"], "0")
    s1 = editor.text()
    type_at_end_of_line(qtbot, editor, amount.line_span[0], " + 1")
    qtbot.waitUntil(lambda: editor.doc.card(amount.id).fields["value"] == "0 + 1", timeout=3000)
    s2 = editor.text()
    editor.delete_card(card_of(editor, "log").id)
    s3 = editor.text()
    assert len({s0, s1, s2, s3}) == 4

    editor.undo()
    assert editor.text() == s2 and editor.doc.source == s2
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == s1
    assert editor.cards_view.rows[amount.id].editors["value"].text() == "0"
    editor.undo()
    assert editor.text() == s0 and not editor.is_dirty()
    for expected in (s1, s2, s3):
        editor.redo()
        assert editor.text() == expected and editor.doc.source == expected


def test_consecutive_typing_is_one_undo_step(qtbot, editor):
    before = editor.text()
    steps = editor.undo_stack.count()
    amount = card_of(editor, "assign", target="amount")
    for piece in (" or", " 0"):
        type_at_end_of_line(qtbot, editor, amount.line_span[0], piece)
        qtbot.waitUntil(lambda: not editor._debounce.isActive(), timeout=3000)
    assert editor.doc.card(amount.id).fields["value"] == 'post.get("amount") or 0'
    assert editor.undo_stack.count() == steps + 1
    editor.undo()
    assert editor.text() == before


def test_palette_inserts_a_typed_service_call_after_the_selection(qtbot, editor):
    receivers = card_of(editor, "assign", target="receivers")
    editor.cards_view.select(receivers.id)
    tree = editor.palette.tree
    for path in (("Service", "Message service"), ("Service", "Message service", "Send notification")):
        item = editor.palette.find(*path)
        tree.scrollToItem(item)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    inserted = editor.doc.cards[[c.id for c in editor.doc.cards].index(receivers.id) + 1]
    assert inserted.kind == "service_call" and dict(inserted.fields["args"]) == {
        "title": '""', "content": '""', "receivers": "[]"}
    lines = editor.text().splitlines()
    assert lines[receivers.line_span[0]] == \
        '    result = app.getElement("services.MessageSvc").sendNotification(title="", content="", receivers=[])'
    assert editor.cards_view.selected_id == inserted.id

    row = editor.cards_view.rows[inserted.id]
    assert {"args.title", "args.content", "args.receivers"} <= set(row.editors)
    title = row.editors["args.title"]
    assert title.literal_kind == "text"  # a Stext argument holding "" takes plain text
    title.toggle_mode()  # 42 as a number is an expression there
    commit_text(qtbot, title, "42")
    issue = editor.cards_view.rows[inserted.id].issue_labels["args.title"]
    assert issue.isVisibleTo(editor) and "not a Stext value" in issue.text()
    commit_text(qtbot, editor.cards_view.rows[inserted.id].editors["args.title"], 'f"Order {orderNo}"')
    assert not editor.cards_view.rows[inserted.id].issue_labels["args.title"].isVisibleTo(editor)
    assert 'sendNotification(title=f"Order {orderNo}", content="", receivers=[])' in editor.text()


def test_event_data_picker_fills_a_field(qtbot, editor):
    amount = card_of(editor, "assign", target="amount")
    value = editor.cards_view.rows[amount.id].editors["value"]
    offered = [a.data() for a in value.picker_menu().actions() if a.data()]
    assert "eventOutData.postData.value['amount']" in offered and "receivers" in offered
    value.pick("eventOutData.postData.value['amount']")
    assert "    amount = eventOutData.postData.value['amount']\n" in editor.text()


def test_cards_move_by_drop_and_by_button(qtbot, editor):
    names = lambda: [c.fields.get("target") for c in editor.doc.cards[:5]]  # noqa: E731
    assert names() == ["post", "orderNo", "amount", "receivers", "customerId"]
    view = editor.cards_view
    amount = card_of(editor, "assign", target="amount")
    post_row = view.rows[card_of(editor, "assign", target="post").id]
    mime = QMimeData()
    mime.setData(CARD_MIME, QByteArray(amount.id.encode()))
    view.drop(mime, post_row.mapTo(view.canvas, QPoint(40, 4)))
    assert names() == ["amount", "post", "orderNo", "receivers", "customerId"]
    assert editor.text().splitlines()[5] == '    amount = post.get("amount")'

    inner_if = card_of(editor, "if", condition="customer and customer.email.value")
    view.drop(mime, view.rows[inner_if.children[0].id].mapTo(view.canvas, QPoint(200, 10)))
    assert editor.doc.card(inner_if.children[0].id).children[0].id == amount.id
    editor.undo()
    assert names() == ["amount", "post", "orderNo", "receivers", "customerId"]

    amount = card_of(editor, "assign", target="amount")  # undo re-reads the code: a moved card may get a new id
    qtbot.mouseClick(tool_button(view.rows[amount.id], "Move down"), Qt.MouseButton.LeftButton)
    assert names() == ["post", "amount", "orderNo", "receivers", "customerId"]


def test_delete_button_removes_the_card(qtbot, editor):
    log = card_of(editor, "log")
    row = editor.cards_view.rows[log.id]
    qtbot.mouseClick(tool_button(row, "Delete"), Qt.MouseButton.LeftButton)
    assert "log.info(" not in editor.text() and log.id not in editor.cards_view.rows


def test_save_is_atomic_and_the_project_still_loads(qtbot, editor, shop):
    path = shop / EVENT
    assert load_project(shop).errors == []
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    editor.reload_from_disk()
    inode = os.stat(path).st_ino
    amount = card_of(editor, "assign", target="amount")
    editor.edit_field(amount.id, "value", "eventOutData.postData.value['amount']")
    with qtbot.waitSignal(editor.sig_saved) as saved:
        assert editor.save()
    assert saved.args == [path]
    assert os.stat(path).st_ino != inode  # replaced, not rewritten in place
    assert path.read_bytes() == editor.text().replace("\n", "\r\n").encode()
    assert not editor.is_dirty() and not editor.dirty_label.isVisibleTo(editor)
    assert load_project(shop).errors == []


def test_file_changed_on_disk_reloads_when_clean_and_asks_when_dirty(qtbot, editor, shop):
    path = shop / EVENT
    path.write_text(path.read_text().replace('receivers = ["sales"]', 'receivers = ["ops"]'))
    qtbot.waitUntil(lambda: 'receivers = ["ops"]' in editor.text(), timeout=5000)
    assert card_of(editor, "assign", target="receivers").fields["value"] == '["ops"]' and not editor.is_dirty()

    editor.edit_field(card_of(editor, "assign", target="amount").id, "value", "1")
    path.write_text(path.read_text().replace('["ops"]', '["hr"]'))
    qtbot.waitUntil(lambda: editor.disk_banner.isVisibleTo(editor), timeout=5000)
    assert "amount = 1" in editor.text() and '["ops"]' in editor.text()


def test_form_edit_keeps_the_code_cursor_on_its_line(qtbot, editor):
    view = editor.code_view
    editor.set_mode("code")
    view.go_to_line(23, 9)
    editor.set_mode("visual")
    editor.edit_field(card_of(editor, "assign", target="orderNo").id, "value", 'post.get("orderNo") or "unknown"')
    cursor = view.textCursor()
    assert cursor.blockNumber() == 22 and cursor.block().text().startswith("    log.info(")


def test_palette_drop_publishes_a_declared_event_where_it_lands(qtbot, editor):
    item = editor.palette.find("Event", "Order paid")
    mime = editor.palette.tree.mimeData([item])
    view = editor.cards_view
    first = view.rows[editor.doc.cards[0].id]
    view.drop(mime, first.mapTo(view.canvas, QPoint(40, 4)))
    assert editor.text().splitlines()[5] == '    app.event.publish(sender="services.OrderSvc.orderPaid", args=())'
    publish = editor.doc.cards[0]
    assert publish.kind == "publish"
    offered = [a.data() for a in view.rows[publish.id].editors["sender"].picker_menu().actions() if a.data()]
    assert offered == ['"services.OrderSvc.orderPaid"']


def test_changing_the_service_picks_one_of_its_functions_in_one_undo_step(qtbot, editor):
    call = card_of(editor, "service_call", function="sendNotification")
    before, steps = editor.text(), editor.undo_stack.count()
    combo = editor.cards_view.rows[call.id].editors["service"]
    combo.setCurrentIndex(combo.findData("services.OrderSvc"))
    combo.activated.emit(combo.currentIndex())
    card = editor.doc.card(call.id)
    assert card.fields["service"] == "services.OrderSvc" and card.fields["function"] == "placeOrder"
    assert "app.services.OrderSvc.placeOrder(" in editor.text()
    row = editor.cards_view.rows[call.id]
    assert "args.customerId" in row.editors and row.issue_labels["args.customerId"].isVisibleTo(editor)
    assert editor.undo_stack.count() == steps + 1
    editor.undo()
    assert editor.text() == before


def test_model_operation_and_branches_from_the_form(qtbot, editor):
    editor.cards_view.select(None)
    spec = editor.palette.spec_of(editor.palette.find("Model", "Customer", "Get one row"))
    editor._insert_from_palette(*spec)
    assert editor.text().rstrip().endswith('    row = app.getElement("models.Customer").get()')
    condition = card_of(editor, "if", condition="customerId")
    qtbot.mouseClick(tool_button(editor.cards_view.rows[condition.id], "Add an else branch"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tool_button(editor.cards_view.rows[condition.id], "Add an elif branch"), Qt.MouseButton.LeftButton)
    keywords = [b.fields["keyword"] for b in editor.doc.card(condition.id).children]
    assert keywords == ["if", "elif", "else"]
    assert "    elif True:\n        pass\n    else:\n        pass\n" in editor.text()
    assert not tool_button(editor.cards_view.rows[condition.id], "Add an else branch").isVisibleTo(editor)


def test_a_reloaded_project_updates_the_palette_and_keeps_the_edits(qtbot, editor, shop):
    import json

    editor.edit_field(card_of(editor, "assign", target="amount").id, "value", "1")
    path = shop / "services/MessageSvc/e.json"
    data = json.loads(path.read_text())
    data["functionList"].append({"name": "sendSms", "title": "Send SMS",
                                 "args": [{"name": "phone", "title": "Phone", "dataType": "Phone", "required": True}]})
    path.write_text(json.dumps(data))
    editor.set_project(load_project(shop), "events.ModelType", ["amount"])
    assert editor.palette.find("Service", "Message service", "Send SMS") is not None
    assert "    amount = 1\n" in editor.text() and editor.undo_stack.count() == 1
