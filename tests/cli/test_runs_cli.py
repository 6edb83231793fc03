"""`jitstudio assistant … --progress` (node lines as the turn runs, for the IDE to animate) and `jitstudio runs`
(the paths approval instances and assistant turns took, as JSON lines) on the example shop."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _shop_orders import place_paid_orders
from jitstudio.cli import main
from jitstudio.runtime import Runtime

REPO = Path(__file__).resolve().parents[2]
TURN_NODES = ["start", "checkOrderId", "lookupOrder", "orderAgent", "end"]

HOLD = '''import pathlib
import time


def customFunc(*args):
    """Holds the turn after lookupOrder until the test says go."""
    flag = pathlib.Path({flag!r})
    for _ in range(1200):
        if flag.exists():
            return
        time.sleep(0.05)
'''


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def shop(shop):
    """The shop copy with a customer, a lamp and a paid order of 600."""
    with Runtime(shop, async_worker=False) as rt:
        place_paid_orders(rt, (2,))
    return shop


def test_progress_lines_come_while_the_turn_runs(shop, tmp_path):
    flag = tmp_path / "go"
    hold = shop / "events" / "HoldAfterLookup"
    hold.mkdir()
    (hold / "e.json").write_text(json.dumps({"title": "Hold", "type": "events.AIAssistantType", "funcType": "Inner",
                                             "sender": "aiassistants.ShopAssistant", "operate": "lookupOrder.afterNodeRun",
                                             "enable": 1, "backendBundleEntry": "."}))
    (hold / "inner.py").write_text(HOLD.format(flag=str(flag)))
    (hold / "__init__.py").write_text("from .inner import customFunc\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "jitstudio", "assistant", str(shop), "ShopAssistant",
                                "What is the status of order 1?", "--inputs", '{"orderId": 1}', "--progress", "--json"],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        early = []
        while not early or early[-1][:2] != ("lookupOrder", "ok"):
            line = json.loads(process.stdout.readline())
            early.append((line["node"], line["status"], line["recordId"]))
        held = process.poll() is None  # the turn waits in lookupOrder's afterNodeRun handler for the flag
        flag.write_text("go")
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert held and process.returncode == 0, err
    assert [(node, status) for node, status, _ in early] == [
        ("start", "running"), ("start", "ok"), ("checkOrderId", "running"), ("checkOrderId", "ok"),
        ("lookupOrder", "running"), ("lookupOrder", "ok")]
    lines = out.splitlines()
    progress = [json.loads(line) for line in lines if line.startswith('{"node"')]
    assert [(p["node"], p["status"]) for p in progress] == [(node, status) for node in TURN_NODES[3:]
                                                           for status in ("running", "ok")]
    assert all(p["durationMs"] >= 0 for p in progress if p["status"] == "ok")
    turn = json.loads("\n".join(line for line in lines if not line.startswith('{"node"')))
    assert turn["reply"].startswith("Order 1 is paid.")
    assert len({record for _, _, record in early} | {p["recordId"] for p in progress}) == 1
    with Runtime(shop, async_worker=False) as rt:
        assert rt.records.get(early[0][2]).event == "aiassistants.ShopAssistant"


def test_progress_names_the_node_that_failed(shop, capsys):
    code, out, err = run(capsys, "assistant", shop, "ShopAssistant", "Where is order 99?", "--inputs", '{"orderId": 99}',
                         "--progress")
    assert code == 1 and "Order 99 does not exist" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["node"], line["status"]) for line in lines][-2:] == [("lookupOrder", "running"), ("lookupOrder", "failed")]
    assert lines[-1]["error"] == "ValueError: Order 99 does not exist"


def test_runs_lists_paths_as_json_lines(shop, capsys):
    submitted = json.loads(run(capsys, "approval", shop, "submit", "RefundApproval", "1", "--user", "ann")[1])
    instance = submitted["instance"]["id"]
    run(capsys, "approval", shop, "agree", instance, "--user", "manager")
    run(capsys, "assistant", shop, "ShopAssistant", "What is the status of order 1?", "--inputs", '{"orderId": 1}')
    code, out, _ = run(capsys, "runs", shop, "workflows.RefundApproval")
    [approval] = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and approval["key"] == str(instance)
    assert [(v["node"], v["status"]) for v in approval["visits"]] == [
        ("start", "ok"), ("managerApproval", "ok"), ("amountBranch", "ok"), ("financeApproval", "waiting")]
    assert approval["links"][1] == ["managerApproval", "amountBranch"]

    code, out, _ = run(capsys, "runs", shop, "aiassistants.ShopAssistant", "--limit", "1")
    [turn] = [json.loads(line) for line in out.splitlines()]
    assert [v["node"] for v in turn["visits"]] == TURN_NODES
    lookup_event = turn["visits"][2]["records"][0]
    code, out, _ = run(capsys, "runs", shop, "--record", lookup_event)
    assert code == 0 and json.loads(out) == turn

    code, _, err = run(capsys, "runs", shop, "workflows.RefundApproval", "--record", lookup_event)
    assert code == 1 and "is not part of a run of workflows.RefundApproval" in err
    code, _, err = run(capsys, "runs", shop, "models.Order")
    assert code == 2 and "workflows.X and aiassistants.X" in err
    code, _, err = run(capsys, "runs", shop)
    assert code == 2 and "name an ELEMENT" in err
