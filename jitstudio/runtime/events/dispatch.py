"""Running events: sync handlers now (recorded), async ones through the outbox, and the loop guard.

`dispatch(kind, sender, operate, args, kwargs)` is the entry point every kind of event goes through
(custom events here; approval, agent and assistant engines build on it with `where=`).
"""
from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ...errors import AppError
from ..data import units
from ..execution import Outcome, RunOptions, current_chain, current_execution, run_recorded, scoped_request
from ..values import JitDict, model_event_parts
from .handlers import Handlers
from .index import CompiledEvent, EventIndex, get_sender
from .payloads import payload_args
from .queue import loads

if TYPE_CHECKING:
    from ..data import ModelApi
    from ..records import RecordStore

__all__ = ["Dispatcher", "EventChainTooDeep", "Enqueue"]

log = logging.getLogger(__name__)

# (event fullName, event kind, payload) -> None: queue one async execution in the caller's transaction
Enqueue = Callable[[str, str, dict], None]


class EventChainTooDeep(AppError, RuntimeError):
    """An event chain re-entered itself past app.json runtime.eventChainDepth."""


class Dispatcher:
    """Runs the events of one app: `index` says which listen to what, `handlers` finds their code, `records`
    keeps each execution, `enqueue` puts async ones in the outbox, `models` holds the data API of each model
    by fullName (for payloads that carry rows)."""

    def __init__(self, index: EventIndex, handlers: Handlers, records: "RecordStore", options: RunOptions, *,
                 enqueue: Enqueue, models: Mapping[str, "ModelApi"], chain_depth: int):
        self.index = index
        self._handlers = handlers
        self._records = records
        self._options = options
        self._enqueue = enqueue
        self._models = models
        self.depth = chain_depth

    # -- selecting ---------------------------------------------------------------------------------------

    def dispatch(self, kind: str, sender: str, operate: str = "", args: tuple = (), kwargs: dict | None = None, *,
                 where: Callable[[CompiledEvent], bool] | None = None, raise_errors: bool = False) -> list[Outcome]:
        """Run every enabled event of `kind` listening to `sender`/`operate` (stage for agent events) that
        `where` accepts: sync ones now, async ones queued. With `raise_errors`, the first sync failure is raised
        after it is recorded (the caller's write then rolls back)."""
        outcomes = []
        for event in self.index.select(kind, sender, operate):
            if where is None or where(event):
                outcomes.append(self.run(event, tuple(args), dict(kwargs or {}), raise_errors=raise_errors))
        return outcomes

    def send(self, sender: str, kwargs: dict, event_type: str = "events.NormalType") -> list[Outcome]:
        """`EventSvc.sendEvent`: fire the enabled events of `event_type` whose sender (getSender()) is `sender`."""
        outcomes = []
        for event in self.index.by_name.values():
            if not event.enabled or event.event_type != event_type or get_sender(event) != sender:
                continue
            if event.kind == "model":
                args, kw = payload_args(event, kwargs, self._models)
                if not event.matches_row(kwargs.get("prevData") or {}, kwargs.get("postData") or {}, event.operate.startswith("Delete")):
                    continue
            elif event.kind == "normal":
                args, kw = (), dict(kwargs)
            else:
                args, kw = payload_args(event, kwargs, self._models)
            outcomes.append(self.run(event, args, kw))
        return outcomes

    def run(self, event: CompiledEvent, args: tuple, kwargs: dict, *, raise_errors: bool = False) -> Outcome:
        if event.is_async:
            return self.enqueue(event, args, kwargs)
        return self.run_now(event, args, kwargs, raise_errors=raise_errors)

    # -- running -----------------------------------------------------------------------------------------

    def run_now(self, event: CompiledEvent, args: tuple, kwargs: dict, *, raise_errors: bool = False,
                is_async: bool = False, attempt: int = 1, resume: dict | None = None,
                rerun_of: int | None = None, job_id: str | None = None) -> Outcome:
        chain = tuple(resume["chain"]) if resume else current_chain()
        if len(chain) >= self.depth:
            return self._stopped(event, chain, args, kwargs, is_async, resume)
        options = self._options
        call = self._call(event, args, kwargs)
        if resume:
            outcome = run_recorded(
                self._records, event=event.full_name, event_type=event.event_type, sender=event.sender,
                operate=event.operate, input=_input(event, args, kwargs), call=call, app_dir=options.app_dir,
                is_async=is_async, attempt=attempt, parent_id=resume.get("parent"), chain=chain,
                request_id=resume.get("request"), timeout=options.timeout, trace=options.trace, job_id=job_id)
        else:
            outcome = run_recorded(
                self._records, event=event.full_name, event_type=event.event_type, sender=event.sender,
                operate=event.operate, input=_input(event, args, kwargs), call=call, app_dir=options.app_dir,
                is_async=is_async, attempt=attempt, rerun_of=rerun_of, timeout=options.timeout, trace=options.trace)
        if raise_errors and outcome.exception is not None:
            raise outcome.exception
        return outcome

    def _call(self, event: CompiledEvent, args: tuple, kwargs: dict) -> Callable[[], Any]:
        """The handler bound to its arguments (a partial: no frame of ours in the traced path); a handler
        that cannot be found fails when called, so that the failure is recorded."""
        try:
            fn = self._handlers.for_event(event)
        except Exception as exc:  # noqa: BLE001 - raised inside the recorded execution instead
            return _raiser(exc)
        if event.obj_mode:
            return partial(fn, {"args": list(args), "kwargs": dict(kwargs)})
        return partial(fn, *args, **kwargs)

    def _stopped(self, event: CompiledEvent, chain: tuple, args: tuple, kwargs: dict, is_async: bool,
                 resume: dict | None) -> Outcome:
        path = " → ".join(chain + (event.full_name,))
        message = f"event chain stopped at depth {self.depth} (app.json runtime.eventChainDepth): {path} …"
        log.warning("%s", message)
        parent = resume.get("parent") if resume else getattr(current_execution(), "record_id", None)
        store = self._records
        record_id = store.begin(event=event.full_name, event_type=event.event_type, sender=event.sender,
                                operate=event.operate, input=_input(event, args, kwargs), parent_id=parent,
                                is_async=is_async, chain=chain + (event.full_name,))
        store.finish(record_id, status="fail", error=f"EventChainTooDeep: {message}")
        return Outcome(event.full_name, "fail", None, f"EventChainTooDeep: {message}", record_id,
                       EventChainTooDeep(message))

    # -- async -------------------------------------------------------------------------------------------

    def enqueue(self, event: CompiledEvent, args: tuple, kwargs: dict) -> Outcome:
        ctx = current_execution()
        payload: dict[str, Any]
        if ctx is None:
            payload = {"args": list(args), "kwargs": kwargs, "chain": [], "parent": None, "request": scoped_request()}
        else:
            payload = {"args": list(args), "kwargs": kwargs, "chain": list(ctx.chain), "parent": ctx.record_id,
                       "request": ctx.request_id}
        self._enqueue(event.full_name, event.kind, payload)
        return Outcome(event.full_name, "queued")

    def run_queued(self, name: str, payload_text: str, attempt: int, job_id: str | None = None) -> float | None:
        """Run one queued execution (`job_id` names it in its queue, for the record); returns the delay before
        the next attempt when it failed with retries left."""
        event = self.index.by_name.get(name)
        if event is None or not event.enabled:
            log.info("dropped a queued run of %s: the event was deleted or switched off since it was queued", name)
            return None  # deleted or switched off since it was queued: a disabled event never fires
        payload = loads(payload_text, self._models.get)
        # The running record is committed before the handler's first write commits: a worker killed after
        # that write leaves the attempt recorded (and then marked abandoned), never unrecorded.
        units.before_first_commit(self._records.flush)
        try:
            outcome = self.run_now(event, tuple(payload["args"]), payload["kwargs"], is_async=True, attempt=attempt,
                                   resume=payload, job_id=job_id)
        finally:
            units.before_first_commit(None)
        if outcome.failed and attempt <= event.retry and not isinstance(outcome.exception, EventChainTooDeep):
            delay = event.backoff * (2 ** (attempt - 1))
            log.info("%s failed on attempt %d; retrying in %g s", name, attempt, delay)
            return delay
        return None


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
