"""The data session: what the IDE's Data tab asks of an app's runtime process, one request at a time, as JSON.

Reads (`page`, `count`, `rows`) run beside each other; writes (`create`, `update`, `delete`, `import`) run
one after another through the app's data API, exactly as the app's own code would write, so Before/After
handlers run in the write and async ones after it commits. Each write is one request: every execution it
fires, sync or async, nested or not, carries its request id, and the answer lists them; the async ones are
told later, as they finish (`on_fired`).
"""
from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable

from ..errors import exit_status
from .data.browse import Browser, Order
from .execution import request_scope
from .values import native, to_json

if TYPE_CHECKING:
    from ..project import ModelElement
    from .runtime import Runtime

FIRED_WAIT_SECONDS = 120.0  # how long async executions of a write are waited for and reported
MAX_PAGE = 5_000
FIRED_SHOWN = 200  # executions listed in an answer; an import of many rows fires many more

__all__ = ["DataSession", "SessionError", "field_info", "record_summary"]


class SessionError(ValueError):
    """A request the session cannot serve as asked (unknown model or operation, missing argument)."""


def field_info(model: "ModelElement") -> list[dict]:
    """The model's fields as the Data tab shows them: name, title, datatype, options, primary key, read-only,
    and the parameters that shape display (decimal, unit, maxLen)."""
    info: list[dict[str, Any]] = []
    for f in model.fields:
        params = f.params
        options = params.get("options")
        info.append({
            "name": f.name, "title": f.title, "datatype": f.datatype, "primaryKey": f.primary_key,
            "readOnly": bool(params.get("readOnly")) or f.datatype == "AutoInt",
            "options": [{"label": str(o.get("label", o.get("value"))), "value": o.get("value")}
                        for o in options if isinstance(o, dict)] if isinstance(options, list) else None,
            **{key: params[key] for key in ("decimal", "unit", "maxLen") if key in params},
        })
    return info


def record_summary(record: Any) -> dict:
    return {"id": record.id, "event": record.event, "status": record.status, "parentId": record.parent_id,
            "isAsync": record.is_async, "durationMs": record.duration_ms, "startedUs": record.started_us,
            "error": (record.error or "").splitlines()[0] if record.error else None}


class DataSession:
    """Serves the data requests of one runtime. `on_fired(request_id, records, settled)` is told the
    executions of a write again as its async ones finish (from a background thread)."""

    def __init__(self, runtime: "Runtime", on_fired: Callable[[str, list[dict], bool], None] | None = None):
        self.runtime = runtime
        self.on_fired = on_fired
        self._browsers: dict[str, Browser] = {}
        self._counts: dict[str, threading.Event] = {}
        self._counts_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._prefix = uuid.uuid4().hex[:12]
        self._numbers = itertools.count(1)
        self._waiting: dict[str, tuple[float, list[dict]]] = {}
        self._waiting_lock = threading.Condition()
        self._closed = False
        self._watcher: threading.Thread | None = None

    # -- dispatch ------------------------------------------------------------------------------------------

    WRITES = frozenset({"create", "update", "delete", "import"})

    def handle(self, request: dict) -> dict:
        """The answer to one request: `{"ok": True, ...}` or `{"ok": False, "error": …, "kind": "user"|"app"}`."""
        op = request.get("op")
        method = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
        if method is None:
            return {"ok": False, "kind": "user", "error": f"unknown operation {op!r}"}
        try:
            if op in self.WRITES:
                with self._write_lock:
                    return {"ok": True, **method(request)}
            return {"ok": True, **method(request)}
        except Exception as exc:  # noqa: BLE001 - every failure is the answer, the session goes on
            return failure(exc)

    def model_name(self, request: dict) -> str:
        name = request.get("model")
        if not isinstance(name, str) or self.runtime.model_api_or_none(name) is None:
            raise SessionError(f"no model {name!r} in this app")
        return name

    def browser(self, name: str) -> Browser:
        if name not in self._browsers:
            self._browsers[name] = Browser(self.runtime.engine, self.runtime.model_tables[name])
        return self._browsers[name]

    # -- reads ---------------------------------------------------------------------------------------------

    def op_models(self, request: dict) -> dict:
        return {"models": {m.full_name: {"title": m.title, "primaryKey": m.primary_key, "fields": field_info(m)}
                           for m in self.runtime.project.models if m.full_name in self.runtime.model_tables}}

    def op_page(self, request: dict) -> dict:
        order = request.get("order") or {}
        limit = max(1, min(int(request.get("limit") or 200), MAX_PAGE))
        page = self.browser(self.model_name(request)).page(
            request.get("filter") or None, Order(order.get("field"), bool(order.get("descending"))),
            request.get("after"), limit)
        return {"rows": to_json(page.rows), "after": to_json(page.after)}

    def op_rows(self, request: dict) -> dict:
        return {"rows": to_json(self.browser(self.model_name(request)).rows_by_pk(list(request.get("pks") or [])))}

    def op_count(self, request: dict) -> dict:
        token = str(request.get("token") or next(self._numbers))
        cancel = threading.Event()
        with self._counts_lock:
            self._counts[token] = cancel
        try:
            counted = self.browser(self.model_name(request)).count(request.get("filter") or None, cancel)
        finally:
            with self._counts_lock:
                self._counts.pop(token, None)
        return {"count": counted, "cancelled": counted is None}

    def op_cancel(self, request: dict) -> dict:
        with self._counts_lock:
            cancel = self._counts.get(str(request.get("token")))
        if cancel is not None:
            cancel.set()
        return {"cancelled": cancel is not None}

    # -- writes --------------------------------------------------------------------------------------------

    def _write(self, request: dict, write: Callable[[Any, bool], dict]) -> dict:
        """Run one write as one request and answer with what it did and the executions it fired."""
        api = self.runtime.model(self.model_name(request))
        events = request.get("events", True) is not False
        request_id = f"ide-{self._prefix}-{next(self._numbers):08x}"
        with request_scope(request_id):
            answer = write(api, events)
        settled = self._settled()  # before the records: once nothing is pending, every record is written
        records = self.fired(request_id)
        counts = self.runtime.records.request_counts(request_id) if len(records) >= FIRED_SHOWN else \
            dict(Counter(r["status"] for r in records))
        answer.update(request=request_id, events=events, fired=records, firedCounts=counts, settled=settled)
        if not settled:
            self._wait_for_async(request_id, records)
        return answer

    def op_create(self, request: dict) -> dict:
        def write(api, events: bool) -> dict:
            row = api.create(_fields(request, "row"), triggerEvent=int(events))
            return {"row": self._stored(api, row)}
        return self._write(request, write)

    def op_update(self, request: dict) -> dict:
        pk = request.get("pk")

        def write(api, events: bool) -> dict:
            try:
                row = api.updateByPK(pk, _fields(request, "changes"), triggerEvent=int(events))
            except Exception as exc:  # noqa: BLE001 - refused: the row as it stays, with the reason
                current = api.getByPK(pk)
                return {"refused": reason(exc), "row": to_json(native(current)) if current is not None else None}
            return {"row": self._stored(api, row)}
        return self._write(request, write)

    def op_delete(self, request: dict) -> dict:
        pks = request.get("pks")
        if not isinstance(pks, list):
            raise SessionError("delete takes `pks`, a list of primary keys")

        def write(api, events: bool) -> dict:
            deleted, refused = [], []
            for pk in pks:
                try:
                    if api.deleteByPK(pk, triggerEvent=int(events)):
                        deleted.append(pk)
                    else:
                        refused.append({"pk": pk, **reason(LookupError(f"no row with {api.primary_key} = {pk!r}"))})
                except Exception as exc:  # noqa: BLE001 - one refused row does not stop the others
                    refused.append({"pk": pk, **reason(exc)})
            return {"deleted": deleted, "refused": refused}
        return self._write(request, write)

    def op_import(self, request: dict) -> dict:
        rows = request.get("rows")
        if not isinstance(rows, list):
            raise SessionError("import takes `rows`, a list of objects of field values")
        start = int(request.get("start") or 0)

        def write(api, events: bool) -> dict:
            created, refused = 0, []
            for index, row in enumerate(rows, start):
                try:
                    if not isinstance(row, dict):
                        raise SessionError(f"row {index + 1} is not an object of field values")
                    api.create(row, triggerEvent=int(events))
                    created += 1
                except Exception as exc:  # noqa: BLE001 - a refused row is reported, the rest go on
                    refused.append({"index": index, **reason(exc)})
            return {"created": created, "refused": refused}
        return self._write(request, write)

    @staticmethod
    def _stored(api, row) -> Any:
        """The row as stored once the write's sync handlers are done (an After handler may change it)."""
        pk = native(row[api.primary_key])
        return to_json(native(api.getByPK(pk) or row))

    # -- what a write fired --------------------------------------------------------------------------------

    def fired(self, request_id: str) -> list[dict]:
        """The executions of a request (the failed ones first when there are more than FIRED_SHOWN)."""
        store = self.runtime.records
        store.flush()
        records = [record_summary(r) for r in store.by_request(request_id)]
        if len(records) > FIRED_SHOWN:
            records.sort(key=lambda r: r["status"] == "success")
            del records[FIRED_SHOWN:]
        return records

    def _settled(self) -> bool:
        return self.runtime.pending_async() == 0

    def _wait_for_async(self, request_id: str, records: list[dict]) -> None:
        with self._waiting_lock:
            self._waiting[request_id] = (time.monotonic() + FIRED_WAIT_SECONDS, records)
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, name="data-session-fired", daemon=True)
                self._watcher.start()
            self._waiting_lock.notify()

    def _watch(self) -> None:
        """Tell each waiting write's executions again whenever they change, until none is queued or running."""
        while True:
            with self._waiting_lock:
                while not self._waiting and not self._closed:
                    self._waiting_lock.wait()
                if self._closed:
                    return
                waiting = dict(self._waiting)
            settled = self._settled()
            now = time.monotonic()
            for request_id, (deadline, told) in waiting.items():
                records = self.fired(request_id)
                done = settled and not any(r["status"] == "running" for r in records)
                if records != told or done or now > deadline:
                    if self.on_fired is not None:
                        self.on_fired(request_id, records, done)
                with self._waiting_lock:
                    if done or now > deadline:
                        self._waiting.pop(request_id, None)
                    else:
                        self._waiting[request_id] = (deadline, records)
            time.sleep(0.05)

    def close(self) -> None:
        with self._waiting_lock:
            self._closed = True
            self._waiting_lock.notify_all()
        with self._counts_lock:
            for cancel in self._counts.values():
                cancel.set()


def _fields(request: dict, key: str) -> dict:
    value = request.get(key)
    if not isinstance(value, dict):
        raise SessionError(f"`{key}` must be an object of field values")
    return value


def reason(exc: BaseException) -> dict:
    """Why a request or a row was refused, as the IDE shows it: the message, and whether the user's input
    ("user") or the app's code ("app") said no. A database's refusal is its own message, without the SQL."""
    from sqlalchemy.exc import DBAPIError

    message = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
    return {"kind": "user" if exit_status(exc) == 2 else "app", "error": message.strip() or type(exc).__name__}


def failure(exc: BaseException) -> dict:
    return {"ok": False, **reason(exc)}
