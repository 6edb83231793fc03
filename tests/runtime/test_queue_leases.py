"""The embedded outbox's leases: small claims, each row finished on its own, expired leases taken over by
any process on any host, and `drain` waiting only for what this process queued."""
from __future__ import annotations

import time
from contextlib import nullcontext

import pytest
from sqlalchemy import MetaData, select, update

from _runtime_support import QueueRecords
from jitstudio.runtime.data.db import make_engine
from jitstudio.runtime.data.tables import internal_tables
from jitstudio.runtime.events.queue import CLAIM, Outbox, OutboxWorker


@pytest.fixture
def make_outbox(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    table = internal_tables(MetaData())["outbox"]
    table.metadata.create_all(engine)
    yield lambda lease=30.0: Outbox(engine, table, lease=lease)
    engine.dispose()


def rows(outbox: Outbox) -> list:
    with outbox.engine.connect() as conn:
        return conn.execute(select(outbox.table).order_by(outbox.table.c.id)).all()


def test_a_claim_takes_a_few_rows_and_a_second_claimer_gets_the_rest(make_outbox):
    first, second = make_outbox(), make_outbox()
    for n in range(3 * CLAIM):
        first.enqueue("events.E", "normal", {"n": n})
    _, mine = first.claim(CLAIM)
    _, theirs = second.claim(100)
    assert len(mine) == CLAIM and len(theirs) == 2 * CLAIM
    assert not {r.id for r in mine} & {r.id for r in theirs}


def test_each_row_is_finished_on_its_own_so_a_crash_reruns_only_what_had_not_finished(make_outbox):
    outbox = make_outbox(lease=0.2)
    for n in range(CLAIM):
        outbox.enqueue("events.E", "normal", {"n": n})
    ran: list[int] = []

    records = QueueRecords()

    def run_item(name, payload, attempt, job):
        if len(ran) == 2:
            raise KeyboardInterrupt  # the process "dies" while running the third row
        ran.append(attempt)
        records.ran(job)
        return None

    with pytest.raises(KeyboardInterrupt):
        OutboxWorker(outbox, run_item, nullcontext, records).run_batch()
    assert len(rows(outbox)) == CLAIM - 2
    time.sleep(0.3)  # the dead claim's lease runs out
    again: list[int] = []
    other = make_outbox(lease=0.2)
    OutboxWorker(other, lambda n, p, attempt, j: again.append(attempt), nullcontext, records).run_batch()
    assert again == [2, 2]  # the row that was running and the one not started yet, each counted once more
    assert rows(other) == []


def test_a_row_whose_record_committed_is_not_run_again_when_its_delete_was_lost(make_outbox):
    outbox = make_outbox(lease=0.2)
    outbox.enqueue("events.E", "normal", {})
    records, ran = QueueRecords(), []

    def run_item(name, payload, attempt, job):
        ran.append(attempt)
        records.ran(job)

    real_done = outbox.done
    outbox.done = lambda *a: (_ for _ in ()).throw(KeyboardInterrupt())  # killed after the record's commit
    with pytest.raises(KeyboardInterrupt):
        OutboxWorker(outbox, run_item, nullcontext, records).run_batch()
    outbox.done = real_done
    time.sleep(0.3)
    OutboxWorker(make_outbox(lease=0.2), run_item, nullcontext, records).run_batch()
    assert ran == [1] and rows(outbox) == [] and records.abandoned == []


def test_a_row_under_a_live_lease_elsewhere_is_not_taken_and_drain_does_not_wait_for_it(make_outbox):
    here, elsewhere = make_outbox(), make_outbox()
    here.enqueue("events.E", "normal", {})
    _, taken = elsewhere.claim(1)
    assert len(taken) == 1
    worker = OutboxWorker(here, lambda *a: pytest.fail("ran a row another process holds"), nullcontext, QueueRecords())
    started = time.monotonic()
    assert worker.drain(5)
    assert time.monotonic() - started < 1
    assert len(rows(here)) == 1


def test_an_expired_lease_from_another_host_with_the_same_pid_is_taken_over(make_outbox):
    outbox = make_outbox()
    outbox.enqueue("events.E", "normal", {})
    with outbox.engine.begin() as conn:  # as a container that restarted as PID 1 on a new hostname leaves it
        conn.execute(update(outbox.table).values(status="running", claimed_by="old-container:1:abcd:ef",
                                                 attempt=1, available_at=time.time() - 1))
    ran: list[tuple[int, str]] = []
    assert OutboxWorker(outbox, lambda n, p, attempt, job: ran.append((attempt, job)), nullcontext, QueueRecords()).drain(5)
    assert ran and ran[0][0] == 2 and ran[0][1].startswith("outbox:")
    assert rows(outbox) == []


def test_a_long_run_keeps_its_lease(make_outbox):
    outbox, rival = make_outbox(lease=0.3), make_outbox(lease=0.3)
    outbox.enqueue("events.Slow", "normal", {})
    stolen: list = []

    def slow(name, payload, attempt, job):
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            stolen.extend(rival.claim(1)[1])
            time.sleep(0.05)

    OutboxWorker(outbox, slow, nullcontext, QueueRecords()).run_batch()
    assert stolen == [] and rows(outbox) == []


def test_a_command_that_queuednullcontext_does_not_drain(make_outbox):
    writer, reader = make_outbox(), make_outbox()
    writer.enqueue("events.E", "normal", {})
    assert OutboxWorker(reader, lambda *a: pytest.fail("a reader ran queued work"), nullcontext, QueueRecords()).drain(5)
    assert len(rows(writer)) == 1
