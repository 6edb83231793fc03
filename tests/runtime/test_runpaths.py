"""Run paths on the example shop: the nodes an approval instance and an assistant turn visited, in order, with
users, statuses, errors and the execution records fired at each node, from the engines' tables and records."""
from __future__ import annotations

import json

import pytest

from _runtime_support import db_url  # noqa: F401 - db_url is a fixture
from _shop_orders import place_paid_orders
from jitstudio.runtime import Runtime
from jitstudio.runtime.engines.approvals import ApprovalAborted, acting_as
from jitstudio.runtime.runpaths import RunSources, open_sources, recent_runs, run_of_record

REFUND = "workflows.RefundApproval"
ASSISTANT = "aiassistants.ShopAssistant"
LARGE_PATH = ["start", "managerApproval", "amountBranch", "financeApproval", "end"]

FINANCE_GUARD = '''def customFunc(eventOutData):
    raise ValueError("finance may not approve refunds today")
'''


def add_event(app, name, ejson, inner=None):
    folder = app / "events" / name
    folder.mkdir()
    (folder / "e.json").write_text(json.dumps({"title": name, "enable": 1, "backendBundleEntry": ".", **ejson}))
    if inner is not None:
        (folder / "inner.py").write_text(inner)
        (folder / "__init__.py").write_text("from .inner import customFunc\n")


def open_shop(app, db=None) -> Runtime:
    """The shop with a customer, a lamp and two paid orders: #1 of 600 (a large refund), #2 of 300."""
    rt = Runtime(app, db, async_worker=False)
    place_paid_orders(rt, (2, 1))
    return rt


@pytest.fixture
def runtime(shop):
    rt = open_shop(shop)
    yield rt
    rt.close()


def act(rt, user, instance, action, comment=None, to=None):
    with acting_as(user):
        return rt.engines.approvals.act(instance, action, user=user, comment=comment, to=to)


def submit(rt, order, user="ann", comment=None):
    with acting_as(user):
        return rt.engines.approvals.submit(REFUND, order, user=user, comment=comment).instance["id"]


def records(rt, event):
    return [r.id for r in reversed(rt.records.page(event=event, limit=100).records)]


def summary(run):
    return [(v.node, v.status, v.detail) for v in run.visits]


def test_a_large_refund_visits_every_node_with_its_users_and_records(shop, db_url):  # noqa: F811
    rt = open_shop(shop, db_url)
    try:
        instance = submit(rt, 1, comment="broken")
        act(rt, "manager", instance, "agree")
        sources = RunSources.of_runtime(rt)
        [halfway] = recent_runs(sources, REFUND)
        assert summary(halfway) == [("start", "ok", "submit by ann: broken"), ("managerApproval", "ok", "agree by manager"),
                                    ("amountBranch", "ok", ""), ("financeApproval", "waiting", "waiting for fiona")]
        act(rt, "fiona", instance, "agree", "ok")
        [actions] = [records(rt, REFUND)]
        handled, = records(rt, "events.RefundNodeHandled")
        process = records(rt, "events.RefundStatusChanged")
    finally:
        rt.close()
    with open_sources(shop, db_url) as sources:
        [run] = recent_runs(sources, REFUND)
        assert (run.key, run.title) == (str(instance), f"Approval #{instance} · models.Order 1 · Pass")
        assert summary(run) == [("start", "ok", "submit by ann: broken"), ("managerApproval", "ok", "agree by manager"),
                                ("amountBranch", "ok", ""), ("financeApproval", "ok", "agree by fiona: ok"), ("end", "ok", "")]
        assert list(run.links) == list(zip(LARGE_PATH, LARGE_PATH[1:]))
        by_node = {v.node: v for v in run.visits}
        assert by_node["start"].records == (actions[0], process[0])  # the submit and the Process event it fired (status In)
        assert by_node["managerApproval"].records == (actions[1], handled)
        assert by_node["financeApproval"].records == (actions[2],) and by_node["end"].records == (process[1],)
        assert by_node["amountBranch"].records == () and all(v.error is None for v in run.visits)
        starts = [v.started_us for v in run.visits]
        assert starts == sorted(starts) and by_node["managerApproval"].duration_ms > 0
        assert run_of_record(sources, handled) == run and run_of_record(sources, process[1]) == run


def test_a_small_refund_takes_the_else_branch_to_the_end(runtime):
    instance = submit(runtime, 2)
    act(runtime, "manager", instance, "agree")
    [run] = recent_runs(RunSources.of_runtime(runtime), REFUND)
    assert [v.node for v in run.visits] == ["start", "managerApproval", "amountBranch", "end"]
    assert run.links[-1] == ("amountBranch", "end") and run.title.endswith("· Pass")


def test_sent_back_and_resubmitted_visits_the_start_again(runtime):
    instance = submit(runtime, 1)
    act(runtime, "manager", instance, "reject", "photo please")
    [sent_back] = recent_runs(RunSources.of_runtime(runtime), REFUND)
    assert summary(sent_back)[-1] == ("start", "waiting", "waiting for ann")
    submit(runtime, 1)
    act(runtime, "manager", instance, "transmit", "on holiday", to="deputy")
    [run] = recent_runs(RunSources.of_runtime(runtime), REFUND)
    assert summary(run) == [("start", "ok", "submit by ann"), ("managerApproval", "ok", "reject by manager: photo please"),
                            ("start", "ok", "submit by ann"),
                            ("managerApproval", "waiting", "transmit by manager to deputy: on holiday; waiting for deputy")]
    assert ("managerApproval", "start") in run.links


def test_a_refusal_ends_at_the_refusing_node(runtime):
    instance = submit(runtime, 1)
    act(runtime, "manager", instance, "refuse", "too much")
    [run] = recent_runs(RunSources.of_runtime(runtime), REFUND)
    assert summary(run) == [("start", "ok", "submit by ann"), ("managerApproval", "ok", "refuse by manager: too much")]
    assert run.title.endswith("· Refuse")


PARALLEL = {
    "modelName": "models.Order",
    "nodeList": [{"name": "start", "type": 0}, {"name": "split", "type": 5}, {"name": "manager", "type": 1},
                 {"name": "finance", "type": 1}, {"name": "join", "type": 6}, {"name": "end", "type": 7}],
    "linkList": [{"from": "start", "to": "split"}, {"from": "split", "to": "manager"}, {"from": "split", "to": "finance"},
                 {"from": "manager", "to": "join"}, {"from": "finance", "to": "join"}, {"from": "join", "to": "end"}],
    "nodeConfig": {"manager": {"approvers": {"users": ["manager"]}}, "finance": {"approvers": {"roles": ["finance"]}}},
}


def test_parallel_approvals_join_before_the_end(shop):
    folder = shop / "workflows" / "BothApprove"
    folder.mkdir()
    (folder / "e.json").write_text(json.dumps({"title": "Both approve", "type": "workflows.NormalType", "dataModel": "models.Order"}))
    (folder / "config.json").write_text(json.dumps(PARALLEL))
    rt = open_shop(shop)
    try:
        with acting_as("ann"):
            instance = rt.engines.approvals.submit("workflows.BothApprove", 2, user="ann").instance["id"]
        act(rt, "fiona", instance, "agree")
        [waiting] = recent_runs(RunSources.of_runtime(rt), "workflows.BothApprove")
        assert summary(waiting) == [("start", "ok", "submit by ann"), ("split", "ok", ""),
                                    ("manager", "waiting", "waiting for manager"), ("finance", "ok", "agree by fiona")]
        act(rt, "manager", instance, "agree")
        [run] = recent_runs(RunSources.of_runtime(rt), "workflows.BothApprove")
    finally:
        rt.close()
    assert [(v.node, v.status) for v in run.visits] == [("start", "ok"), ("split", "ok"), ("manager", "ok"), ("finance", "ok"),
                                                         ("join", "ok"), ("end", "ok")]
    assert list(run.links) == [("start", "split"), ("split", "manager"), ("split", "finance"), ("finance", "join"),
                               ("manager", "join"), ("join", "end")]


def test_a_handler_that_raises_makes_its_node_a_failed_visit(shop):
    add_event(shop, "FinanceGuard", {"type": "events.WorkflowType", "model": "models.Order", "operate": "NodeHandled",
                                     "handleNode": "financeApproval", "handleType": ["agree"], "funcType": "Inner"},
              FINANCE_GUARD)
    rt = open_shop(shop)
    try:
        instance = submit(rt, 1)
        act(rt, "manager", instance, "agree")
        with pytest.raises(ApprovalAborted):
            act(rt, "fiona", instance, "agree")
        sources = RunSources.of_runtime(rt)
        [run] = recent_runs(sources, REFUND)
        failed_action = records(rt, REFUND)[-1]
        [guard] = records(rt, "events.FinanceGuard")
        finance = run.visits[-1]
        assert [v.node for v in run.visits] == LARGE_PATH[:-1]
        assert (finance.node, finance.status) == ("financeApproval", "failed")
        assert finance.error == "ValueError: finance may not approve refunds today"
        assert finance.records == (failed_action, guard)
        assert run_of_record(sources, guard) == run
    finally:
        rt.close()


BLOCKER = '''def customFunc(eventOutData):
    if eventOutData.status.value == "Pass":
        raise ValueError("refunds need the owner's signature first")
'''


def test_a_handler_that_raises_where_the_action_arrives_fails_that_node(shop):
    add_event(shop, "ZBlockRefunds", {"type": "events.WorkflowType", "model": "models.Order", "operate": "Process",
                                      "funcType": "Inner"}, BLOCKER)
    rt = open_shop(shop)
    try:
        instance = submit(rt, 2)
        with pytest.raises(ApprovalAborted):
            act(rt, "manager", instance, "agree")
        [run] = recent_runs(RunSources.of_runtime(rt), REFUND)
    finally:
        rt.close()
    assert [(v.node, v.status) for v in run.visits] == [("start", "ok"), ("managerApproval", "waiting"),
                                                         ("amountBranch", "ok"), ("end", "failed")]
    assert run.visits[-1].error == "ValueError: refunds need the owner's signature first"
    assert run.links == (("start", "managerApproval"), ("managerApproval", "amountBranch"), ("amountBranch", "end"))


def test_a_first_submit_that_a_handler_aborted_is_a_run_of_its_own(shop):
    add_event(shop, "ZNoRefunds", {"type": "events.WorkflowType", "model": "models.Order", "operate": "Process",
                                   "funcType": "Inner"}, FINANCE_GUARD)
    rt = open_shop(shop)
    try:
        with pytest.raises(ApprovalAborted):
            submit(rt, 1)
        sources = RunSources.of_runtime(rt)
        [failed_submit] = records(rt, REFUND)
        run = run_of_record(sources, records(rt, "events.ZNoRefunds")[0])
        assert recent_runs(sources, REFUND) == []  # no instance was stored
    finally:
        rt.close()
    assert (run.key, run.title) == (f"record:{failed_submit}", f"Submit failed · record #{failed_submit}")
    assert [(v.node, v.status, v.error) for v in run.visits] == [
        ("start", "failed", "ValueError: finance may not approve refunds today")]


def test_an_assistant_turn_visits_its_nodes_with_the_node_events_fired(runtime):
    turn = runtime.engines.assistant(ASSISTANT).run("What is the status of order 1?", {"orderId": 1})
    runtime.drain()
    [lookup_event] = records(runtime, "events.LookupNodeFinished")
    [agent_run] = records(runtime, "aiagents.OrderAgent")
    sources = RunSources.of_runtime(runtime)
    [run] = recent_runs(sources, ASSISTANT)
    assert (run.kind, run.key) == ("assistant", f"{turn.session_id}#1")
    assert run.title == f"Turn 1 · session {turn.session_id.removeprefix('session_')[:4]}…"
    assert [v.node for v in run.visits] == ["start", "checkOrderId", "lookupOrder", "orderAgent", "end"]
    assert all(v.status == "ok" and v.started_us is not None for v in run.visits)
    by_node = {v.node: v for v in run.visits}
    assert by_node["lookupOrder"].records == (lookup_event,)
    assert by_node["checkOrderId"].records == ()  # its backend switch is off: no node events
    assert by_node["orderAgent"].records == (agent_run,)
    assert by_node["checkOrderId"].detail == "IF_ELSE_NODE → lookupOrder"
    assert by_node["orderAgent"].detail == "tool services.OrderSvc.getOrder; LLM_NODE"
    assert list(run.links) == [("start", "checkOrderId"), ("checkOrderId", "lookupOrder"), ("lookupOrder", "orderAgent"),
                               ("orderAgent", "end")]
    assert run_of_record(sources, lookup_event) == run

    second = runtime.engines.assistant(ASSISTANT).run("And without an id?", {}, turn.session_id)
    [newest, first] = recent_runs(sources, ASSISTANT)
    assert newest.key == f"{second.session_id}#2" and first == run
    assert [v.node for v in newest.visits] == ["start", "checkOrderId", "orderAgent", "end"]
    assert ("checkOrderId", "orderAgent") in newest.links


def test_an_assistant_node_that_raises_is_a_failed_visit(runtime):
    with pytest.raises(ValueError, match="Order 99 does not exist"):
        runtime.engines.assistant(ASSISTANT).run("Where is order 99?", {"orderId": 99})
    [turn_record] = records(runtime, ASSISTANT)
    sources = RunSources.of_runtime(runtime)
    [run] = recent_runs(sources, ASSISTANT)
    assert summary(run)[:2] == [("start", "ok", "TRIGGER_NODE"), ("checkOrderId", "ok", "IF_ELSE_NODE → lookupOrder")]
    failed = run.visits[-1]
    assert (failed.node, failed.status, failed.error) == ("lookupOrder", "failed", "ValueError: Order 99 does not exist")
    assert len(run.visits) == 3 and run.title.endswith("· failed")
    assert run_of_record(sources, turn_record) == run


def test_records_outside_a_run_and_unknown_elements(runtime):
    sources = RunSources.of_runtime(runtime)
    placed = records(runtime, "services.OrderSvc.placeOrder")[0]
    assert run_of_record(sources, placed) is None and run_of_record(sources, 10**9) is None
    assert recent_runs(sources, REFUND) == [] and recent_runs(sources, ASSISTANT) == []
    with pytest.raises(ValueError, match="workflows.X and aiassistants.X"):
        recent_runs(sources, "models.Order")
