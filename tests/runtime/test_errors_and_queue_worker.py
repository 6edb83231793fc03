"""One error root with user and app errors beneath it (the command line maps classes to exit statuses), and
the outbox worker: it runs whatever function it is handed, and a failing batch is logged and retried."""
from __future__ import annotations

import logging
import time
from contextlib import nullcontext

import pytest
from sqlalchemy import MetaData

from _runtime_support import QueueRecords
from jitstudio import errors
from jitstudio.cli._common import UsageError, run_action
from jitstudio.runtime import (
    DataError, DatabaseUrlError, DatatypeArgumentError, ElementNotFound, EventChainTooDeep, HandlerError,
    HandlerTimeout, MigrationError, NotAnAppFolder, QueryError, Runtime,
)
from jitstudio.runtime.data import internal_tables, make_engine
from jitstudio.runtime.engines.ai import AgentError, AssistantError, ProviderError, ToolConfigError
from jitstudio.runtime.engines.approvals import ApprovalAborted, ApprovalDenied, WorkflowError
from jitstudio.runtime.events.queue import Outbox, OutboxWorker
from jitstudio.runtime.shims import Code

USER_ERRORS = {
    UsageError: ValueError, ElementNotFound: LookupError, QueryError: ValueError, DatabaseUrlError: ValueError,
    MigrationError: RuntimeError, NotAnAppFolder: FileNotFoundError,
}
APP_ERRORS = {
    DataError: ValueError, HandlerError: LookupError, DatatypeArgumentError: TypeError, EventChainTooDeep: RuntimeError,
    HandlerTimeout: TimeoutError, WorkflowError: Exception, ApprovalDenied: WorkflowError, ApprovalAborted: WorkflowError,
    AgentError: Exception, AssistantError: Exception, ProviderError: Exception, ToolConfigError: ValueError, Code: Exception,
}


@pytest.mark.parametrize("cls, builtin", USER_ERRORS.items(), ids=lambda c: getattr(c, "__name__", ""))
def test_user_errors_exit_2_and_keep_the_builtin_base_callers_catch(cls, builtin):
    assert issubclass(cls, errors.UserError) and issubclass(cls, builtin)
    assert errors.exit_status(_instance(cls)) == 2


@pytest.mark.parametrize("cls, builtin", APP_ERRORS.items(), ids=lambda c: getattr(c, "__name__", ""))
def test_app_errors_exit_1_and_keep_the_builtin_base_callers_catch(cls, builtin):
    assert issubclass(cls, errors.AppError) and issubclass(cls, builtin)
    assert errors.exit_status(_instance(cls)) == 1


def _instance(cls):
    return cls("x", "events.X") if cls is ApprovalAborted else cls("x")


class _ClosedRuntime:
    def __init__(self):
        self.drained = self.closed = False

    def drain(self):
        self.drained = True

    def close(self):
        self.closed = True


@pytest.mark.parametrize("raised, status, shown", [
    (errors.UserError("no such thing"), 2, "jitstudio: no such thing"),
    (ElementNotFound("no model 'models.X'"), 2, "jitstudio: no model 'models.X'"),
    (errors.AppError("refused"), 1, "jitstudio: described refused"),
    (ValueError("a handler's own error"), 1, "jitstudio: described a handler's own error"),
])
def test_a_command_exits_by_the_class_of_its_error(capsys, raised, status, shown):
    runtime = _ClosedRuntime()

    def action(_rt):
        raise raised

    assert run_action(runtime, action, lambda exc: f"described {exc}") == status
    assert capsys.readouterr().err.strip() == shown
    assert runtime.drained and runtime.closed


def test_opening_a_folder_without_app_json_is_a_user_error(tmp_path):
    with pytest.raises(NotAnAppFolder, match="has no app.json"):
        Runtime(tmp_path)


@pytest.fixture
def outbox(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    table = internal_tables(MetaData())["outbox"]
    table.metadata.create_all(engine)
    yield Outbox(engine, table)
    engine.dispose()


def test_the_worker_runs_whatever_it_is_handed_and_retries_when_asked(outbox):
    runs: list[tuple[str, str, int]] = []

    def run_item(name: str, payload: str, attempt: int, job_id: str | None) -> float | None:
        runs.append((name, payload, attempt))
        return 0.0 if name == "events.Flaky" and attempt == 1 else None

    for name in ("events.A", "events.Flaky", "events.B"):
        outbox.enqueue(name, "normal", {"args": [name]})
    worker = OutboxWorker(outbox, run_item, nullcontext, QueueRecords())
    assert worker.drain(5)
    assert [(name, attempt) for name, _payload, attempt in runs] == [
        ("events.A", 1), ("events.Flaky", 1), ("events.B", 1), ("events.Flaky", 2)]
    assert outbox.pending() == 0


def test_a_failing_batch_is_logged_with_its_traceback_and_the_worker_keeps_going(outbox, caplog):
    ran: list[str] = []
    real_claim, failures = outbox.claim, []

    def claim(limit, conn=None):
        if not failures:
            failures.append(1)
            raise OSError("disk I/O error")
        return real_claim(limit, conn)

    outbox.claim = claim
    worker = OutboxWorker(outbox, lambda name, payload, attempt, job: ran.append(name), nullcontext, QueueRecords())
    with caplog.at_level(logging.ERROR, logger="jitstudio.runtime.events.queue.worker"):
        worker.start()
        try:
            outbox.enqueue("events.After", "normal", {})
            deadline = time.monotonic() + 10
            while not ran and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            worker.stop()
    assert ran == ["events.After"]
    [record] = [r for r in caplog.records if "running queued async events failed" in r.getMessage()]
    assert record.exc_info is not None and "disk I/O error" in str(record.exc_info[1])

