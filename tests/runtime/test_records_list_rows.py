"""The record browser's light read: `page_rows` returns exactly the rows and cursors of `page`, as tuples."""
from __future__ import annotations

import pytest

from jitstudio.runtime.records.query import LIST_COLUMNS
from _records_support import BACKENDS, make_store, synthetic_row

BASE = 1_700_000_000_000_000


@pytest.fixture(params=BACKENDS, scope="module")
def store(request, tmp_path_factory):
    for store in make_store(request.param, tmp_path_factory.mktemp("list_rows")):
        rows = [synthetic_row(i, started_us=BASE + (i // 3) * 1000, event=f"events.E{i % 4}",
                              status=("fail" if i % 5 == 0 else "success"),
                              error=("stock went below zero" if i % 5 == 0 else None)) for i in range(900)]
        store.insert_many(rows)
        yield store


@pytest.mark.parametrize("filters", [
    {}, {"status": "fail"}, {"event": "events.E2"}, {"text": "below"},
    {"since": (BASE + 50_000) / 1e6, "until": (BASE + 250_000) / 1e6, "event": "events.E1"},
])
def test_page_rows_walks_the_same_pages_as_page(store, filters):
    after_full = after_light = None
    pages = 0
    while True:
        full = store.page(**filters, after=after_full, limit=70, full=False)
        light, after_light = store.page_rows(**filters, after=after_light, limit=70)
        assert [row[0] for row in light] == [record.id for record in full.records]
        index = {name: n for n, name in enumerate(LIST_COLUMNS)}
        for row, record in zip(light, full.records):
            assert row[index["status"]] == record.status and row[index["event"]] == record.event
            assert row[index["error"]] == record.error
        assert (after_light is None) == (full.next_cursor is None)
        pages += 1
        if full.next_cursor is None:
            break
        after_full = full.next_cursor
    assert pages >= 1
