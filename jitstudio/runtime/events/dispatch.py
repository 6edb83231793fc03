"""Running events: sync handlers now (recorded), async ones through the outbox, and the loop guard.

`dispatch(kind, sender, operate, args, kwargs)` is the entry point every kind of event goes through
(custom events here; approval, agent and assistant engines build on it with `where=`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from ..data import units
from .index import CompiledEvent, Selector
from ..execution.run import current_chain, current_execution, run_recorded
from .queue.outbox import loads, model_event_ref
from ..execution.tracing import error_text
from ..values import JitDict, RowData, model_event_parts, model_event_payload

if TYPE_CHECKING:
    from ..data.api import ModelApi
    from ..runtime import Runtime


@dataclass
class HandlerOutcome:
    """How one event's handler ended: status success, fail, or queued (async, runs after commit)."""

    event: str
    status: str
    value: Any = None
    error: str | None = None
    record_id: int | None = None
    exception: BaseException | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def to_json(self) -> dict[str, Any]:
        from ..values.jsonable import to_jsonable

        return {"event": self.event, "status": self.status, "recordId": self.record_id,
                "output": to_jsonable(self.value), "error": self.error}


class EventChainTooDeep(RuntimeError):
    """An event chain re-entered itself past app.json runtime.eventChainDepth."""


class Dispatcher:
    def __init__(self, runtime: "Runtime"):
        self._rt = runtime
        self.depth = runtime.settings.eventChainDepth

    # -- selecting ---------------------------------------------------------------------------------------

    def dispatch(self, kind: str, sender: str, operate: str = "", args: tuple = (), kwargs: dict | None = None, *,
                 where: Callable[[CompiledEvent], bool] | None = None, raise_errors: bool = False) -> list[HandlerOutcome]:
        """Run every enabled event of `kind` listening to `sender`/`operate` (stage for agent events) that
        `where` accepts: sync ones now, async ones queued. With `raise_errors`, the first sync failure is raised
        after it is recorded (the caller's write then rolls back)."""
        outcomes = []
        for event in self._rt.index.select(kind, sender, operate):
            if where is None or where(event):
                outcomes.append(self.run(event, tuple(args), dict(kwargs or {}), raise_errors=raise_errors))
        return outcomes

    def run(self, event: CompiledEvent, args: tuple, kwargs: dict, *, raise_errors: bool = False) -> HandlerOutcome:
        if event.is_async:
            return self.enqueue(event, args, kwargs)
        return self.run_now(event, args, kwargs, raise_errors=raise_errors)

    # -- running -----------------------------------------------------------------------------------------

    def run_now(self, event: CompiledEvent, args: tuple, kwargs: dict, *, raise_errors: bool = False,
                is_async: bool = False, attempt: int = 1, resume: dict | None = None,
                rerun_of: int | None = None) -> HandlerOutcome:
        chain = tuple(resume["chain"]) if resume else current_chain()
        if len(chain) >= self.depth:
            return self._stopped(event, chain, args, kwargs, is_async, resume)
        rt = self._rt
        call = self._call(event, args, kwargs)
        if resume:
            outcome = run_recorded(
                rt.records, event=event.full_name, event_type=event.event_type, sender=event.sender,
                operate=event.operate, input=_input(event, args, kwargs), call=call, app_dir=rt.root, is_async=is_async,
                attempt=attempt, parent_id=resume.get("parent"), chain=chain, request_id=resume.get("request"),
                timeout=rt.handler_timeout, trace=rt.trace_paths)
        else:
            outcome = run_recorded(
                rt.records, event=event.full_name, event_type=event.event_type, sender=event.sender,
                operate=event.operate, input=_input(event, args, kwargs), call=call, app_dir=rt.root, is_async=is_async,
                attempt=attempt, rerun_of=rerun_of, timeout=rt.handler_timeout, trace=rt.trace_paths)
        error = outcome.error
        if error is None:
            return HandlerOutcome(event.full_name, outcome.status, outcome.value, None, outcome.record_id)
        if raise_errors:
            raise error
        return HandlerOutcome(event.full_name, outcome.status, outcome.value, error_text(error), outcome.record_id,
                              error)

    def _call(self, event: CompiledEvent, args: tuple, kwargs: dict) -> Callable[[], Any]:
        """The handler bound to its arguments (a partial: no frame of ours in the traced path); a handler
        that cannot be found fails when called, so that the failure is recorded."""
        try:
            fn = self._rt.handlers.for_event(event)
        except Exception as exc:  # noqa: BLE001 - raised inside the recorded execution instead
            return _raiser(exc)
        if event.obj_mode:
            return partial(fn, {"args": list(args), "kwargs": dict(kwargs)})
        return partial(fn, *args, **kwargs)

    def _stopped(self, event: CompiledEvent, chain: tuple, args: tuple, kwargs: dict, is_async: bool,
                 resume: dict | None) -> HandlerOutcome:
        path = " → ".join(chain + (event.full_name,))
        message = f"event chain stopped at depth {self.depth} (app.json runtime.eventChainDepth): {path} …"
        parent = resume.get("parent") if resume else getattr(current_execution(), "record_id", None)
        store = self._rt.records
        record_id = store.begin(event=event.full_name, event_type=event.event_type, sender=event.sender,
                                operate=event.operate, input=_input(event, args, kwargs), parent_id=parent,
                                is_async=is_async, chain=chain + (event.full_name,))
        store.finish(record_id, status="fail", error=f"EventChainTooDeep: {message}")
        return HandlerOutcome(event.full_name, "fail", None, f"EventChainTooDeep: {message}", record_id,
                              EventChainTooDeep(message))

    # -- async -------------------------------------------------------------------------------------------

    def enqueue(self, event: CompiledEvent, args: tuple, kwargs: dict) -> HandlerOutcome:
        ctx = current_execution()
        if ctx is None:
            payload = {"args": list(args), "kwargs": kwargs, "chain": [], "parent": None, "request": None}
        else:
            payload = {"args": list(args), "kwargs": kwargs, "chain": list(ctx.chain), "parent": ctx.record_id,
                       "request": ctx.request_id}
        outbox = self._rt.outbox
        unit = units.current(self._rt.engine)
        if unit is not None:
            outbox.add(unit.conn, event.full_name, event.kind, payload)
            wake = outbox.wake
            if wake not in unit.after_commit:
                unit.after_commit.append(wake)
        else:
            with units.write(self._rt.engine) as conn:
                outbox.add(conn, event.full_name, event.kind, payload)
            outbox.wake()
        return HandlerOutcome(event.full_name, "queued")

    def run_queued(self, name: str, payload_text: str, attempt: int) -> float | None:
        """Run one outbox row; returns the delay before the next attempt when it failed with retries left."""
        event = self._rt.index.by_name.get(name)
        if event is None or not event.enabled:
            return None  # deleted or switched off since it was queued: a disabled event never fires
        payload = loads(payload_text, self._rt.model_api_or_none)
        outcome = self.run_now(event, tuple(payload["args"]), payload["kwargs"], is_async=True, attempt=attempt,
                               resume=payload)
        if outcome.failed and attempt <= event.retry and not isinstance(outcome.exception, EventChainTooDeep):
            return event.backoff * (2 ** (attempt - 1))
        return None

    # -- model events ------------------------------------------------------------------------------------

    def model_payload(self, api: "ModelApi", opt_type: str, prev: dict, post: RowData | dict) -> JitDict:
        return model_event_payload(api, opt_type, prev, post)


class ModelEvents:
    """The model-event half of every write of the data API. What listens to a model's writes is looked up
    once per model and operation; a write that nothing listens to costs one dict lookup per phase."""

    def __init__(self, runtime: "Runtime"):
        self._rt = runtime
        self._index = runtime.index
        self._dispatcher = runtime.dispatcher
        self._plans: dict[tuple[str, str], tuple[Selector | None, tuple[Selector, ...]]] = {}

    def _plan(self, model: str, op: str) -> tuple[Selector | None, tuple[Selector, ...]]:
        """(the Before selector, the After and FieldUpdateAfter selectors) of a model's `op`."""
        found = self._plans.get((model, op))
        if found is None:
            selectors = self._index.selectors
            after = (selectors.get(("model", model, op + "After")), selectors.get(("model", model, "FieldUpdateAfter")))
            found = (selectors.get(("model", model, op + "Before")), tuple(s for s in after if s is not None))
            self._plans[(model, op)] = found
        return found

    def listened(self, model: str, op: str) -> bool:
        before, after = self._plan(model, op)
        return before is not None or bool(after)

    def before(self, api: "ModelApi", op: str, prev: dict, post: dict) -> dict:
        """Run the Before events of a write; returns `post`, or the values the handlers left when one ran."""
        selector = (self._plans.get((api.full_name, op)) or self._plan(api.full_name, op))[0]
        if selector is None:
            return post
        deleting = op == "Delete"
        candidates = selector.matching(prev, post, deleting)
        if not candidates:
            return post
        post_row = RowData(post, api)
        opt_type = op + "Before"
        event: CompiledEvent | None = candidates[0]
        while event is not None:
            payload = model_event_payload(api, opt_type, prev, post_row)
            self._dispatcher.run(event, (payload,), {}, raise_errors=True)
            # the handler may have changed postData: the events after it are tested against the new values
            later = selector.events[selector.position[event.full_name] + 1:]
            event = next((e for e in later if e.matches_row(prev, post_row._data, deleting)), None)
        return post_row._data

    def after(self, api: "ModelApi", op: str, prev: dict, post: dict) -> None:
        selectors = (self._plans.get((api.full_name, op)) or self._plan(api.full_name, op))[1]
        if not selectors:
            return
        deleting = op == "Delete"
        opt_type = op + "After"
        dispatcher = self._dispatcher
        for selector in selectors:
            for event in selector.matching(prev, post, deleting):
                if event.is_async:  # queued as plain data: the eventOutData is made when it runs
                    dispatcher.enqueue(event, (model_event_ref(api.full_name, opt_type, prev, post),), {})
                else:
                    dispatcher.run_now(event, (model_event_payload(api, opt_type, prev, post),), {}, raise_errors=True)


def _raiser(exc: Exception) -> Callable[[], Any]:
    def fail() -> Any:
        raise exc

    return fail


def _input(event: CompiledEvent, args: tuple, kwargs: dict) -> Any:
    """What the record keeps as an execution's input, in the shape `Runtime.test_event` takes back, so a
    re-run gets exactly the same arguments. A model event's payload is kept as plain data (model, optType
    and the two rows), as it reads as JSON, without walking its typed values."""
    if event.kind == "normal":
        return {"args": list(args), "kwargs": kwargs}
    if event.kind == "assistant":
        return list(args)
    if len(args) == 1 and not kwargs:
        arg = args[0]
        if type(arg) is JitDict:
            parts = model_event_parts(arg)
            if parts is not None:
                return {"model": parts[0], "optType": parts[1], "prevData": parts[2], "postData": parts[3]}
        return arg
    return {"args": list(args), "kwargs": kwargs} if kwargs else list(args)
