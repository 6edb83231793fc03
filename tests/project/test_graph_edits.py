"""The graph editors' edits to the example workflow's and assistant's config.json, checked against the text:
each changes only the lines it must (unknown keys, key order and one-line objects stay byte for byte), and the
layout, the drawing's warnings and the mapping of `jitstudio check` problems onto nodes and links."""
import difflib
import json
from pathlib import Path

import pytest

from jitstudio.project import load_project
from jitstudio.project.graph import ASSISTANT, WORKFLOW, read_graph, target_of_pointer
from jitstudio.project.graph_checks import drawing_warnings, problem_marks
from jitstudio.project.graph_edits import (
    add_node,
    connect,
    copy_fragment,
    delete_items,
    delete_value,
    move_nodes,
    paste_fragment,
    set_value,
)
from jitstudio.project.graph_layout import layered_positions
from jitstudio.project.jsondoc import JsonDocument

SHOP = Path(__file__).resolve().parents[2] / "jitstudio" / "examples" / "shop"
WORKFLOW_CONFIG = "workflows/RefundApproval/config.json"
ASSISTANT_CONFIG = "aiassistants/ShopAssistant/config.json"
CUSTOM = '  "x-custom": {"owner": "ops", "tags": ["a", "b"]},\n'


def example(relative: str, custom: bool = True) -> str:
    """The example's config.json text, with an unknown top-level key right after the opening brace."""
    text = (SHOP / relative).read_text(encoding="utf-8")
    return text.replace("{\n", "{\n" + CUSTOM, 1) if custom else text


def changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines taken out of `old` and put into `new`, in order."""
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.fixture
def workflow() -> JsonDocument:
    return JsonDocument.parse(example(WORKFLOW_CONFIG))


@pytest.fixture
def assistant() -> JsonDocument:
    return JsonDocument.parse(example(ASSISTANT_CONFIG))


def test_the_unknown_key_is_in_the_fixtures(workflow, assistant):
    assert workflow.data["x-custom"] == {"owner": "ops", "tags": ["a", "b"]}
    assert assistant.data["x-custom"] == {"owner": "ops", "tags": ["a", "b"]}


# -- move_nodes
def test_moving_a_workflow_node_changes_only_its_position_in_its_one_line_object(workflow):
    moved = move_nodes(WORKFLOW, workflow, {"financeApproval": (183.6, 420.0)})

    assert moved.text == workflow.text.replace('"type": 1, "position": {"x": 160, "y": 400}',
                                               '"type": 1, "position": {"x": 184, "y": 420}')
    assert changes(workflow.text, moved.text) == (
        ['    {"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {"x": 160, "y": 400}},\n'],
        ['    {"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {"x": 184, "y": 420}},\n'],
    )


def test_moving_assistant_nodes_changes_only_their_position_lines(assistant):
    moved = move_nodes(ASSISTANT, assistant, {"lookupOrder": (500, 80), "end": (980, 220)})

    assert changes(assistant.text, moved.text) == (
        ['      "position": {"x": 480, "y": 100},\n', '      "position": {"x": 960, "y": 200},\n'],
        ['      "position": {"x": 500, "y": 80},\n', '      "position": {"x": 980, "y": 220},\n'],
    )
    assert moved.text.startswith("{\n" + CUSTOM)


def test_moving_a_node_to_where_it_is_leaves_the_text_as_it_was(workflow):
    assert move_nodes(WORKFLOW, workflow, {"start": (300, 40)}).text == workflow.text


def test_moving_a_node_without_a_position_gives_it_one_and_keeps_its_other_members():
    text = example(WORKFLOW_CONFIG).replace('"title": "Refund decided", "type": 7, "position": {"x": 300, "y": 520}',
                                            '"title": "Refund decided", "type": 7, "x-note": "keep"')
    moved = move_nodes(WORKFLOW, JsonDocument.parse(text), {"end": (320, 540)})

    assert moved.data["nodeList"][4] == {"name": "end", "title": "Refund decided", "type": 7, "x-note": "keep",
                                         "position": {"x": 320, "y": 540}}
    removed, added = changes(text, moved.text)
    assert len(removed) == len(added) == 1 and "nodeList" not in added[0]


# -- add_node
def test_adding_a_workflow_node_appends_one_line_like_its_neighbours(workflow):
    added, node_id = add_node(WORKFLOW, workflow, "approval", (95, 333))

    assert node_id == "approval1"
    assert changes(workflow.text, added.text) == (
        ['    {"name": "end", "title": "Refund decided", "type": 7, "position": {"x": 300, "y": 520}}\n'],
        ['    {"name": "end", "title": "Refund decided", "type": 7, "position": {"x": 300, "y": 520}},\n',
         '    {"name": "approval1", "title": "Approval", "type": 1, "position": {"x": 100, "y": 340}}\n'],
    )


def test_adding_an_assistant_node_adds_one_member_with_its_events_switched_off(assistant):
    added, node_id = add_node(ASSISTANT, assistant, "function", (95, 333))

    assert node_id == "function1"
    assert list(added.data["nodes"]) == ["start", "checkOrderId", "lookupOrder", "orderAgent", "end", "function1"]
    assert added.data["nodes"]["function1"] == {
        "id": "function1", "type": "function", "title": "Function", "position": {"x": 100, "y": 340},
        "events": {"backend": False, "page": False, "arrivalOutputArgs": [], "afterRunOutputArgs": []},
    }
    removed, new_lines = changes(assistant.text, added.text)
    assert removed == []  # only a comma and the new member went in
    assert '      "position": {"x": 100, "y": 340},\n' in new_lines  # written as the file writes its positions
    assert added.text.replace(_between(added.text, '"end": {', '  },\n  "edges"'), "") == \
        assistant.text.replace(_between(assistant.text, '"end": {', '  },\n  "edges"'), "")


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def test_a_second_node_of_a_type_gets_the_next_free_id(workflow):
    once, first = add_node(WORKFLOW, workflow, "approval", (0, 0))
    _twice, second = add_node(WORKFLOW, once, "approval", (0, 0))
    assert (first, second) == ("approval1", "approval2")


def test_a_workflow_has_no_node_of_an_assistant_type(workflow):
    with pytest.raises(ValueError, match="a workflow has no 'aiagent' node"):
        add_node(WORKFLOW, workflow, "aiagent", (0, 0))


# -- connect
def test_connecting_workflow_nodes_appends_one_link_on_one_line(workflow):
    linked = connect(WORKFLOW, workflow, "financeApproval", "amountBranch")

    assert changes(workflow.text, linked.text) == (
        ['    {"linkId": "financeDone", "from": "financeApproval", "to": "end", "fromPort": "bottom", "toPort": "left"}\n'],
        ['    {"linkId": "financeDone", "from": "financeApproval", "to": "end", "fromPort": "bottom", "toPort": "left"},\n',
         '    {"linkId": "link1", "from": "financeApproval", "to": "amountBranch", "fromPort": "bottom", "toPort": "top"}\n'],
    )


def test_connecting_from_the_else_port_of_an_if_else_node_makes_the_else_link(assistant):
    without_else = delete_items(ASSISTANT, assistant, link_indexes=[2])
    linked = connect(ASSISTANT, without_else, "checkOrderId", "end", "else")

    assert linked.data["edges"][-1] == {"id": "e3", "sourceNode": "checkOrderId", "targetNode": "end", "sourcePort": "else",
                                        "targetPort": "in", "argMapping": {}, "else": True}
    removed, added = changes(without_else.text, linked.text)
    assert removed == [] and added[0] == "    },\n" and added[-1] == '      "else": true\n'
    graph = read_graph(ASSISTANT, linked.data)
    assert graph.links[-1].is_else and graph.links[-1].label == "else"


def test_a_second_else_link_is_refused(assistant):
    with pytest.raises(ValueError, match="'checkOrderId' has an else link already; a node takes one"):
        connect(ASSISTANT, assistant, "checkOrderId", "end", "else")


def test_connecting_from_the_if_port_makes_a_plain_link(assistant):
    linked = connect(ASSISTANT, assistant, "checkOrderId", "end", "if")
    assert linked.data["edges"][-1]["sourcePort"] == "if" and "else" not in linked.data["edges"][-1]


@pytest.mark.parametrize("source, target, message", [
    ("managerApproval", "managerApproval", "a node cannot link to itself"),
    ("start", "managerApproval", "'start' links to 'managerApproval' already"),
    ("managerApproval", "start", "nothing leads into a start node"),
    ("end", "managerApproval", "nothing follows an end node"),
    ("managerApproval", "ghost", "there is no node 'ghost'"),
])
def test_connecting_refuses_links_that_make_no_sense(workflow, source, target, message):
    with pytest.raises(ValueError) as refused:
        connect(WORKFLOW, workflow, source, target)
    assert str(refused.value) == message


def test_connecting_assistant_nodes_refuses_the_same_links(assistant):
    for source, target in (("lookupOrder", "lookupOrder"), ("e1", "end"), ("orderAgent", "start"), ("end", "start")):
        with pytest.raises(ValueError):
            connect(ASSISTANT, assistant, source, target)
    with pytest.raises(ValueError, match="'start' links to 'checkOrderId' already"):
        connect(ASSISTANT, assistant, "start", "checkOrderId")


# -- delete_items
def test_deleting_a_workflow_node_takes_its_links_and_node_config_and_nothing_else(workflow):
    deleted = delete_items(WORKFLOW, workflow, ["financeApproval"])

    assert [n["name"] for n in deleted.data["nodeList"]] == ["start", "managerApproval", "amountBranch", "end"]
    assert [link["linkId"] for link in deleted.data["linkList"]] == ["toManager", "toBranch", "smallRefund"]
    assert list(deleted.data["nodeConfig"]) == ["managerApproval"]
    expected = dict(workflow.data)
    for key in ("nodeList", "linkList", "nodeConfig"):
        expected[key] = deleted.data[key]
    assert deleted.data == expected
    removed, added = changes(workflow.text, deleted.text)
    assert removed == [
        '    {"name": "financeApproval", "title": "Finance approval", "type": 1, "position": {"x": 160, "y": 400}},\n',
        '    {\n', '      "linkId": "largeRefund",\n', '      "title": "Over 500",\n', '      "from": "amountBranch",\n',
        '      "to": "financeApproval",\n', '      "fromPort": "left",\n', '      "toPort": "top",\n',
        '      "condition": "Q(Q(\'amount\', \'>\', 500))"\n', '    },\n',
        '    },\n',
        '    {"linkId": "financeDone", "from": "financeApproval", "to": "end", "fromPort": "bottom", "toPort": "left"}\n',
        '    },\n', '    "financeApproval": {\n', '      "approvers": {"users": [], "roles": ["finance"]}\n',
    ]
    assert added == ['    }\n']


def test_deleting_an_assistant_node_takes_its_edges(assistant):
    deleted = delete_items(ASSISTANT, assistant, ["lookupOrder"])

    assert list(deleted.data["nodes"]) == ["start", "checkOrderId", "orderAgent", "end"]
    assert [edge["id"] for edge in deleted.data["edges"]] == ["e1", "e3", "e5"]
    _removed, added = changes(assistant.text, deleted.text)
    assert added == []
    assert deleted.text.startswith("{\n" + CUSTOM)


def test_deleting_a_link_removes_its_line_only(workflow):
    deleted = delete_items(WORKFLOW, workflow, [], [1])

    assert deleted.text == workflow.text.replace(
        '    {"linkId": "toBranch", "from": "managerApproval", "to": "amountBranch", "fromPort": "bottom", "toPort": "top"},\n', "")


def test_deleting_a_node_and_one_of_its_links_together_removes_the_link_once(workflow):
    deleted = delete_items(WORKFLOW, workflow, ["financeApproval"], [2, 0])
    assert [link["linkId"] for link in deleted.data["linkList"]] == ["toBranch", "smallRefund"]


# -- copy and paste
def test_copying_takes_the_chosen_nodes_the_links_between_them_and_their_node_config(workflow):
    fragment = copy_fragment(WORKFLOW, workflow.data, ["amountBranch", "financeApproval"])

    assert fragment["jitstudioGraph"] == WORKFLOW
    assert [n["name"] for n in fragment["nodes"]] == ["amountBranch", "financeApproval"]
    assert [link["linkId"] for link in fragment["links"]] == ["largeRefund"]
    assert fragment["nodeConfig"] == {"financeApproval": {"approvers": {"users": [], "roles": ["finance"]}}}
    assert json.loads(json.dumps(fragment)) == fragment  # what the clipboard holds


def test_pasting_adds_renamed_moved_copies_and_changes_nothing_else(workflow):
    fragment = copy_fragment(WORKFLOW, workflow.data, ["amountBranch", "financeApproval"])
    pasted, ids = paste_fragment(WORKFLOW, workflow, fragment, (40, 40))

    assert ids == ["amountBranch1", "financeApproval1"]
    removed, added = changes(workflow.text, pasted.text)
    assert removed == [
        '    {"name": "end", "title": "Refund decided", "type": 7, "position": {"x": 300, "y": 520}}\n',
        '    {"linkId": "financeDone", "from": "financeApproval", "to": "end", "fromPort": "bottom", "toPort": "left"}\n',
    ]
    assert added[:3] == [
        '    {"name": "end", "title": "Refund decided", "type": 7, "position": {"x": 300, "y": 520}},\n',
        '    {"name": "amountBranch1", "title": "Refund over 500?", "type": 4, "position": {"x": 340, "y": 320}},\n',
        '    {"name": "financeApproval1", "title": "Finance approval", "type": 1, "position": {"x": 200, "y": 440}}\n',
    ]
    assert pasted.data["linkList"][-1] == {
        "linkId": "largeRefund1", "title": "Over 500", "from": "amountBranch1", "to": "financeApproval1",
        "fromPort": "left", "toPort": "top", "condition": "Q(Q('amount', '>', 500))"}
    assert pasted.data["nodeConfig"]["financeApproval1"] == {"approvers": {"users": [], "roles": ["finance"]}}
    assert pasted.data["x-custom"] == workflow.data["x-custom"] and pasted.data["statusMaps"] == workflow.data["statusMaps"]


def test_pasting_assistant_nodes_keeps_their_members_and_links_them_under_new_ids(assistant):
    fragment = copy_fragment(ASSISTANT, assistant.data, ["lookupOrder", "orderAgent"])
    pasted, ids = paste_fragment(ASSISTANT, assistant, fragment, (40, 40))

    assert ids == ["lookupOrder1", "orderAgent1"]
    copy = pasted.data["nodes"]["lookupOrder1"]
    original = assistant.data["nodes"]["lookupOrder"]
    outputs = [dict(arg, value=arg["value"].replace("lookupOrder.", "lookupOrder1.")) for arg in original["events"]["afterRunOutputArgs"]]
    assert copy == dict(original, id="lookupOrder1", position={"x": 520, "y": 140},
                        events=dict(original["events"], afterRunOutputArgs=outputs))  # its outputs read the copy's results
    assert pasted.data["edges"][-1] == dict(assistant.data["edges"][3], id="e6", sourceNode="lookupOrder1", targetNode="orderAgent1",
                                            argMapping={"input_data": "start.userInput", "orderContext": "lookupOrder1.result"})
    removed, _added = changes(assistant.text, pasted.text)
    assert removed == []


def test_pasting_into_the_other_kind_of_graph_is_refused(assistant, workflow):
    fragment = copy_fragment(WORKFLOW, workflow.data, ["managerApproval"])
    with pytest.raises(ValueError, match="the clipboard holds no assistant nodes"):
        paste_fragment(ASSISTANT, assistant, fragment, (0, 0))


# -- values from the inspector
def test_setting_a_value_inside_a_one_line_object_keeps_the_line_one_line(workflow):
    edited = set_value(workflow, "/nodeConfig/financeApproval/approvers/users", ["boss"])
    assert edited.text == workflow.text.replace('{"users": [], "roles": ["finance"]}', '{"users": ["boss"], "roles": ["finance"]}')


def test_setting_a_value_under_a_missing_object_creates_it(workflow):
    edited = set_value(workflow, "/nodeConfig/amountBranch/x-level", 2)
    assert edited.data["nodeConfig"]["amountBranch"] == {"x-level": 2}
    removed, added = changes(workflow.text, edited.text)
    assert removed == [] and added == ['    },\n', '    "amountBranch": {\n', '      "x-level": 2\n']


def test_deleting_a_value_removes_its_member_only(workflow):
    edited = delete_value(workflow, "/linkList/2/condition")
    assert edited.text == workflow.text.replace(
        '      "toPort": "top",\n      "condition": "Q(Q(\'amount\', \'>\', 500))"\n', '      "toPort": "top"\n')
    assert delete_value(edited, "/linkList/2/condition").text == edited.text


# -- layout
def _ranks_follow_the_flow(graph, positions, along: int) -> None:
    for link in graph.links:
        assert positions[link.source][along] < positions[link.target][along], link


def test_layered_positions_give_every_node_its_own_place_along_the_flow(workflow, assistant):
    for kind, doc, along in ((WORKFLOW, workflow, 1), (ASSISTANT, assistant, 0)):
        graph = read_graph(kind, doc.data)
        positions = layered_positions(graph)
        assert set(positions) == set(graph.nodes)
        assert len(set(positions.values())) == len(positions)
        _ranks_follow_the_flow(graph, positions, along)


def test_layered_positions_of_a_graph_with_a_cycle(workflow):
    looped = connect(WORKFLOW, workflow, "financeApproval", "managerApproval")
    graph = read_graph(WORKFLOW, looped.data)
    positions = layered_positions(graph)

    assert set(positions) == set(graph.nodes) and len(set(positions.values())) == len(positions)
    assert positions["start"][1] < positions["managerApproval"][1] < positions["financeApproval"][1] < positions["end"][1]


def test_layered_positions_of_nodes_no_link_reaches():
    data = {"nodeList": [{"name": n, "type": t} for n, t in (("s", 0), ("a", 1), ("b", 1), ("e", 7))],
            "linkList": [{"from": "s", "to": "e"}]}
    positions = layered_positions(read_graph(WORKFLOW, data))
    assert set(positions) == {"s", "a", "b", "e"} and len(set(positions.values())) == 4


# -- the drawing's warnings
def test_the_examples_draw_without_warnings(workflow, assistant):
    assert drawing_warnings(read_graph(WORKFLOW, workflow.data), workflow.data) == []
    assert drawing_warnings(read_graph(ASSISTANT, assistant.data), assistant.data) == []


def test_warnings_land_on_the_node_they_are_about(workflow):
    edited = add_node(WORKFLOW, workflow, "approval", (600, 300))[0]  # reached by nothing, leads nowhere, no approvers
    edited = delete_items(WORKFLOW, edited, [], [3])  # the branch's else link
    data = edited.data
    warnings = {(m.target, m.message) for m in drawing_warnings(read_graph(WORKFLOW, data), data)}

    assert warnings == {
        (("node", "approval1"), "no path from the start node reaches it"),
        (("node", "approval1"), "no link leads out of it"),
        (("node", "approval1"), "no approvers: pick users or roles in the inspector"),
        (("node", "amountBranch"), "no else link: when no condition holds, the run has nowhere to go"),
    }


def test_an_if_else_node_without_its_else_link_is_warned_about(assistant):
    edited = delete_items(ASSISTANT, assistant, [], [2])
    marks = drawing_warnings(read_graph(ASSISTANT, edited.data), edited.data)
    assert [(m.target, m.severity) for m in marks] == [(("node", "checkOrderId"), "warning")]
    assert "no else link" in marks[0].message


def test_an_approval_node_whose_approvers_are_emptied_is_warned_about(workflow):
    edited = set_value(workflow, "/nodeConfig/managerApproval/approvers/users", [])
    marks = drawing_warnings(read_graph(WORKFLOW, edited.data), edited.data)
    assert [(m.target, m.message) for m in marks] == [(("node", "managerApproval"), "no approvers: pick users or roles in the inspector")]


# -- problems of `jitstudio check` on the drawing
@pytest.fixture
def broken_shop(shop):
    """The shop with a bad condition on a workflow link, a workflow link and an assistant edge to missing nodes."""
    config = shop / WORKFLOW_CONFIG
    text = config.read_text(encoding="utf-8").replace("Q(Q('amount', '>', 500))", "Q(Q('amount', '>>', 500))")
    config.write_text(text.replace('"to": "end", "fromPort": "bottom", "toPort": "left"', '"to": "ghost", "fromPort": "bottom", "toPort": "left"'),
                      encoding="utf-8")
    config = shop / ASSISTANT_CONFIG
    config.write_text(config.read_text(encoding="utf-8").replace('"targetNode": "end"', '"targetNode": "nowhere"'), encoding="utf-8")
    return shop


def _marks(shop, relative, kind):
    data = json.loads((shop / relative).read_text(encoding="utf-8"))
    graph = read_graph(kind, data)
    return graph, data, problem_marks(graph, data, load_project(shop).problems, relative)


def test_a_bad_condition_is_marked_on_its_link(broken_shop):
    graph, data, marks = _marks(broken_shop, WORKFLOW_CONFIG, WORKFLOW)

    assert target_of_pointer(graph, data, "/linkList/2/condition") == ("link", 2)
    condition = [m for m in marks if m.target == ("link", 2)]
    assert len(condition) == 1 and "unknown operator '>>'" in condition[0].message
    assert (condition[0].severity, condition[0].line) == ("error", 20)


def test_a_link_to_a_missing_node_is_marked_on_the_node_it_leaves(broken_shop):
    graph, data, marks = _marks(broken_shop, WORKFLOW_CONFIG, WORKFLOW)

    assert all(link.index != 4 for link in graph.links)  # not drawn: it has no end to draw to
    assert target_of_pointer(graph, data, "/linkList/4/to") == ("node", "financeApproval")
    assert [m.message for m in marks if m.target == ("node", "financeApproval")] == \
        ["link to 'ghost' names no node; nodes are amountBranch, end, financeApproval, managerApproval, start"]


def test_an_assistant_edge_to_a_missing_node_is_marked_on_its_source(broken_shop):
    _graph, _data, marks = _marks(broken_shop, ASSISTANT_CONFIG, ASSISTANT)
    assert [(m.target, m.severity) for m in marks] == [(("node", "orderAgent"), "error")]
    assert "targetNode 'nowhere' names no node" in marks[0].message


def test_pointers_to_nodes_and_elsewhere(workflow, assistant):
    workflow_graph, assistant_graph = read_graph(WORKFLOW, workflow.data), read_graph(ASSISTANT, assistant.data)

    assert target_of_pointer(workflow_graph, workflow.data, "/nodeList/3/title") == ("node", "financeApproval")
    assert target_of_pointer(workflow_graph, workflow.data, "/nodeConfig/managerApproval/approvers") == ("node", "managerApproval")
    assert target_of_pointer(assistant_graph, assistant.data, "/nodes/lookupOrder/function") == ("node", "lookupOrder")
    assert target_of_pointer(assistant_graph, assistant.data, "/edges/2/condition") == ("link", 2)
    for pointer in ("", "/modelName", "/statusMaps/In", "/nodeList/99", "/x-custom/owner"):
        assert target_of_pointer(workflow_graph, workflow.data, pointer) is None
