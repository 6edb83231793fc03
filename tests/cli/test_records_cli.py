"""`jitstudio records`: the JSON and table listings with every filter, and pruning by app.json settings."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jitstudio.cli import main
from jitstudio.runtime.execution import run_recorded
from jitstudio.runtime.records import RecordStore

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400_000_000


@pytest.fixture(autouse=True)
def _default_database(monkeypatch):
    monkeypatch.delenv("JITSTUDIO_DB_URL", raising=False)


@pytest.fixture
def app(tmp_path):
    app_json = {"name": "shop", "runtime": {"records": {"maxAgeDays": 7, "maxCount": 3}}}
    (tmp_path / "app.json").write_text(json.dumps(app_json), encoding="utf-8")
    with RecordStore(app_dir=tmp_path) as store:
        run_recorded(store, event="events.Audit", event_type="events.ModelType", sender="models.Order",
                     operate="AddAfter", input={"id": 1}, call=lambda: {"ok": 1}, app_dir=tmp_path)
        run_recorded(store, event="events.Audit", input={"id": 2}, call=lambda: 1 / 0, app_dir=tmp_path)
        run_recorded(store, event="events.Notify", input={"id": 3}, call=lambda: "sent", app_dir=tmp_path)
    return tmp_path


def records(capsys, *args) -> list[dict]:
    assert main(["records", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_listing_newest_first_with_camel_case_keys(app, capsys):
    out = records(capsys, app)
    assert [r["event"] for r in out] == ["events.Notify", "events.Audit", "events.Audit"]
    for key in ("id", "event", "status", "startedAt", "durationMs", "input", "output", "error", "steps"):
        assert key in out[0]
    failed = out[1]
    assert failed["status"] == "fail" and failed["error"] == "ZeroDivisionError: division by zero"
    assert failed["input"] == {"id": 2} and isinstance(failed["steps"], list)
    assert out[2]["output"] == {"ok": 1} and out[2]["operate"] == "AddAfter"


def test_filters(app, capsys):
    assert [r["input"]["id"] for r in records(capsys, app, "--event", "events.Audit")] == [2, 1]
    assert [r["input"]["id"] for r in records(capsys, app, "--status", "fail")] == [2]
    assert [r["input"]["id"] for r in records(capsys, app, "--limit", "1")] == [3]
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    assert records(capsys, app, "--since", future) == []
    assert len(records(capsys, app, "--until", future)) == 3
    assert len(records(capsys, app, "--since", "2020-01-01")) == 3


def test_table_listing(app, capsys):
    assert main(["records", str(app)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "STARTED", "EVENT", "STATUS", "DURATION", "ERROR"]
    assert "events.Notify" in lines[1] and "success" in lines[1]
    assert "ZeroDivisionError: division by zero" in lines[2]
    assert lines[1].index("events.") == lines[2].index("events.")


def test_prune_applies_app_json_settings(app, capsys):
    with RecordStore(app_dir=app) as store:
        store.insert_many({"event": "events.Old", "event_type": "", "sender": "", "operate": "", "status": "success",
                           "started_at": store.latest_started_us() - 10 * DAY - i, "attempt": 1, "is_async": False,
                           "chain": '["events.Old"]'} for i in range(4))
        assert store.count() == 7
    assert main(["records", str(app), "--prune", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"pruned": 4, "maxAgeDays": 7, "maxCount": 3}
    assert main(["records", str(app), "--prune"]) == 0
    assert capsys.readouterr().out.startswith("pruned 0 records")
    with RecordStore(app_dir=app) as store:
        assert store.count() == 3


def test_bad_arguments_exit_2(app, tmp_path, capsys):
    assert main(["records", str(tmp_path / "missing")]) == 2
    assert main(["records", str(app), "--since", "yesterday"]) == 2
    assert "ISO" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["records", str(app), "--status", "broken"])


def test_the_jitstudio_command_lists_records(app):
    env = {k: v for k, v in os.environ.items() if k != "JITSTUDIO_DB_URL"}
    result = subprocess.run([sys.executable, "-m", "jitstudio", "records", str(app), "--json", "--limit", "2"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert [r["event"] for r in json.loads(result.stdout)] == ["events.Notify", "events.Audit"]
