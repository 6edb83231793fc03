"""Async events as procrastinate jobs on PostgreSQL: deferred inside the write's transaction, the job id and
attempt on the execution record, the event's retries and backoff as procrastinate retries."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from _runtime_support import make_app, pg_schema_url, pg_unavailable, records_of
from jitstudio.runtime import Runtime

pytestmark = pytest.mark.skipif(pg_unavailable() is not None, reason=pg_unavailable() or "")

MODELS = {"Item": 'name = datatypes.Stext(name="name")'}
FLAKY = """
def customFunc(eventOutData):
    if eventOutData.postData.name.value == "flaky" and app.getElement("models.Item").count() < 2:
        app.getElement("models.Item").create({"name": "marker"})
        raise ValueError("not yet")
    return eventOutData.postData.id.value
"""


@pytest.fixture
def app(tmp_path):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter", "funcType": "Inner",
            "asyncType": True, "retry": 2, "retryBackoffSeconds": 0.01}
    return make_app(tmp_path / "app", models=MODELS, events={"See": ({**spec, "filter": "Q(Q('name', '!=', 'marker'))"}, FLAKY)})


def jobs(rt: Runtime) -> list:
    with rt.engine.connect() as conn:
        return conn.execute(text("SELECT id, task_name, queue_name, status FROM procrastinate_jobs ORDER BY id")).all()


def test_a_rolled_back_write_leaves_no_job_and_a_committed_one_leaves_exactly_one(app):
    with Runtime(app, pg_schema_url(), async_worker=False) as rt:
        assert rt.queue_kind == "procrastinate"
        with pytest.raises(RuntimeError):
            with rt.transaction():
                rt.app.models.Item.create({"name": "gone"})
                raise RuntimeError("roll back")
        assert jobs(rt) == []
        with rt.transaction():
            rt.app.models.Item.create({"name": "kept"})
            assert rt.pending_async() == 0  # other connections do not see the job before commit
        [job] = jobs(rt)
        assert (job.task_name, job.queue_name, job.status) == ("jitstudio.app.event", "jitstudio.app", "todo")
        assert rt.drain(30)
        [record] = records_of(rt, "events.See")
        assert (record.status, record.job_id, record.attempt) == ("success", f"procrastinate:{job.id}", 1)


def test_a_failed_run_is_retried_with_the_events_backoff_on_the_same_job(app):
    with Runtime(app, pg_schema_url(), async_worker=False) as rt:
        rt.app.models.Item.create({"name": "flaky"})
        assert rt.drain(30)
        runs = sorted(records_of(rt, "events.See"), key=lambda r: r.attempt)
        assert [(r.status, r.attempt) for r in runs] == [("fail", 1), ("success", 2)]
        assert runs[0].job_id == runs[1].job_id
        assert "not yet" in runs[0].error
        assert rt.pending_async() == 0
