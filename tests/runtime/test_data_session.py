"""The data session the IDE's Data tab talks to: keyset pages in every order, counts that can be cancelled,
writes through the data API with the app's handlers, and each write's executions found by its request."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import insert

from jitstudio.runtime import Runtime
from jitstudio.runtime.datasession import DataSession

from _runtime_support import db_url, make_app  # noqa: F401 - db_url is a fixture

FIELDS = ('name = datatypes.Stext(name="name", title="Name")\n'
          'qty = datatypes.Numeric(name="qty", title="Quantity", decimal=0)\n'
          'status = datatypes.Dropdown(name="status", title="Status", options=[{"label": "Open", "value": "open"}, '
          '{"label": "Done", "value": "done"}])\n'
          'note = datatypes.Stext(name="note")\n'
          'code = datatypes.Stext(name="code", unique=1)')
ITEM = "models.Item"
SPEC = {"type": "events.ModelType", "sender": ITEM, "funcType": "Inner"}
FILL = "def customFunc(eventOutData):\n    eventOutData.postData.note.value = 'filled by Fill'\n"
REFUSE = ("def customFunc(eventOutData):\n    if eventOutData.postData.qty.value is not None and eventOutData.postData.qty.value < 0:\n"
          "        raise ValueError('qty may not be negative')\n")
AUDIT = "import time\n\n\ndef customFunc(eventOutData):\n    time.sleep(0.3)\n    return 'audited'\n"  # still running when the write is answered


def app_with_events(tmp_path):
    return make_app(tmp_path / "app", models={"Item": FIELDS}, events={
        "Fill": ({**SPEC, "operate": "AddBefore"}, FILL),
        "Refuse": ({**SPEC, "operate": "UpdateBefore"}, REFUSE),
        "Audit": ({**SPEC, "operate": "AddAfter", "asyncType": True}, AUDIT),
    })


@pytest.fixture
def session(tmp_path, db_url):  # noqa: F811
    fired: list[tuple[str, list, bool]] = []
    rt = Runtime(app_with_events(tmp_path), db_url, async_worker=True)
    data = DataSession(rt, lambda request, records, settled: fired.append((request, records, settled)))
    data.told = fired
    yield data
    data.close()
    rt.close()


def seed(rt, rows):
    table = rt.model_tables[ITEM].table
    with rt.engine.begin() as conn:
        conn.execute(insert(table), rows)


def ask(session, **request):
    answer = session.handle(request)
    assert answer["ok"], answer
    return answer


def every_page(session, order=None, filter=None, limit=7):
    rows, after = [], None
    while True:
        page = ask(session, op="page", model=ITEM, order=order, filter=filter, after=after, limit=limit)
        rows += page["rows"]
        after = page["after"]
        if after is None:
            return rows


def test_keyset_pages_cover_every_row_once_in_each_order_with_empty_values_last(session):
    qtys = [5, None, 3, 5, None, 1, 3, 5, 2, None, 4, 5, 0, 3, 5, 1, None, 2, 5, 4]
    seed(session.runtime, [{"name": f"n{i}", "qty": q, "status": "open"} for i, q in enumerate(qtys)])
    for descending in (False, True):
        rows = every_page(session, order={"field": "qty", "descending": descending})
        assert sorted(r["id"] for r in rows) == list(range(1, 21))
        values = [r["qty"] for r in rows]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=descending)
        assert values[len(present):] == [None] * 4  # empty values last, both ways
        ties = [r["id"] for r in rows if r["qty"] == 5]
        assert ties == sorted(ties, reverse=descending)
    by_pk = every_page(session, order={"field": None, "descending": True})
    assert [r["id"] for r in by_pk] == list(range(20, 0, -1))


def test_a_filter_pages_and_counts_only_matching_rows(session):
    seed(session.runtime, [{"name": f"n{i}", "qty": i, "status": "done" if i % 3 == 0 else "open"} for i in range(30)])
    q = "Q(Q('status', '=', 'done'), Q('qty', '>', 5))"
    rows = every_page(session, filter=q, limit=4)
    assert [r["qty"] for r in rows] == [6, 9, 12, 15, 18, 21, 24, 27]
    assert ask(session, op="count", model=ITEM, filter=q) == {"ok": True, "count": 8, "cancelled": False}
    refused = session.handle({"op": "page", "model": ITEM, "filter": "Q(Q('nope', '=', 1))"})
    assert not refused["ok"] and "unknown field 'nope'" in refused["error"] and refused["kind"] == "user"


def test_a_count_is_cancelled_promptly(session, monkeypatch):
    seed(session.runtime, [{"name": "x", "qty": i} for i in range(20_000)])
    result: dict = {}
    # a count over a self-join slow enough to be cancelled while it runs
    filter = "Q(Q('name', 'like', '%x%'))"
    started = threading.Event()
    browser = session.browser(ITEM)
    original = browser.count

    def slow_count(flt, cancel):
        started.set()
        while not cancel.is_set():
            time.sleep(0.01)
        return original(flt, cancel)
    monkeypatch.setattr(browser, "count", slow_count)
    thread = threading.Thread(target=lambda: result.update(session.handle({"op": "count", "model": ITEM, "filter": filter, "token": "c1"})))
    thread.start()
    assert started.wait(5)
    assert ask(session, op="cancel", token="c1")["cancelled"] is True
    thread.join(5)
    assert result == {"ok": True, "count": None, "cancelled": True}


def test_create_runs_before_handlers_and_lists_what_it_fired_including_async(session):
    answer = ask(session, op="create", model=ITEM, row={"name": "a", "qty": 2})
    assert answer["row"]["note"] == "filled by Fill"  # the Before handler filled it
    assert answer["request"].startswith("ide-") and answer["events"] is True
    assert [r["event"] for r in answer["fired"]][:1] == ["events.Fill"]
    assert answer["settled"] is False  # the async execution is told as it finishes
    deadline = time.monotonic() + 20
    while not any(settled for _r, _records, settled in session.told) and time.monotonic() < deadline:
        time.sleep(0.05)
    request, records, settled = session.told[-1]
    assert request == answer["request"] and settled
    audit = [r for r in records if r["event"] == "events.Audit"]
    assert audit and audit[0]["isAsync"] and audit[0]["status"] == "success"


def test_a_refused_update_keeps_the_row_and_says_why(session):
    row = ask(session, op="create", model=ITEM, row={"name": "a", "qty": 2})["row"]
    answer = ask(session, op="update", model=ITEM, pk=row["id"], changes={"qty": -4})
    assert "qty may not be negative" in answer["refused"]["error"] and answer["refused"]["kind"] == "app"
    assert answer["row"]["qty"] == 2
    [refuse] = [r for r in answer["fired"] if r["event"] == "events.Refuse"]
    assert refuse["status"] == "fail" and "qty may not be negative" in refuse["error"]
    ok = ask(session, op="update", model=ITEM, pk=row["id"], changes={"qty": 9})
    assert "refused" not in ok and ok["row"]["qty"] == 9


def test_a_row_the_database_refuses_gets_the_databases_message_without_the_sql(session):
    ask(session, op="create", model=ITEM, row={"name": "a", "code": "A-1"})
    answer = ask(session, op="import", model=ITEM, rows=[{"name": "b", "code": "A-1"}, {"name": "c", "code": "C-1"}])
    assert answer["created"] == 1 and answer["firedCounts"] == {"success": 2}  # Fill ran for both; one insert failed
    [refused] = answer["refused"]
    assert refused["kind"] == "app" and "[SQL:" not in refused["error"]
    assert "unique" in refused["error"].lower() and "code" in refused["error"]


def test_writes_with_events_off_fire_nothing(session):
    answer = ask(session, op="create", model=ITEM, row={"name": "quiet", "qty": 1}, events=False)
    assert answer["events"] is False and answer["fired"] == [] and answer["row"]["note"] is None


def test_delete_many_and_import_report_each_refused_row(session):
    answer = ask(session, op="import", model=ITEM, rows=[{"name": "a", "qty": 1}, {"name": "b", "qty": "many"},
                                                       {"nope": 1}, {"name": "d", "qty": 4}], start=10)
    assert answer["created"] == 2
    assert [r["index"] for r in answer["refused"]] == [11, 12]
    assert "'many' is not a whole number" in answer["refused"][0]["error"]
    assert "has no field 'nope'" in answer["refused"][1]["error"]
    ids = [r["id"] for r in every_page(session)]
    deleted = ask(session, op="delete", model=ITEM, pks=[ids[0], 999])
    assert deleted["deleted"] == [ids[0]] and deleted["refused"][0]["pk"] == 999
    assert ask(session, op="count", model=ITEM)["count"] == 1


def test_the_session_process_speaks_json_lines_and_keeps_app_prints_out_of_them(tmp_path):
    app = make_app(tmp_path / "app", models={"Item": FIELDS}, events={
        "Noisy": ({**SPEC, "operate": "AddAfter"}, "def customFunc(eventOutData):\n    print('{\"id\": 1, \"ok\": false}')\n"),
    })
    proc = subprocess.Popen([sys.executable, "-m", "jitstudio", "data", str(app), "session"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def answer(request: dict) -> dict:
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        while True:
            message = json.loads(proc.stdout.readline())
            if message.get("id") == request.get("id"):
                return message

    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["notice"] == "ready" and ITEM in ready["models"]
        assert answer({"id": 1, "op": "create", "model": ITEM, "row": {"name": "a"}})["row"]["name"] == "a"
        assert answer({"id": 2, "op": "page", "model": ITEM})["rows"][0]["name"] == "a"
        assert answer({"id": 3, "op": "nope"}) == {"id": 3, "ok": False, "kind": "user", "error": "unknown operation 'nope'"}
        assert answer({"id": 4, "x": 1})["error"] == "unknown operation None"
        proc.stdin.write("not json\n")
        proc.stdin.close()
        rest = [json.loads(line) for line in proc.stdout.read().splitlines()]
        assert any("not a request" in m.get("error", "") for m in rest)
        assert proc.wait(60) == 0
        assert '{"id": 1, "ok": false}' in proc.stderr.read()
    finally:
        proc.kill()
