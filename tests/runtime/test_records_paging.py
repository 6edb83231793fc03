"""Keyset paging returns exactly the filtered set, newest first, without duplicates, under every combination
of filters and with many equal start times; and every filtered page is served by an index in that order."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from jitstudio.runtime.records.schema import records_table
from jitstudio.runtime.records import RecordStore

from _records_support import BACKENDS, make_store, synthetic_row

BASE = 1_700_000_000_000_000
ERRORS = [None, "KeyError: 'price'", "ValueError: Price below zero", "RuntimeError: 100%_done"]

rows_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["events.A", "events.B", "events.C"]),
              st.sampled_from(["success", "fail", "running"]), st.sampled_from(ERRORS)),
    max_size=40)
filters_strategy = st.fixed_dictionaries({
    "event": st.none() | st.sampled_from(["events.A", "events.B", "events.Z"]),
    "status": st.none() | st.sampled_from(["success", "fail", "running"]),
    "since": st.none() | st.integers(0, 6),
    "until": st.none() | st.integers(0, 7),
    "text": st.none() | st.sampled_from(["price", "PRICE", "%_", "zero"]),
})


@pytest.fixture(params=BACKENDS, scope="module")
def store(request, tmp_path_factory):
    yield from make_store(request.param, tmp_path_factory.mktemp("paging"))


def _expected(rows, f) -> list[int]:
    def keep(r) -> bool:
        if f["event"] and r.event != f["event"]:
            return False
        if f["status"] and r.status != f["status"]:
            return False
        if f["since"] is not None and r.started_at < BASE + f["since"]:
            return False
        if f["until"] is not None and r.started_at >= BASE + f["until"]:
            return False
        return not f["text"] or f["text"].lower() in (r.error or "").lower()
    kept = sorted((r for r in rows if keep(r)), key=lambda r: (r.started_at, r.id), reverse=True)
    return [r.id for r in kept]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, f=filters_strategy, limit=st.integers(1, 7))
def test_paging_through_gives_exactly_the_filtered_set_newest_first(store, rows, f, limit):
    with store._db.write() as conn:
        conn.execute(delete(records_table))
    store.insert_many(synthetic_row(i, started_us=BASE + offset, event=event, status=status, error=error)
                      for i, (offset, event, status, error) in enumerate(rows))
    with store._db.read() as conn:
        stored = conn.execute(select(records_table)).all()
    expected = _expected(stored, f)
    query = {"event": f["event"], "status": f["status"], "text": f["text"],
             "since": None if f["since"] is None else (BASE + f["since"]) / 1e6,
             "until": None if f["until"] is None else (BASE + f["until"]) / 1e6}
    seen: list[int] = []
    cursor = None
    for _ in range(len(rows) + 2):
        page = store.page(**query, after=cursor, limit=limit)
        assert len(page.records) <= limit
        seen += [r.id for r in page.records]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
    assert store.count(**query) == len(expected)


FILTER_COMBOS = [
    {}, {"event": "events.A"}, {"status": "fail"}, {"event": "events.A", "status": "fail"},
    {"since": 1.0}, {"event": "events.A", "since": 1.0, "until": 2.0}, {"status": "fail", "until": 2.0},
    {"event": "events.A", "status": "fail", "since": 1.0, "until": 2.0},
]


@pytest.mark.parametrize("filters", FILTER_COMBOS, ids=lambda f: "+".join(f) or "none")
def test_sqlite_serves_every_filtered_page_from_an_index_in_order(tmp_path, filters):
    with RecordStore(app_dir=tmp_path) as store:
        store.insert_many(synthetic_row(i, started_us=BASE + i, event=f"events.{'AB'[i % 2]}") for i in range(200))
        with store._db.read() as conn:
            conn.exec_driver_sql("ANALYZE")
        first = store.page(limit=1).next_cursor
        plan = _sqlite_plan(store, filters, first)
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert "started_at<" in plan.replace(" ", ""), "the cursor must bound the index range: " + plan
    assert "TEMP B-TREE" not in plan, plan
    assert "SCAN execution_records\n" not in plan + "\n", plan


def _page_sql(store, filters, cursor) -> str:
    """The SQL of a deep page with these filters, values inlined (for EXPLAIN)."""
    from jitstudio.runtime.records import query as q
    from jitstudio.runtime.records.query import Filters

    f = Filters(**filters)
    stmt = q.page_statement(f.shape(), True, False, True).params(
        **f.params(), **q.cursor_params(cursor, None), n_rows=101)
    return str(stmt.compile(store._db.engine, compile_kwargs={"literal_binds": True}))


def _sqlite_plan(store, filters, cursor) -> str:
    with store._db.read() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {_page_sql(store, filters, cursor)}").all()
    return "\n".join(row[-1] for row in rows)


@pytest.mark.postgres
def test_postgres_serves_filtered_pages_from_an_index(tmp_path):
    for store in make_store("postgres", tmp_path):
        store.insert_many(synthetic_row(i, started_us=BASE + i, event=f"events.{'ABCDEFGHIJ'[i % 10]}",
                                        status=("success", "fail", "running")[i % 3]) for i in range(20_000))
        with store._db.write() as conn:
            conn.exec_driver_sql("ANALYZE execution_records")
        cursor = store.page(limit=1).next_cursor
        for filters in FILTER_COMBOS:
            with store._db.read() as conn:
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {_page_sql(store, filters, cursor)}"))
            assert "Index Scan Backward" in plan and "Sort" not in plan, (filters, plan)
            assert "Index Cond" in plan and "started_at <=" in plan, (filters, plan)
