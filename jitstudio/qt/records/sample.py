"""Synthetic execution records, to try the record browser at scale (its tests and benchmark use them).

Rows are deterministic for a given seed: a handful of events, mostly successes, some failures with an error,
a traceback through the app's code and an execution path, a few still running, children linked to parents
and re-runs linked to the failures they repeat. Start times are spread evenly up to `newest_us`.
"""
from __future__ import annotations

import json
import random
from typing import Iterator

EVENTS = (
    ("events.FillOrderNo", "models.Order", "AddBefore"),
    ("events.OrderPaidNotify", "models.Order", "FieldUpdateAfter"),
    ("events.StockGuard", "models.Product", "UpdateBefore"),
    ("events.RefundStatusChanged", "models.Refund", "UpdateAfter"),
    ("events.OrderStatusAudit", "models.Order", "UpdateAfter"),
    ("events.CustomerAudit", "models.Customer", "AddAfter"),
    ("events.OrderPaidSubscriber", "services.OrderSvc.orderPaid", ""),
    ("events.RefundNodeHandled", "workflows.RefundApproval", "nodeHandled"),
)
ERRORS = (
    "ValueError: Not enough stock for Mug (M-100): 3 left, 5 requested",
    "KeyError: 'customer'",
    "TimeoutError: payment gateway did not answer within 30 s",
    "PermissionError: refunds over 500 need a manager's approval",
    "ZeroDivisionError: division by zero",
)


def _steps(event: str, failed: bool, duration: float, error: str | None) -> list[dict]:
    file = f"events/{event.split('.', 1)[1]}/inner.py"
    lines = [
        (6, "post = eventOutData.postData.value"),
        (7, "stock = post.get(\"stock\") or 0"),
        (8, "order = OrderSvc.load(post[\"orderId\"])"),
        (10, "raise ValueError(" if failed else "return order"),
    ]
    share = duration / (len(lines) + 1)
    children = []
    for n, (line, code) in enumerate(lines):
        last = n == len(lines) - 1
        children.append({
            "kind": "statement", "title": f"line {line}", "status": "fail" if failed and last else "success",
            "startMs": round(share * (n + 0.5), 3), "durationMs": round(share * (2 if n == 2 else 0.5), 3),
            "count": 1, "line": line, "file": file, "code": code, "children": [], **({"error": error} if failed and last else {}),
        })
    children[2]["children"] = [{
        "kind": "data", "title": "models.Order.getByPK", "status": "success", "startMs": round(share * 2.6, 3),
        "durationMs": round(share * 1.6, 3), "count": 1, "children": [],
    }]
    return [{"kind": "call", "title": "customFunc", "status": "fail" if failed else "success", "startMs": 0.05,
             "durationMs": round(duration * 0.95, 3), "count": 1, "line": 4, "file": file,
             "children": children, **({"error": error} if failed else {})}]


def _traceback(event: str) -> list[dict]:
    return [
        {"file": "jitstudio/runtime/dispatch.py", "line": 98, "function": "call", "code": "return fn(*args, **kwargs)",
         "in_app": False},
        {"file": f"events/{event.split('.', 1)[1]}/inner.py", "line": 10, "function": "customFunc",
         "code": "raise ValueError(", "in_app": True},
    ]


def synthetic_records(count: int, *, newest_us: int, spacing_us: int = 20_000_000, seed: int = 7,
                      fail_every: int = 13, running_newest: int = 3, detail: bool = True) -> Iterator[dict]:
    """`count` record rows for `RecordStore.insert_many`, oldest first; ids are assigned 1..count in order on an
    empty store, which is what the parent and re-run links assume. Every `fail_every`-th record fails; the
    newest `running_newest` are still running. `detail=False` leaves out steps and tracebacks (smaller)."""
    rng = random.Random(seed)
    durations = [round(rng.lognormvariate(1.2, 0.9), 3) for _ in range(64)]
    paths: dict[tuple, str] = {}
    tracebacks = {event: json.dumps(_traceback(event)) for event, _s, _o in EVENTS}
    previous = EVENTS[0]
    for i in range(count):
        record_id = i + 1
        event, sender, operate = EVENTS[rng.randrange(len(EVENTS))]
        started = newest_us - (count - 1 - i) * spacing_us
        running = i >= count - running_newest
        failed = not running and record_id % fail_every == 0
        rerun_of = record_id - 1 if not running and record_id % fail_every == 1 and record_id > 1 else None
        if rerun_of is not None:
            event, sender, operate = previous
        previous = (event, sender, operate)
        parent = record_id - 1 if record_id % 10 == 0 and rerun_of is None else None
        slot = rng.randrange(len(durations))
        duration = durations[slot]
        error = ERRORS[record_id % len(ERRORS)] if failed else None
        steps = None
        if detail and not running:
            key = (event, slot, error)
            steps = paths.get(key)
            if steps is None:
                steps = paths[key] = json.dumps(_steps(event, failed, duration, error))
        yield {
            "event": event, "event_type": "events.ModelType" if sender.startswith("models.") else "events.NormalType",
            "sender": sender, "operate": operate, "status": "running" if running else "fail" if failed else "success",
            "started_at": started, "ended_at": None if running else started + int(duration * 1000),
            "duration_ms": None if running else duration,
            "input": (f'{{"model":"{sender}","optType":"{operate}","prevData":{{"id":{record_id},"stock":3}},'
                      f'"postData":{{"id":{record_id},"stock":{3 - record_id % 7}}}}}'),
            "output": None if failed or running else f'{{"id":{record_id},"ok":true}}',
            "error": error,
            "traceback": tracebacks[event] if failed and detail else None,
            "steps": steps,
            "parent_id": parent, "root_id": parent, "attempt": 1, "is_async": bool(parent),
            "rerun_of": rerun_of, "chain": f'["{event}"]', "request_id": None,
        }
