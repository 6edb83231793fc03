"""Two `jitstudio serve` processes take writes over HTTP and two `jitstudio worker` processes drain the async
events they cause; one worker is killed with SIGKILL mid-job and the other picks up its work within the
stated time. Every event runs at least once, duplicates only for what was in flight, one execution record
per job attempt, and the killed attempt's record says it was abandoned. Embedded outbox on SQLite (leases;
its serve processes run events too) and procrastinate on PostgreSQL (heartbeats; only workers run them)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from _runtime_support import db_url, make_app  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import Runtime
from jitstudio.runtime.events.queue.jobs import HEARTBEAT_SECONDS, STALLED_AFTER_SECONDS

MODELS = {"Item": 'name = datatypes.Stext(name="name")', "Seen": 'itemId = datatypes.Numeric(name="itemId", decimal=0)'}
SEE = """
import time

def customFunc(eventOutData):
    time.sleep(0.05)
    app.getElement("models.Seen").create({"itemId": eventOutData.postData.id.value})
"""
EVENTS = 60
CONCURRENCY = 2
LEASE = 2.0
# Stated pick-up times: the outbox lease; procrastinate's heartbeat timeout plus its 5 s recovery period.
PICKUP = {"outbox": LEASE + 1.0, "procrastinate": STALLED_AFTER_SECONDS + 5 + HEARTBEAT_SECONDS}

pytestmark = pytest.mark.slow


def start(env, *args: str) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "jitstudio", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    first = json.loads(proc.stdout.readline() or "{}")
    assert first.get("event") in ("worker", "listening"), proc.stderr.read()
    return proc, first


def create_items(urls: list[str], token: str) -> None:
    """The items, half through each server, eight requests at a time."""
    def create(n: int) -> None:
        answer = httpx.post(f"{urls[n % len(urls)]}/api/local/app/models/Item/create", json={"rowData": {"name": f"i{n}"}},
                            headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        assert answer["errcode"] == 0, answer

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(create, range(EVENTS)))


def seen(rt: Runtime) -> list[int]:
    return [r["itemId"] for r in rt.app.models.Seen.query(size=None)["rowDatas"]]


def test_a_worker_killed_mid_job_loses_nothing_and_the_other_takes_over(tmp_path, db_url):
    spec = {"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter", "funcType": "Inner",
            "asyncType": True}
    app = make_app(tmp_path / "app", models=MODELS, events={"See": (spec, SEE)})
    env = {**os.environ, "JITSTUDIO_QUEUE_LEASE_SECONDS": str(LEASE)}
    env.pop("JITSTUDIO_DB_URL", None)
    if db_url:
        env["JITSTUDIO_DB_URL"] = db_url
    made = subprocess.run([sys.executable, "-m", "jitstudio", "token", "create", str(app), "loader"],
                          capture_output=True, text=True, env=env, timeout=60)
    token = json.loads(made.stdout)["token"]
    with Runtime(app, db_url, async_worker=False) as rt:
        kind = rt.queue_kind
        servers = [start(env, "serve", str(app), "--port", "0") for _ in range(2)]
        workers = [start(env, "worker", str(app), "--concurrency", str(CONCURRENCY))[0] for _ in range(2)]
        try:
            create_items([first["url"] for _, first in servers], token)
            deadline = time.monotonic() + 60
            while len(seen(rt)) < EVENTS // 4 and time.monotonic() < deadline:
                time.sleep(0.02)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(10)
            killed_at = time.monotonic()
            deadline = killed_at + 90
            while (rt.pending_async() or len(set(seen(rt))) < EVENTS) and time.monotonic() < deadline:
                time.sleep(0.1)
            drained_after = time.monotonic() - killed_at
        finally:
            for proc in [*workers, *(p for p, _ in servers)]:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            outputs = [proc.communicate(timeout=60) for proc in workers]
            for proc, _ in servers:
                proc.communicate(timeout=60)
        assert workers[1].returncode == 0, outputs[1][1]
        assert json.loads(outputs[1][0].splitlines()[-1])["event"] == "stopped"

        runs = Counter(seen(rt))
        assert set(runs) == set(range(1, EVENTS + 1)), "an event was lost"
        duplicated = [item for item, count in runs.items() if count > 1]
        assert len(duplicated) <= CONCURRENCY, f"only what was in flight may run twice: {duplicated}"
        assert rt.pending_async() == 0
        # the other worker ran the killed one's work within the stated time (and the rest of the queue)
        assert drained_after < PICKUP[kind] + EVENTS * 0.05, (kind, drained_after)

        rt.records.flush()
        records = [r for r in rt.records.page(event="events.See", limit=1000).records]
        attempts = Counter((r.job_id, r.attempt) for r in records)
        assert all(r.job_id and r.job_id.startswith(f"{kind}:") for r in records)
        assert max(attempts.values()) == 1, "two records for one job attempt"
        assert not [r for r in records if r.status == "running"], sorted((r.job_id, r.attempt, r.status, r.error) for r in records if r.job_id in {x.job_id for x in records if x.status != "success"})
        assert {r.job_id for r in records if r.status == "success"} >= {r.job_id for r in records}
        abandoned = [r for r in records if r.status == "fail"]
        assert all("Abandoned" in (r.error or "") for r in abandoned)
