"""App code runs in a separate runtime process: a test run shows its result, an endless loop can be stopped,
and the window keeps answering meanwhile."""
import json
import time

import pytest

from jitstudio.project import create_event
from jitstudio.qt.runner import RuntimeRunner, has_cli_command, parse_result
from qt_helpers import click

LOOP = "import sys\nprint('looping', flush=True)\nwhile True:\n    pass\n"


def test_parse_result_finds_the_json_after_log_lines():
    out = 'INFO something happened\n{\n  "status": "success",\n  "recordId": 7\n}\n'
    assert parse_result(out) == {"status": "success", "recordId": 7}
    assert parse_result("no json here") is None


def test_runner_stops_a_plain_endless_loop(qtbot):
    runner = RuntimeRunner()
    output = []
    runner.sig_output.connect(output.append)
    runner.start(["-c", LOOP])
    qtbot.waitUntil(lambda: "looping" in "".join(output), timeout=10000)
    assert runner.is_running()
    with qtbot.waitSignal(runner.sig_finished, timeout=10000) as finished:
        runner.stop()
    assert finished.args[1] == "stopped"
    assert not runner.is_running()


def test_test_run_panel_stops_a_stuck_process_and_the_window_answers(qtbot, window):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.test_button)
    panel = page.test_panel
    panel.start(["-c", LOOP])
    qtbot.waitUntil(lambda: "looping" in window.get_feature("run").output.text.toPlainText(), timeout=10000)
    assert panel.stop_button.isEnabled() and not panel.run_button.isEnabled()
    started = time.monotonic()
    window.find_in_tree()  # the GUI thread is free: actions run at once
    assert window.tree.search.hasFocus() or window.tree.search.isVisible()
    assert time.monotonic() - started < 1
    with qtbot.waitSignal(panel.runner.sig_finished, timeout=10000):
        click(qtbot, panel.stop_button)
    assert panel.status.text() == "Stopped." and panel.run_button.isEnabled()


@pytest.mark.skipif(not has_cli_command("event"), reason="needs the runtime's `jitstudio event test` command")
def test_test_run_of_a_looping_handler_can_be_stopped(qtbot, window, shop):
    create_event(shop, "Spin", "model", sender="models.Order", operate="AddAfter")
    (shop / "events/Spin/inner.py").write_text("def customFunc(eventOutData):\n    while True:\n        pass\n")
    window.session.load_now()
    page = window.open_element("events.Spin")
    click(qtbot, page.test_button)
    panel = page.test_panel
    click(qtbot, panel.run_button)
    assert panel.runner.is_running()
    qtbot.wait(1500)
    type_text = "still typing"
    page.title_edit.setText(type_text)  # the window answers while the handler spins in its own process
    assert page.is_dirty()
    with qtbot.waitSignal(panel.runner.sig_finished, timeout=10000) as finished:
        click(qtbot, panel.stop_button)
    assert finished.args[1] == "stopped"
    assert page.title_edit.text() == type_text


@pytest.mark.skipif(not has_cli_command("event"), reason="needs the runtime's `jitstudio event test` command")
def test_test_run_shows_the_result_and_record(qtbot, window, shop):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.test_button)
    panel = page.test_panel
    panel.set_payload({"model": "models.Order", "optType": "AddBefore", "prevData": {}, "postData": {"amount": 5}})
    with qtbot.waitSignal(panel.sig_result, timeout=30000) as got:
        click(qtbot, panel.run_button)
    result = got.args[0]
    assert result["status"] == "success" and result["event"] == "events.FillOrderNo"
    assert isinstance(result["recordId"], int)
    assert "success" in panel.status.text() and f"record {result['recordId']}" in panel.status.text()
    assert json.loads(panel.result.toPlainText())["recordId"] == result["recordId"]


def test_bad_payload_is_refused_before_starting(qtbot, window):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.test_button)
    page.test_panel.payload.set_text("{not json")
    assert page.test_panel.run() is False
    assert "not valid JSON" in page.test_panel.status.text()
    assert not page.test_panel.runner.is_running()


def test_messages_pane_shows_what_the_app_sent(qtbot, window, shop):
    records = pytest.importorskip("jitstudio.runtime.records")
    store = records.RecordStore(app_dir=shop)
    store.add_message("Order SO-1 is paid", "Thank you!", ["sales"], "info", "events.OrderPaidNotify")
    store.close()
    messages = window.get_feature("messages").pane
    messages.poll()
    qtbot.waitUntil(lambda: messages.table.topLevelItemCount() == 1, timeout=5000)
    item = messages.table.topLevelItem(0)
    assert [item.text(i) for i in (2, 3, 4)] == ["sales", "Order SO-1 is paid", "Thank you!"]
