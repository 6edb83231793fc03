"""The Graph tab of the example approval workflow and AI assistant, driven as a user does: dragging nodes and
links on the canvas, the palette, keys, one undo history with the JSON tab, reloads from disk, invalid JSON,
the badges on nodes and "+ Event" from a node's menu. config.json on disk is checked after each step."""
import difflib
import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from jitstudio.qt.graph.editor import QtGraphEditor
from jitstudio.qt.graph.items import NODE_H, NODE_W

WORKFLOW = "workflows.RefundApproval"
ASSISTANT = "aiassistants.ShopAssistant"
WORKFLOW_CONFIG = "workflows/RefundApproval/config.json"
ASSISTANT_CONFIG = "aiassistants/ShopAssistant/config.json"


def open_graph(window, qtbot, full_name: str) -> QtGraphEditor:
    page = window.open_element(full_name)
    editor = page.tabs.widget(0)
    assert isinstance(editor, QtGraphEditor) and page.tabs.tabText(0) == "Graph"
    window.resize(1400, 900)
    qtbot.waitExposed(editor.view)
    editor.view.fit_all()
    return editor


def json_tab(window, full_name: str):
    page = window.open_element(full_name)
    return next(f for f in page.files if f.path.name == "config.json")


def disk(shop, relative: str) -> str:
    return (shop / relative).read_text(encoding="utf-8")


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def viewport_point(editor: QtGraphEditor, node_id: str, dx: float = NODE_W / 2, dy: float = NODE_H / 2) -> QPoint:
    """Where a point of the node (item coordinates) shows in the canvas's viewport."""
    item = editor.scene.nodes[node_id]
    return editor.view.mapFromScene(item.mapToScene(QPointF(dx, dy)))


def drag(qtbot, editor: QtGraphEditor, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move in steps and release the left button on the canvas, as a hand does."""
    viewport = editor.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, steps + 1):
        point = start + (end - start) * step / steps
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.wait(10)


def test_the_graph_tab_is_first_on_workflow_and_assistant_pages(window, qtbot):
    workflow = open_graph(window, qtbot, WORKFLOW)
    assert set(workflow.scene.nodes) == {"start", "managerApproval", "amountBranch", "financeApproval", "end"}
    assert len(workflow.scene.links) == 5
    assistant = open_graph(window, qtbot, ASSISTANT)
    assert set(assistant.scene.nodes) == {"start", "checkOrderId", "lookupOrder", "orderAgent", "end"}
    assert workflow.summary.text() == "5 nodes · 5 links"


def test_dragging_a_node_writes_only_its_position(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)
    item = editor.scene.nodes["financeApproval"]
    start = viewport_point(editor, "financeApproval")
    scale = editor.view.zoom()
    drag(qtbot, editor, start, start + QPoint(round(100 * scale), round(60 * scale)))

    after = disk(shop, WORKFLOW_CONFIG)
    x, y = json.loads(after)["nodeList"][3]["position"].values()
    assert (x, y) == (item.x(), item.y()) and x % 20 == 0 and y % 20 == 0
    assert 240 <= x <= 280 and 440 <= y <= 480  # 100 right, 60 down of (160, 400), snapped to the grid
    assert changed_lines(before, after) == (
        ['    {"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {"x": 160, "y": 400}},'],
        [f'    {{"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {{"x": {x}, "y": {y}}}}},'],
    )


def test_dragging_from_an_out_port_to_another_node_writes_one_link(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)
    drag(qtbot, editor, viewport_point(editor, "managerApproval", NODE_W / 2, NODE_H), viewport_point(editor, "end"))

    after = disk(shop, WORKFLOW_CONFIG)
    assert json.loads(after)["linkList"][-1] == {"linkId": "link1", "from": "managerApproval", "to": "end",
                                                 "fromPort": "bottom", "toPort": "top"}
    removed, added = changed_lines(before, after)
    assert removed == ['    {"linkId": "financeDone", "from": "financeApproval", "to": "end", "fromPort": "bottom", "toPort": "left"}']
    assert added == [removed[0] + ",", '    {"linkId": "link1", "from": "managerApproval", "to": "end", "fromPort": "bottom", "toPort": "top"}']
    assert len(editor.scene.links) == 6 and editor.summary.text() == "5 nodes · 6 links"
    assert editor.scene.nodes["managerApproval"].pos() == QPointF(300, 160)  # the node itself did not move


def test_dragging_from_the_else_port_of_an_if_else_node_writes_an_else_link(window, qtbot, shop):
    editor = open_graph(window, qtbot, ASSISTANT)
    editor.select_link(2)  # the else link there is: an if/else takes one
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    else_port = editor.scene.nodes["checkOrderId"].out_port("else")
    drag(qtbot, editor, viewport_point(editor, "checkOrderId", else_port.x(), else_port.y()), viewport_point(editor, "end"))

    edge = json.loads(disk(shop, ASSISTANT_CONFIG))["edges"][-1]
    assert (edge["sourceNode"], edge["targetNode"], edge["sourcePort"], edge.get("else")) == ("checkOrderId", "end", "else", True)


def test_a_link_the_graph_refuses_is_not_written_and_says_why(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)
    with qtbot.waitSignal(editor.sig_status) as said:
        drag(qtbot, editor, viewport_point(editor, "start", NODE_W / 2, NODE_H), viewport_point(editor, "managerApproval"))
    assert said.args == ["Could not change the drawing: 'start' links to 'managerApproval' already"]
    assert disk(shop, WORKFLOW_CONFIG) == before


def test_double_clicking_the_palette_adds_a_node_and_the_delete_key_deletes_it(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)
    palette = editor.palette_list
    row = next(i for i in range(palette.count()) if palette.item(i).text() == "Approval")
    rect = palette.visualItemRect(palette.item(row))
    QTest.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.mouseDClick(palette.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())

    added = json.loads(disk(shop, WORKFLOW_CONFIG))["nodeList"][-1]
    assert (added["name"], added["type"], added["title"]) == ("approval1", 1, "Approval")
    assert "approval1" in editor.scene.nodes and editor.scene.selected_nodes() == ["approval1"]
    removed, new_lines = changed_lines(before, disk(shop, WORKFLOW_CONFIG))
    assert len(removed) == 1 and len(new_lines) == 2  # the last node gains a comma, the new one follows

    editor.view.setFocus()
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert disk(shop, WORKFLOW_CONFIG) == before
    assert "approval1" not in editor.scene.nodes


def test_the_delete_key_takes_a_node_with_its_links_and_node_config(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    QTest.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     viewport_point(editor, "financeApproval"))
    assert editor.scene.selected_nodes() == ["financeApproval"]
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)

    data = json.loads(disk(shop, WORKFLOW_CONFIG))
    assert [n["name"] for n in data["nodeList"]] == ["start", "managerApproval", "amountBranch", "end"]
    assert [link["linkId"] for link in data["linkList"]] == ["toManager", "toBranch", "smallRefund"]
    assert list(data["nodeConfig"]) == ["managerApproval"]
    assert len(editor.scene.links) == 3


def test_one_history_for_the_canvas_and_the_json_tab(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    original = disk(shop, WORKFLOW_CONFIG)
    start = viewport_point(editor, "financeApproval")
    with qtbot.waitSignal(window.session.sig_project_changed, timeout=10_000):  # the file watcher sees the write
        drag(qtbot, editor, start, start + QPoint(round(80 * editor.view.zoom()), 0))
    moved = disk(shop, WORKFLOW_CONFIG)
    assert moved != original and json.loads(moved)["nodeList"][3]["position"]["y"] == 400

    code = json_tab(window, WORKFLOW).editor
    page = window.open_element(WORKFLOW)
    page.tabs.setCurrentWidget(json_tab(window, WORKFLOW))
    cursor = code.textCursor()
    cursor.setPosition(code.toPlainText().index("Refund decided") + len("Refund decided"))
    code.setTextCursor(cursor)
    code.setFocus()
    QTest.keyClicks(code, " soon")
    typed = code.toPlainText()
    assert "Refund decided soon" in typed
    qtbot.waitUntil(lambda: editor.scene.nodes["end"].node.title == "Refund decided soon")

    page.tabs.setCurrentIndex(0)
    editor.undo()  # the typing
    assert code.toPlainText() == moved and disk(shop, WORKFLOW_CONFIG) == moved
    assert editor.scene.nodes["end"].node.title == "Refund decided"
    editor.view.setFocus()
    QTest.keySequence(editor.view, QKeySequence(QKeySequence.StandardKey.Undo))  # the drag
    assert code.toPlainText() == original and disk(shop, WORKFLOW_CONFIG) == original
    assert editor.scene.nodes["financeApproval"].pos() == QPointF(160, 400)

    QTest.keySequence(editor.view, QKeySequence(QKeySequence.StandardKey.Redo))
    assert disk(shop, WORKFLOW_CONFIG) == moved and editor.scene.nodes["financeApproval"].pos() != QPointF(160, 400)
    editor.redo()
    assert code.toPlainText() == typed and disk(shop, WORKFLOW_CONFIG) == typed
    assert editor.scene.nodes["end"].node.title == "Refund decided soon"


def test_a_change_on_disk_is_drawn(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    data = json.loads(disk(shop, WORKFLOW_CONFIG))
    data["nodeList"][4]["title"] = "Refund settled"
    data["nodeList"].append({"name": "auditApproval", "title": "Audit approval", "type": 1, "position": {"x": 500, "y": 400}})
    (shop / WORKFLOW_CONFIG).write_text(json.dumps(data, indent=2), encoding="utf-8")  # as another tool would

    qtbot.waitUntil(lambda: "auditApproval" in editor.scene.nodes, timeout=10_000)
    assert editor.scene.nodes["end"].node.title == "Refund settled"
    assert editor.scene.nodes["auditApproval"].pos() == QPointF(500, 400)
    assert editor.summary.text() == "6 nodes · 5 links"


def test_invalid_json_leaves_the_drawing_read_only_until_it_is_fixed(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    original = disk(shop, WORKFLOW_CONFIG)
    code = json_tab(window, WORKFLOW).editor
    cursor = code.textCursor()
    cursor.setPosition(code.toPlainText().index('"nodeList"'))
    code.setTextCursor(cursor)
    code.setFocus()
    QTest.keyClicks(code, "oops ")
    qtbot.waitUntil(lambda: editor.banner.isVisibleTo(editor))

    assert "not valid JSON" in editor.banner.text() and f"{WORKFLOW_CONFIG}:3:3" in editor.banner.text()
    assert set(editor.scene.nodes) == {"start", "managerApproval", "amountBranch", "financeApproval", "end"}
    window.open_element(WORKFLOW).tabs.setCurrentIndex(0)
    start = viewport_point(editor, "financeApproval")
    drag(qtbot, editor, start, start + QPoint(120, 60))
    assert editor.scene.nodes["financeApproval"].pos() == QPointF(160, 400)
    assert disk(shop, WORKFLOW_CONFIG) == original
    assert not editor.palette_list.isEnabled() and not editor.buttons["delete"].isEnabled()

    code.setFocus()
    for _ in "oops ":
        QTest.keyClick(code, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not editor.banner.isVisibleTo(editor))
    drag(qtbot, editor, start, start + QPoint(round(100 * editor.view.zoom()), 0))
    after = disk(shop, WORKFLOW_CONFIG)
    assert json.loads(after)["nodeList"][3]["position"]["x"] != 160
    assert len(changed_lines(original, after)[0]) == 1


def badge_point(editor: QtGraphEditor, node_id: str, what: str) -> QPoint:
    """The middle of a node's badge, on the upper half that stands above the node."""
    item = editor.scene.nodes[node_id]
    x = NODE_W - 4
    for name, count, _color in item.badges:
        width = max(18.0, len(str(count)) * 7 + 10)
        if name == what:
            return viewport_point(editor, node_id, x - width / 2, -5)
        x -= width + 4
    raise AssertionError(f"{node_id} has no {what} badge: {item.badges}")


def badges(editor: QtGraphEditor, node_id: str) -> dict[str, int]:
    return {what: count for what, count, _color in editor.scene.nodes[node_id].badges}


def test_an_approval_node_without_approvers_has_a_warning_badge(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    assert "warnings" not in badges(editor, "financeApproval")
    code = json_tab(window, WORKFLOW).editor
    cursor = code.textCursor()
    at = code.toPlainText().index('"roles": ["finance"]')
    cursor.setPosition(at + len('"roles": ['))
    cursor.setPosition(at + len('"roles": ["finance"'), cursor.MoveMode.KeepAnchor)
    code.setTextCursor(cursor)
    code.setFocus()
    QTest.keyClick(code, Qt.Key.Key_Delete)

    qtbot.waitUntil(lambda: badges(editor, "financeApproval").get("warnings") == 1)
    assert "warning: no approvers" in editor.scene.nodes["financeApproval"].toolTip()
    assert [what for what in badges(editor, "managerApproval")] == ["events"]


def test_a_link_to_a_missing_node_shows_as_a_problem_on_the_node_it_leaves(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    text = disk(shop, WORKFLOW_CONFIG).replace('"to": "end", "fromPort": "bottom", "toPort": "left"',
                                               '"to": "ghost", "fromPort": "bottom", "toPort": "left"')
    (shop / WORKFLOW_CONFIG).write_text(text, encoding="utf-8")
    window.reload_now()

    qtbot.waitUntil(lambda: badges(editor, "financeApproval").get("problems") == 1)
    assert "error: link to 'ghost' names no node" in editor.scene.nodes["financeApproval"].toolTip()
    assert len(editor.scene.links) == 4  # the link has no end to draw to
    with qtbot.waitSignal(editor.sig_open_location) as opened:
        QTest.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         badge_point(editor, "financeApproval", "problems"))
    assert opened.args[1:] == [31, 64]


def test_a_bad_condition_marks_its_link(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    text = disk(shop, WORKFLOW_CONFIG).replace("Q(Q('amount', '>', 500))", "Q(Q('amount', '>>', 500))")
    (shop / WORKFLOW_CONFIG).write_text(text, encoding="utf-8")
    window.reload_now()

    link = next(item for item in editor.scene.links if item.link.index == 2)
    qtbot.waitUntil(lambda: link.mark == "error")
    assert "unknown operator '>>'" in link.toolTip()
    assert all(item.mark is None for item in editor.scene.links if item is not link)


def test_events_badges_list_the_events_of_each_node(window, qtbot):
    workflow = open_graph(window, qtbot, WORKFLOW)
    assert badges(workflow, "managerApproval") == {"events": 1}
    assert "event: events.RefundNodeHandled" in workflow.scene.nodes["managerApproval"].toolTip()
    assert all("events" not in badges(workflow, n) for n in workflow.scene.nodes if n != "managerApproval")

    assistant = open_graph(window, qtbot, ASSISTANT)
    assert badges(assistant, "lookupOrder") == {"events": 1}
    assert "event: events.LookupNodeFinished" in assistant.scene.nodes["lookupOrder"].toolTip()
    assert all("events" not in badges(assistant, n) for n in assistant.scene.nodes if n != "lookupOrder")


def test_clicking_the_events_badge_opens_the_event(window, qtbot):
    editor = open_graph(window, qtbot, ASSISTANT)
    QTest.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     badge_point(editor, "lookupOrder", "events"))
    qtbot.waitUntil(lambda: window.current_page() is not None and window.current_page().key == "events.LookupNodeFinished")


def node_menu(editor: QtGraphEditor, node_id: str) -> QMenu:
    """The context menu of a node, opened with a right click on it."""
    point = viewport_point(editor, node_id)
    viewport = editor.view.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)))
    menus = [menu for menu in editor.findChildren(QMenu) if menu.isVisible()]
    assert len(menus) == 1
    return menus[0]


@pytest.fixture
def wizard_runs(monkeypatch):
    """The event wizards run without a dialog: each records what its form was filled in with, gets a name and
    finishes."""
    from jitstudio.qt.wizards import WIZARDS

    seen: list[dict] = []

    def run(wizard) -> int:
        seen.append(wizard.form.keys())
        wizard.name.setText(f"NodeEvent{len(seen)}")
        assert wizard.finish.isEnabled(), wizard.message.text()
        wizard.finish.click()
        return wizard.result()

    for key in ("event:workflow", "event:assistant"):
        monkeypatch.setattr(WIZARDS[key], "exec", run)
    return seen


def test_new_event_from_an_approval_node_fills_in_the_workflow_and_the_node(window, qtbot, shop, wizard_runs):
    editor = open_graph(window, qtbot, WORKFLOW)
    menu = node_menu(editor, "financeApproval")
    assert editor.scene.selected_nodes() == ["financeApproval"]
    menu.findChild(QAction, "graphNewEvent").trigger()

    assert wizard_runs == [{"model": "models.Order", "operate": "NodeChange", "workflow": WORKFLOW,
                            "triggerNode": ["before.financeApproval"]}]
    created = json.loads((shop / "events" / "NodeEvent1" / "e.json").read_text(encoding="utf-8"))
    assert (created["workflow"], created["operate"], created["triggerNode"]) == (WORKFLOW, "NodeChange", ["before.financeApproval"])
    qtbot.waitUntil(lambda: badges(editor, "financeApproval").get("events") == 1)


def test_new_event_from_an_assistant_node_switches_its_backend_events_on(window, qtbot, shop, wizard_runs):
    editor = open_graph(window, qtbot, ASSISTANT)
    before = disk(shop, ASSISTANT_CONFIG)
    assert json.loads(before)["nodes"]["checkOrderId"]["events"]["backend"] is False
    menu = node_menu(editor, "checkOrderId")
    menu.findChild(QAction, "graphNewEvent").trigger()

    assert wizard_runs == [{"sender": ASSISTANT, "operate": "checkOrderId.beforeNodeRun"}]
    created = json.loads((shop / "events" / "NodeEvent1" / "e.json").read_text(encoding="utf-8"))
    assert (created["sender"], created["operate"]) == (ASSISTANT, "checkOrderId.beforeNodeRun")
    after = disk(shop, ASSISTANT_CONFIG)
    assert json.loads(after)["nodes"]["checkOrderId"]["events"]["backend"] is True
    assert changed_lines(before, after) == (['        "backend": false,'], ['        "backend": true,'])
    qtbot.waitUntil(lambda: badges(editor, "checkOrderId").get("events") == 1)


def test_new_event_from_an_assistant_node_already_on_leaves_config_json_alone(window, qtbot, shop, wizard_runs):
    editor = open_graph(window, qtbot, ASSISTANT)
    before = disk(shop, ASSISTANT_CONFIG)
    menu = node_menu(editor, "orderAgent")
    menu.findChild(QAction, "graphNewEvent").trigger()

    assert wizard_runs == [{"sender": ASSISTANT, "operate": "orderAgent.beforeNodeRun"}]
    assert (shop / "events" / "NodeEvent1" / "e.json").is_file()
    assert disk(shop, ASSISTANT_CONFIG) == before


def test_a_drag_right_after_typing_in_the_json_tab_keeps_the_typing(window, qtbot, shop, monkeypatch):
    from jitstudio.qt.graph import editor as editor_module

    monkeypatch.setattr(editor_module, "REDRAW_DELAY_MS", 60_000)  # the user is quicker than the redraw after typing
    editor = open_graph(window, qtbot, WORKFLOW)
    page = window.open_element(WORKFLOW)
    config = json_tab(window, WORKFLOW)
    page.tabs.setCurrentWidget(config)
    code = config.editor
    cursor = code.textCursor()
    cursor.setPosition(code.toPlainText().index("Refund requested") + len("Refund requested"))
    code.setTextCursor(cursor)
    code.setFocus()
    QTest.keyClicks(code, " today")
    page.tabs.setCurrentIndex(0)
    before = code.toPlainText()
    start = viewport_point(editor, "financeApproval")
    drag(qtbot, editor, start, start + QPoint(round(100 * editor.view.zoom()), 0))

    after = disk(shop, WORKFLOW_CONFIG)
    data = json.loads(after)
    assert data["nodeList"][0]["title"] == "Refund requested today"
    x = data["nodeList"][3]["position"]["x"]
    assert x != 160 and changed_lines(before, after) == (
        ['    {"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {"x": 160, "y": 400}},'],
        [f'    {{"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {{"x": {x}, "y": 400}}}},'],
    )
    assert editor.scene.nodes["start"].node.title == "Refund requested today"


def test_copy_and_paste_keys_add_a_copy_of_the_selection(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    editor.scene.select(["amountBranch", "financeApproval"])
    editor.view.setFocus()
    QTest.keySequence(editor.view, QKeySequence(QKeySequence.StandardKey.Copy))
    QTest.keySequence(editor.view, QKeySequence(QKeySequence.StandardKey.Paste))

    data = json.loads(disk(shop, WORKFLOW_CONFIG))
    assert [n["name"] for n in data["nodeList"]][-2:] == ["amountBranch1", "financeApproval1"]
    assert (data["linkList"][-1]["from"], data["linkList"][-1]["to"]) == ("amountBranch1", "financeApproval1")
    assert data["nodeConfig"]["financeApproval1"] == data["nodeConfig"]["financeApproval"]
    assert sorted(editor.scene.selected_nodes()) == ["amountBranch1", "financeApproval1"]


def test_a_graph_without_positions_is_laid_out_and_lay_out_writes_the_places(window, qtbot, shop):
    data = json.loads(disk(shop, ASSISTANT_CONFIG))
    for node in data["nodes"].values():
        del node["position"]
    (shop / ASSISTANT_CONFIG).write_text(json.dumps(data, indent=2), encoding="utf-8")
    window.reload_now()
    editor = open_graph(window, qtbot, ASSISTANT)

    places = {node_id: (item.x(), item.y()) for node_id, item in editor.scene.nodes.items()}
    assert len(set(places.values())) == 5
    assert places["start"][0] < places["checkOrderId"][0] < places["lookupOrder"][0] < places["orderAgent"][0] < places["end"][0]
    QTest.mouseClick(editor.buttons["layout"], Qt.MouseButton.LeftButton)
    written = json.loads(disk(shop, ASSISTANT_CONFIG))["nodes"]
    assert {node_id: (node["position"]["x"], node["position"]["y"]) for node_id, node in written.items()} == places


def test_an_approver_set_from_the_inspector_keeps_its_one_line_object(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)
    editor.inspector.sig_set.emit("/nodeConfig/financeApproval/approvers/users", ["boss"])

    assert changed_lines(before, disk(shop, WORKFLOW_CONFIG)) == (
        ['      "approvers": {"users": [], "roles": ["finance"]}'],
        ['      "approvers": {"users": ["boss"], "roles": ["finance"]}'],
    )


def test_a_node_type_dropped_from_the_palette_lands_where_it_is_dropped(window, qtbot, shop):
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    editor = open_graph(window, qtbot, ASSISTANT)
    palette = editor.palette_list
    mime = palette.mimeData([next(palette.item(i) for i in range(palette.count()) if palette.item(i).text() == "Router")])
    viewport = editor.view.viewport()
    spot = editor.view.mapFromScene(QPointF(600, 420))
    buttons, keys, copy = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.CopyAction
    QApplication.sendEvent(viewport, QDragEnterEvent(spot, copy, mime, buttons, keys))
    QApplication.sendEvent(viewport, QDragMoveEvent(spot, copy, mime, buttons, keys))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(spot), copy, mime, buttons, keys))

    node = json.loads(disk(shop, ASSISTANT_CONFIG))["nodes"]["router1"]
    assert (node["type"], node["title"]) == ("router", "Router")
    assert abs(node["position"]["x"] - 600) <= 20 and abs(node["position"]["y"] - 420) <= 20
    assert "events" not in node  # a router has no node events
    assert editor.scene.selected_nodes() == ["router1"]


def test_new_event_is_offered_only_on_assistant_nodes_that_have_node_events(window, qtbot):
    assistant = open_graph(window, qtbot, ASSISTANT)
    offered = {}
    for node_id in assistant.scene.nodes:
        menu = node_menu(assistant, node_id)
        offered[node_id] = menu.findChild(QAction, "graphNewEvent").isEnabled()
        menu.close()
    assert offered == {"start": False, "checkOrderId": True, "lookupOrder": True, "orderAgent": True, "end": False}

    workflow = open_graph(window, qtbot, WORKFLOW)
    for node_id in workflow.scene.nodes:
        menu = node_menu(workflow, node_id)
        assert menu.findChild(QAction, "graphNewEvent").isEnabled(), node_id
        menu.close()


def test_a_new_event_on_a_node_without_node_events_leaves_config_json_alone(window, qtbot, shop):
    editor = open_graph(window, qtbot, ASSISTANT)
    before = disk(shop, ASSISTANT_CONFIG)
    editor.event_created("events.Anything", "start")
    assert disk(shop, ASSISTANT_CONFIG) == before


def test_a_branch_link_made_the_else_link_from_its_menu_loses_its_condition(window, qtbot, shop):
    editor = open_graph(window, qtbot, WORKFLOW)
    before = disk(shop, WORKFLOW_CONFIG)

    editor.set_else(2, True)  # "Over 500", which has a condition

    link = json.loads(disk(shop, WORKFLOW_CONFIG))["linkList"][2]
    assert link["else"] is True and "condition" not in link
    removed, added = changed_lines(before, disk(shop, WORKFLOW_CONFIG))
    assert [line.strip() for line in removed] == ['"condition": "Q(Q(\'amount\', \'>\', 500))"']
    assert [line.strip() for line in added] == ['"else": true']
    editor.undo()
    assert disk(shop, WORKFLOW_CONFIG) == before
