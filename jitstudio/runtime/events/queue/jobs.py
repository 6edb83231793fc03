"""Async events as procrastinate jobs, for apps on PostgreSQL that run past one machine.

A job is deferred on the connection of the write that caused it, inside its transaction, so it exists
exactly when that write committed. `jitstudio worker` processes run the jobs (`FOR UPDATE SKIP LOCKED`
fetch, LISTEN/NOTIFY wake-up, heartbeats); a periodic task hands the jobs of a worker whose heartbeat
stopped back to the queue, and another prunes execution records as app.json says. A failed run with retries
left is retried by procrastinate after the event's backoff.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from contextlib import AbstractContextManager
from typing import Any, Callable

import procrastinate
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from procrastinate.schema import SchemaManager
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from .codec import dumps
from .store import queue_with_write
from .worker import JobRecords, RunItem

__all__ = ["JobQueue", "STALLED_AFTER_SECONDS", "install_schema"]

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2.0
STALLED_AFTER_SECONDS = 10.0
_RECOVERY_CRON = "* * * * * */5"  # every 5 seconds (croniter's sixth field is seconds)
_PRUNE_CRON = "17 * * * *"


class RetryLater(Exception):
    def __init__(self, delay: float):
        super().__init__(f"retry in {delay:g} s")
        self.delay = delay


class _AsTheEventSays(BaseRetryStrategy):
    """Retry exactly when the run asked to (the event's retry count and backoff), never on a crash."""

    def get_retry_decision(self, *, exception: BaseException, job: Any) -> RetryDecision | None:
        if isinstance(exception, RetryLater):
            return RetryDecision(retry_at=datetime.now(timezone.utc) + timedelta(seconds=max(exception.delay, 0.0)))
        return None


def install_schema(conn: Connection) -> bool:
    """Create procrastinate's tables and functions in the caller's transaction unless they exist; whether it
    did. The caller holds the schema lock."""
    if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
        return False
    schema = SchemaManager.get_schema()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(schema)
    finally:
        cursor.close()
    log.info("installed the job queue's schema")
    return True


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class JobQueue:
    kind = "procrastinate"

    def __init__(self, engine: Engine, url: str, app_name: str, run_item: RunItem,
                 context: Callable[[], AbstractContextManager], records: JobRecords, *,
                 prune: Callable[[], Any] | None = None):
        self.engine = engine
        self.queue = f"jitstudio.{app_name}"
        self._run_item = run_item
        self._context = context
        self._mine: set[int] = set()
        self._mine_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self.drains = True  # False in a server process: the workers run what it deferred
        conninfo = _conninfo(url)
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
        self.app.task(name=f"{self.queue}.event", queue=self.queue, pass_context=True, retry=_AsTheEventSays())(self._run)
        # Deferring runs on the writer's own (sync) connection; this app is never opened.
        deferrer = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo))
        self._event_task = deferrer.task(name=f"{self.queue}.event", queue=self.queue)(self._run)
        self._records = records
        self._declare_periodic(prune)

    def _declare_periodic(self, prune: Callable[[], Any] | None) -> None:
        manager = self.app.job_manager

        async def recover_stalled(timestamp: int) -> int:
            stalled = list(await manager.get_stalled_jobs(queue=self.queue, seconds_since_heartbeat=STALLED_AFTER_SECONDS))
            for job in stalled:
                await manager.retry_job(job)
                self._records.fail_job_attempts(f"procrastinate:{job.id}")
            await manager.prune_stalled_workers(seconds_since_heartbeat=STALLED_AFTER_SECONDS * 3)
            if stalled:
                log.warning("handed %d async event(s) of stopped workers back to the queue", len(stalled))
            return len(stalled)

        self.app.periodic(cron=_RECOVERY_CRON, periodic_id="recover")(self.app.task(
            name=f"{self.queue}.recover_stalled", queue=self.queue, queueing_lock=f"{self.queue}.recover")(recover_stalled))
        if prune is not None:
            def prune_records(timestamp: int) -> None:
                prune()

            self.app.periodic(cron=_PRUNE_CRON, periodic_id="prune")(self.app.task(
                name=f"{self.queue}.prune_records", queue=self.queue, queueing_lock=f"{self.queue}.prune")(prune_records))

    # -- adding ------------------------------------------------------------------------------------------

    def enqueue(self, event: str, kind: str, payload: dict) -> None:
        queue_with_write(self.engine, lambda conn: self._defer(conn, event, kind, payload), self._committed)

    def _defer(self, conn: Connection, event: str, kind: str, payload: dict) -> int:
        raw = conn.connection.dbapi_connection
        return self._event_task.configure(connection=raw).defer(event=event, kind=kind, payload=dumps(payload))

    def _committed(self, job_id: int) -> None:
        with self._mine_lock:
            self._mine.add(job_id)

    # -- running -----------------------------------------------------------------------------------------

    def _run(self, context: procrastinate.JobContext, event: str, kind: str, payload: str) -> None:
        job = context.job
        job_id = f"procrastinate:{job.id}"
        if job.attempts and self._records.job_succeeded(job_id):
            return  # it finished before its worker stopped; only procrastinate did not hear of it
        with self._context():
            again = self._run_item(event, payload, job.attempts + 1, job_id)
        # The record is committed before procrastinate marks the job done: a worker killed in between runs
        # it again as a new attempt instead of leaving a finished execution recorded as abandoned.
        self._records.flush()
        if again is not None:
            raise RetryLater(again)

    def _options(self, concurrency: int, **more: Any) -> dict[str, Any]:
        return dict(queues=[self.queue], concurrency=concurrency, update_heartbeat_interval=HEARTBEAT_SECONDS,
                    stalled_worker_timeout=STALLED_AFTER_SECONDS, delete_jobs="successful", **more)

    def run_worker(self, concurrency: int, *, graceful_timeout: float | None = None) -> None:
        """Run jobs until SIGINT/SIGTERM (called from the main thread): running jobs finish (up to
        `graceful_timeout` seconds), the rest stay queued."""
        async def work() -> None:
            async with self.app.open_async():
                await self.app.run_worker_async(**self._options(
                    concurrency, install_signal_handlers=True, shutdown_graceful_timeout=graceful_timeout))

        asyncio.run(work())

    def drain(self, timeout: float | None = None) -> bool:
        """Run the jobs this process deferred that are waiting (retries included); jobs another worker runs
        are its to finish. False on timeout."""
        if not self.drains:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            runner_here = self._thread is not None and self._thread.is_alive()
            due = self._mine_waiting(include_running=runner_here)
            if due is None:
                return True
            pause = max(due - time.time(), 0.01 if runner_here else 0.0)
            if deadline is not None and time.monotonic() + pause > deadline:
                return False
            if pause > 0:
                time.sleep(min(pause, 0.25))
                continue
            left = None if deadline is None else max(deadline - time.monotonic(), 0.01)
            if not self._run_until_caught_up(left):
                return False

    def _run_until_caught_up(self, timeout: float | None) -> bool:
        async def work() -> None:
            async with self.app.open_async():
                await self.app.run_worker_async(**self._options(
                    1, wait=False, install_signal_handlers=False, listen_notify=False))

        async def bounded() -> bool:
            try:
                await asyncio.wait_for(work(), timeout)
                return True
            except asyncio.TimeoutError:
                return False

        return asyncio.run(bounded())

    def _mine_waiting(self, include_running: bool = False) -> float | None:
        """When the earliest job this process deferred that is still waiting (or, `include_running`, running
        too) is due (epoch seconds)."""
        with self._mine_lock:
            ids = list(self._mine)
        if not ids:
            return None
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status, extract(epoch FROM scheduled_at) AS due "
                                     "FROM procrastinate_jobs WHERE id = ANY(:ids)"), {"ids": ids}).all()
        waiting = {r.id: r.due for r in rows if r.status == "todo" or (include_running and r.status == "doing")}
        open_ = {r.id for r in rows if r.status in ("todo", "doing")}
        with self._mine_lock:
            self._mine.intersection_update(open_)
        if not waiting:
            return None
        return min(float(d) if d is not None else 0.0 for d in waiting.values())

    def queued_here(self) -> bool:
        with self._mine_lock:
            return bool(self._mine)

    def pending(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE queue_name = :q "
                                     "AND task_name = :t AND status IN ('todo', 'doing')"),
                                {"q": self.queue, "t": f"{self.queue}.event"}).scalar_one()

    # -- a runner inside this process (the IDE, `jitstudio run`) ------------------------------------------

    def start(self, threads: int = 1) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        ready = threading.Event()

        def serve() -> None:
            async def main() -> None:
                self._loop = asyncio.get_running_loop()
                async with self.app.open_async():
                    self._task = asyncio.create_task(self.app.run_worker_async(**self._options(
                        threads, install_signal_handlers=False, shutdown_graceful_timeout=5.0)))
                    ready.set()
                    try:
                        await self._task
                    except asyncio.CancelledError:
                        pass

            try:
                asyncio.run(main())
            except Exception:  # noqa: BLE001 - the runner ends; the jobs stay queued for any worker
                log.exception("the in-process job runner stopped")
            finally:
                ready.set()

        self._thread = threading.Thread(target=serve, name="jitstudio-jobs", daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self, timeout: float = 5.0) -> bool:
        thread, loop, task = self._thread, self._loop, self._task
        if thread is None:
            return True
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout)
        self._thread = None
        return not thread.is_alive()
