"""The record store on real SQLite files and a real PostgreSQL server: writing, reading, links, chart data,
the reference's getEventLog, messages, deletion and pruning."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from jitstudio.runtime.records.schema import now_us, records_table
from jitstudio.runtime.records import Cursor, Filters, RecordStore, records_url_for

from _records_support import BACKENDS, make_store, synthetic_row

HOUR = 3_600_000_000
DAY = 24 * HOUR


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    yield from make_store(request.param, tmp_path)


def test_default_store_is_a_wal_sqlite_file_in_the_app_state_folder(tmp_path):
    with RecordStore(app_dir=tmp_path) as store:
        store.begin(event="events.A", input={})
        assert (tmp_path / ".jitstudio" / "records.db").is_file()
        with store._db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_records_url_keeps_sqlite_records_apart_and_server_records_with_the_data(tmp_path):
    assert records_url_for(tmp_path, None).endswith("/.jitstudio/records.db")
    assert records_url_for(tmp_path, "sqlite:////elsewhere/data.db").endswith("/.jitstudio/records.db")
    pg = "postgresql+psycopg://u@h/db"
    assert records_url_for(tmp_path, pg) == pg


def test_begin_then_finish_round_trips_every_column(store):
    parent = store.begin(event="events.Parent", event_type="events.ModelType", sender="models.Order",
                         operate="AddAfter", input={"when": datetime(2025, 1, 2, tzinfo=timezone.utc)},
                         request_id="req-1")
    running = store.get(parent)
    assert running.status == "running" and running.ended_at is None and running.duration_ms is None
    assert running.root_id == parent and running.chain == ["events.Parent"]
    child = store.begin(event="events.Child", input=[1, 2], parent_id=parent, attempt=2, is_async=True,
                        chain=["events.Parent", "events.Child"], request_id="req-1")
    frames = [{"file": "events/Child/inner.py", "line": 3, "function": "customFunc", "code": "x()", "in_app": True}]
    store.finish(child, status="fail", error="ValueError: no", traceback=frames,
                 steps=[{"kind": "statement", "line": 3}])
    store.finish(parent, status="success", output={"ok": True})

    got = store.get(child)
    assert (got.event, got.status, got.error, got.parent_id, got.root_id) == \
        ("events.Child", "fail", "ValueError: no", parent, parent)
    assert got.input == [1, 2] and got.traceback == frames and got.steps == [{"kind": "statement", "line": 3}]
    assert got.attempt == 2 and got.is_async is True and got.chain == ["events.Parent", "events.Child"]
    assert got.ended_at >= got.started_at and got.duration_ms >= 0
    top = store.get(parent)
    assert top.input == {"when": "2025-01-02T00:00:00+00:00"} and top.output == {"ok": True}
    as_json = top.to_json()
    assert {"id", "event", "status", "startedAt", "durationMs", "input", "output", "error", "steps"} <= set(as_json)
    assert as_json["startedAt"].endswith("Z") and as_json["rootId"] == parent

    assert [r.id for r in store.children(parent)] == [child]
    assert [r.id for r in store.by_request("req-1")] == [parent, child]
    rerun = store.begin(event="events.Child", input=[1, 2], rerun_of=child)
    assert [r.id for r in store.reruns(child)] == [rerun]


def test_finish_rejects_unknown_records_and_statuses(store):
    record = store.begin(event="events.A", input=None)
    with pytest.raises(ValueError):
        store.finish(record, status="running")
    with pytest.raises(KeyError):
        store.finish(record + 1000, status="success")
    with pytest.raises(KeyError):
        store.get(record + 1000)


def test_page_filters_and_cursor(store):
    base = now_us() - DAY
    rows = [synthetic_row(i, started_us=base + i * 1000, event=f"events.E{i % 3}",
                          status="fail" if i % 4 == 0 else "success",
                          error="KeyError: 'Price'" if i % 4 == 0 else None) for i in range(40)]
    store.insert_many(rows)
    first = store.page(event="events.E1", limit=5)
    assert len(first.records) == 5 and first.next_cursor == first.records[-1].cursor
    second = store.page(event="events.E1", limit=5, after=first.next_cursor)
    starts = [r.started_us for r in first.records + second.records]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) == 10
    assert all(r.event == "events.E1" for r in first.records + second.records)
    fails = store.page(status="fail", text="price", limit=100)
    assert len(fails.records) == 10 and fails.next_cursor is None
    window = store.page(since=(base + 10_000) / 1e6, until=(base + 20_000) / 1e6, limit=100)
    assert [r.started_us - base for r in window.records] == [i * 1000 for i in range(19, 9, -1)]
    picked = store.get_many([first.records[1].id, first.records[0].id, 10**9], full=False)
    assert [r.id for r in picked] == [first.records[0].id, first.records[1].id] and picked[0].input is None
    assert store.get_many([]) == [] and store.get_many([first.records[0].id])[0].input == first.records[0].input
    summary = store.page(limit=1, full=False).records[0]
    assert summary.input is None and summary.steps is None and summary.event == "events.E0"
    newer = store.page(newer_than=Cursor(base + 37_000, 10**9))
    assert [r.started_us - base for r in newer.records] == [39_000, 38_000]
    assert store.count() == 40 and store.count(event="events.E1", status="fail") == 3
    assert store.count(text="PRICE") == 10 and store.count(text="%") == 0
    assert store.latest_started_us() == base + 39_000
    assert store.failures_by_event() == {"events.E0": 4, "events.E1": 3, "events.E2": 3}
    with pytest.raises(ValueError):
        store.page(status="broken")


def test_cursor_token_round_trip():
    cursor = Cursor(1_700_000_000_123_456, 42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_count_returns_none_when_cancelled_before_it_starts(store):
    store.insert_many(synthetic_row(i, started_us=1_000 + i) for i in range(10))
    cancel = threading.Event()
    cancel.set()
    assert store.count(cancel=cancel) is None
    assert store.count(cancel=threading.Event()) == 10


class _SetAfterFirstLook(threading.Event):
    """A cancel flag that is clear when first looked at and set from then on: the count starts, then is
    cancelled while it runs."""

    def __init__(self):
        super().__init__()
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > 1


def test_sqlite_count_is_interrupted_while_running(tmp_path):
    with RecordStore(app_dir=tmp_path) as store:
        store.insert_many(synthetic_row(i, started_us=1_000 + i) for i in range(20_000))
        cancel = _SetAfterFirstLook()
        assert store.count(text="nothing like this", cancel=cancel) is None
        assert cancel.looks > 1
        assert store.count(text="nothing like this") == 0


@pytest.mark.postgres
def test_postgres_count_is_cancelled_while_it_waits(tmp_path):
    for url in __import__("_records_support").fresh_pg_database():
        with RecordStore(url) as store:
            store.insert_many(synthetic_row(i, started_us=1_000 + i) for i in range(100))
            blocker = store._db.engine.connect()
            trans = blocker.begin()
            blocker.exec_driver_sql("LOCK TABLE execution_records IN ACCESS EXCLUSIVE MODE")
            cancel = threading.Event()
            timer = threading.Timer(0.3, cancel.set)
            timer.start()
            try:
                assert store.count(cancel=cancel) is None
            finally:
                trans.rollback()
                blocker.close()
                timer.join()
            assert store.count(cancel=threading.Event()) == 100


def test_histogram_and_percentiles(store):
    base = 1_700_000_000_000_000
    rows = []
    for i in range(100):
        status = "fail" if i % 10 == 0 else "success"
        rows.append(synthetic_row(i, started_us=base + i * 1_000_000, status=status, duration_ms=float(i + 1)))
    rows.append(synthetic_row(100, started_us=base + 99_500_000, status="running"))
    store.insert_many(rows)
    buckets = store.histogram(Filters(since=base / 1e6, until=(base + 100_000_000) / 1e6), buckets=10)
    assert len(buckets) == 10 and all(b.end_us - b.start_us == 10_000_000 for b in buckets)
    assert [b.counts.get("fail", 0) for b in buckets] == [1] * 10
    assert [b.counts.get("success", 0) for b in buckets] == [9] * 10
    assert buckets[-1].counts["running"] == 1 and sum(b.total for b in buckets) == 101
    spanned = store.histogram(Filters(status="fail"), buckets=3)
    assert sum(b.total for b in spanned) == 10 and spanned[0].start_us == base
    assert store.histogram(Filters(event="events.None"), buckets=5) == []
    # one run: its span is a microsecond, but the chart spans seconds and the run is in the last bucket
    alone = store.histogram(Filters(status="running"), buckets=60)
    assert all(b.end_us - b.start_us == 1_000_000 for b in alone) and alone[-1].counts == {"running": 1}

    p = store.duration_percentiles()
    assert (p.p50, p.p95, p.count, p.sampled) == (50.0, 95.0, 100, False)
    assert store.duration_percentiles(Filters(status="fail")).p50 == 41.0
    sampled = store.duration_percentiles(sample=10)
    assert sampled.sampled and sampled.count == 10 and sampled.p95 == 100.0
    assert store.duration_percentiles(Filters(event="events.None")).p50 is None


def test_event_log_matches_the_reference_shape(store):
    base = 1_700_000_000_000_000
    store.insert_many(synthetic_row(i, started_us=base + i * 1_000_000, event="events.Log",
                                    status="fail" if i < 5 else "success") for i in range(25))
    log = store.event_log("events.Log", page=2, pageSize=10)
    assert log["totalCount"] == 25 and len(log["rowDatas"]) == 10
    assert log["rowDatas"][0]["startedAt"] == datetime.fromtimestamp((base + 14_000_000) / 1e6, timezone.utc) \
        .isoformat(timespec="microseconds").replace("+00:00", "Z")
    failed = store.event_log("events.Log", status="fail", startTime="2023-11-14 22:13:21+00:00",
                             endTime=datetime.fromtimestamp((base + 4_000_000) / 1e6, timezone.utc))
    assert failed["totalCount"] == 3 and [r["input"]["i"] for r in failed["rowDatas"]] == [3, 2, 1]
    assert store.event_log("events.Log", status="waiting") == {"totalCount": 0, "rowDatas": []}


def test_messages_are_tailed_in_order(store):
    first = store.add_message("Stock low", "Only 2 left", ["u1", "u2"], level="warning", source="events.Stock")
    second = store.add_message("Done", None)
    assert [m.id for m in store.messages()] == [first, second]
    tail = store.messages(after_id=first)
    assert [(m.title, m.content, m.receivers, m.level) for m in tail] == [("Done", "", [], "info")]
    assert store.messages()[0].to_json()["receivers"] == ["u1", "u2"]


def test_delete_and_prune_by_age_and_count(store):
    now = now_us()
    old = [synthetic_row(i, started_us=now - 40 * DAY + i) for i in range(30)]
    recent = [synthetic_row(100 + i, started_us=now - HOUR + i * 1000) for i in range(50)]
    store.insert_many(old + recent)
    assert store.prune(max_age_days=30, batch=7) == 30
    assert store.count() == 50
    assert store.prune(max_count=20, batch=3) == 30
    kept = store.page(limit=100).records
    assert [r.input["i"] for r in kept] == list(range(149, 129, -1))
    assert store.prune(max_age_days=None, max_count=None) == 0
    assert store.delete([kept[0].id, kept[1].id, 10**9]) == 2
    assert store.count() == 18
    assert store.prune(max_count=0) == 18 and store.count() == 0


def test_prune_keeps_the_newest_when_times_tie(store):
    store.insert_many(synthetic_row(i, started_us=5_000) for i in range(12))
    assert store.prune(max_count=5, batch=2) == 7
    with store._db.read() as conn:
        ids = sorted(conn.execute(select(records_table.c.id)).scalars())
    assert len(ids) == 5 and ids == sorted(ids) and ids[0] > 7 - 1


def test_prune_for_app_uses_app_json_settings(tmp_path):
    from jitstudio.project.schemas.elements import AppSpec

    app = AppSpec.model_validate({"name": "shop", "runtime": {"records": {"maxAgeDays": 1, "maxCount": 3}}})
    with RecordStore(app_dir=tmp_path) as store:
        now = now_us()
        store.insert_many([synthetic_row(i, started_us=now - 2 * DAY) for i in range(4)]
                          + [synthetic_row(9 + i, started_us=now - i) for i in range(5)])
        assert store.prune_for_app(app) == 6 and store.count() == 3
