"""Synthetic execution records for benchmarks and for testing the record browser at scale."""
from __future__ import annotations

import json
import random
from typing import Iterator

from .schema import now_us

ERRORS = [
    "ValueError: price must not be negative",
    "KeyError: 'customer'",
    "EventChainTooDeep: event chain stopped at depth 16",
    "TimeoutError: service call took longer than 30 s",
]


def synthetic_rows(n: int, *, events: int = 20, span_days: float = 30.0, end_us: int | None = None,
                   fail_every: int = 9, running_every: int = 997, seed: int = 0) -> Iterator[dict]:
    """`n` finished (and a few running) records spread evenly over the `span_days` before `end_us` (default
    now), oldest first, over `events` event names; every `fail_every`-th one failed with a traceback."""
    rng = random.Random(seed)
    end = end_us if end_us is not None else now_us()
    step = max(1, int(span_days * 86_400_000_000 / max(n, 1)))
    start = end - step * n
    names = [f"events.Event{i:02d}" for i in range(events)]
    steps = json.dumps([{"kind": "call", "title": "customFunc", "status": "success", "startMs": 0.0,
                         "durationMs": 1.0, "count": 1, "line": 1, "file": "events/E/inner.py", "children": []}])
    for i in range(n):
        started = start + i * step
        duration = round(rng.lognormvariate(1.0, 1.0), 3)
        if running_every and i % running_every == running_every - 1:
            status, error, ended, duration = "running", None, None, None
        elif fail_every and i % fail_every == fail_every - 1:
            status, error, ended = "fail", ERRORS[i % len(ERRORS)], started + int(duration * 1000)
        else:
            status, error, ended = "success", None, started + int(duration * 1000)
        event = names[i % events]
        traceback = None if error is None else json.dumps([
            {"file": f"events/{event[7:]}/inner.py", "line": 7, "function": "customFunc", "code": "check(row)",
             "in_app": True}])
        yield {
            "event": event, "event_type": "events.ModelType", "sender": "models.Order", "operate": "AddAfter",
            "status": status, "started_at": started, "ended_at": ended, "duration_ms": duration,
            "input": json.dumps({"row": {"id": i, "amount": i % 1000}}), "output": None if error else "true",
            "error": error, "traceback": traceback, "steps": steps, "parent_id": None, "root_id": None,
            "attempt": 1, "is_async": i % 5 == 0, "rerun_of": None, "chain": json.dumps([event]),
            "request_id": None, "job_id": None,
        }
