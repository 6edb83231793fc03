"""`jitstudio new | check | schema` through the real command, as a user runs it."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jitstudio import cli

REPO = Path(__file__).resolve().parents[2]
SHOP = REPO / "jitstudio" / "examples" / "shop"
EVENT_SCHEMA_KINDS = {
    "events.ModelType": "event-model", "events.WorkflowType": "event-workflow", "events.NormalType": "event-normal",
    "events.AIAssistantType": "event-aiassistant", "events.AIAgentType": "event-aiagent",
}


def jitstudio(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jitstudio", *map(str, args)], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=120)


def run_in_process(capsys, *args) -> tuple[int, str, str]:
    """The same command without a new interpreter, for the cases that need no real process."""
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def broken_shop(shop) -> Path:
    """A copy of the example with a misspelt operate, a missing sender model and a broken JSON file."""
    root = shop
    replace_once(root / "events/OrderStatusAudit/e.json", '"FieldUpdateAfter"', '"UpdateAftr"')
    replace_once(root / "events/CustomerAudit/e.json", '"models.Customer"', '"models.Client"')
    replace_once(root / "events/StockGuard/e.json", '"fields": ["stock"],', '"fields": ["stock"]')
    return root


BROKEN_PROBLEMS = [
    "events/CustomerAudit/e.json:4:13: sender model 'models.Client' does not exist; known: models.AuditLog, "
    "models.Customer, models.Order, models.OrderItem, models.Product",
    "events/OrderStatusAudit/e.json:5:14: operate 'UpdateAftr' is not one of AddBefore, AddAfter, UpdateBefore, "
    "UpdateAfter, DeleteBefore, DeleteAfter, FieldUpdateAfter",
    "events/StockGuard/e.json:7:3: invalid JSON: expected ',' between members",
]


def test_check_passes_on_the_example_app():
    result = jitstudio("check", SHOP)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert re.search(r"^\d+ elements, 0 errors, 0 warnings$", result.stderr.strip())


def test_check_lists_each_problem_with_its_location_and_fails(broken_shop):
    result = jitstudio("check", broken_shop)

    assert result.returncode == 1
    assert result.stdout.splitlines() == BROKEN_PROBLEMS
    assert re.search(r"\d+ elements, 3 errors, 0 warnings", result.stderr)


def test_check_json_output_is_machine_readable(broken_shop):
    result = jitstudio("check", "--json", broken_shop)

    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [f"{p['path']}:{p['line']}:{p['col']}: {p['message']}" for p in problems] == BROKEN_PROBLEMS
    assert all(p["severity"] == "error" for p in problems)
    assert problems[1]["pointer"] == "/operate"


def test_check_json_on_a_clean_app_is_an_empty_list():
    result = jitstudio("check", "--json", SHOP)

    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_warnings_are_shown_but_do_not_fail_the_check(shop, capsys):
    root = shop
    replace_once(root / "events/StockGuard/e.json", '"asyncType": false', '"asyncType": true')

    code, out, err = run_in_process(capsys, "check", root)

    assert code == 0
    assert out.startswith("events/StockGuard/e.json:8:16: warning: an async UpdateBefore handler")
    assert "0 errors, 1 warnings" in err


def test_check_of_a_missing_folder_exits_2(tmp_path, capsys):
    code, _, err = run_in_process(capsys, "check", tmp_path / "nowhere")

    assert code == 2
    assert "is not a folder" in err


def test_new_from_the_example_passes_check(tmp_path):
    target = tmp_path / "myshop"

    created = jitstudio("new", target, "--example", "shop")
    checked = jitstudio("check", target)

    assert created.returncode == 0, created.stderr
    assert (target / "models/Order/model.py").is_file()
    assert not (target / ".jitstudio").exists()
    assert checked.returncode == 0, checked.stdout


def test_new_empty_app_passes_check(tmp_path):
    target = tmp_path / "blank"

    created = jitstudio("new", target)
    checked = jitstudio("check", target)

    assert created.returncode == 0, created.stderr
    assert json.loads((target / "app.json").read_text())["name"] == "blank"
    assert (checked.returncode, checked.stdout) == (0, "")
    assert "0 elements, 0 errors" in checked.stderr


def test_new_refuses_a_non_empty_folder_and_an_unknown_example(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")

    refused_code, _, refused_err = run_in_process(capsys, "new", tmp_path / "taken")
    unknown_code, _, unknown_err = run_in_process(capsys, "new", tmp_path / "other", "--example", "bakery")

    assert refused_code == 2 and "is not empty" in refused_err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"
    assert unknown_code == 2
    assert "no example 'bakery'; examples: " in unknown_err and "shop" in unknown_err
    assert not (tmp_path / "other").exists()


def test_schema_of_model_events_validates_the_example_events():
    result = jitstudio("schema", "event-model")

    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["operate"]["enum"] == [
        "AddBefore", "AddAfter", "UpdateBefore", "UpdateAfter", "DeleteBefore", "DeleteAfter", "FieldUpdateAfter"]
    assert {"title", "type", "sender", "operate"} <= set(schema["required"])
    events = [json.loads(p.read_text()) for p in sorted(SHOP.glob("events/*/e.json"))]
    model_events = [e for e in events if e["type"] == "events.ModelType"]
    assert len(model_events) >= 3
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    for event in model_events:
        assert list(validator.iter_errors(event)) == []
    misspelt = dict(model_events[0], operate="UpdateAftr")
    assert [e.path[0] for e in validator.iter_errors(misspelt)] == ["operate"]


def test_every_event_kind_schema_accepts_the_example_events(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    validators = {}
    for path in sorted(SHOP.glob("events/*/e.json")):
        event = json.loads(path.read_text())
        kind = EVENT_SCHEMA_KINDS[event["type"]]
        if kind not in validators:
            _, out, _ = run_in_process(capsys, "schema", kind)
            validators[kind] = jsonschema.Draft202012Validator(json.loads(out))
        assert list(validators[kind].iter_errors(event)) == [], path
    assert set(validators) == set(EVENT_SCHEMA_KINDS.values())


def test_schema_of_an_unknown_kind_exits_2_with_the_list():
    result = jitstudio("schema", "event-timer")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "jitstudio: unknown kind 'event-timer'; kinds: app, model, service, workflow, workflow-config, aiagent, "
        "aiagent-config, aiassistant, aiassistant-config, event-model, event-workflow, event-normal, "
        "event-aiassistant, event-aiagent")
