"""The Runtime: one open app with its database, tables, events, records and the code it runs. This is the one
place that builds the engine's parts and hands each the parts it uses."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import MetaData

from ..errors import ElementNotFound, UserError
from ..project import EventElement, ModelElement, Project, ServiceElement, load_project
from ..project.schemas import RuntimeSettings
from . import shims
from .appfacade import App, Elements, EventSvc, MessageApi
from .data import ModelApi, build_table, describe, field_problems, internal_tables, make_engine, resolve_db_url, sync_schema
from .data import units
from .engines import EngineHost, Engines
from .events import (
    CompiledEvent, Dispatcher, EventIndex, HandlerError, Handlers, ModelEvents, as_args, get_sender, payload_args,
)
from .events.queue import open_queue, queue_kind
from .execution import Outcome, RunOptions, current_event, run_recorded, step
from .records import RecordStore, records_url_for
from .values import RowData, native
from .values.typedargs import TypedArgs

__all__ = ["FROM_APP", "NotAnAppFolder", "Runtime", "app_records_url", "get_sender"]

log = logging.getLogger(__name__)

FROM_APP: Any = object()  # handler_timeout not given: app.json runtime.handlerTimeoutSeconds


class NotAnAppFolder(UserError, FileNotFoundError):
    """A folder without app.json was opened as an app."""


class Runtime:
    """Open an app folder: `Runtime(app_dir, db_url=None)`. Data goes to `db_url`, else $JITSTUDIO_DB_URL,
    else app.json `runtime.db`, else SQLite in `.jitstudio/data.db`; records go to `.jitstudio/records.db`.
    With `async_worker`, a background thread runs async events as they are queued; without it they run on
    `drain()` (the CLI drains before it exits). `handler_timeout` (seconds) interrupts a handler or service
    call that runs longer with HandlerTimeout; by default app.json `runtime.handlerTimeoutSeconds`, else none."""

    def __init__(self, app_dir: str | os.PathLike, db_url: str | None = None, *, records_url: str | None = None,
                 async_worker: bool = True, project: Project | None = None,
                 handler_timeout: float | None | object = FROM_APP, allow_data_loss: bool = False):
        self.root = Path(app_dir).resolve()
        if not (self.root / "app.json").is_file():
            raise NotAnAppFolder(f"{self.root} is not an app folder (it has no app.json)")
        self.project = project or load_project(self.root)
        self.settings: RuntimeSettings = self.project.app.runtime if self.project.app else RuntimeSettings()
        timeout = self.settings.handlerTimeoutSeconds if handler_timeout is FROM_APP else handler_timeout
        self.options = RunOptions(app_dir=self.root, timeout=timeout)  # type: ignore[arg-type]
        self.db_url, self.db_origin = resolve_db_url(self.root, db_url, self.settings.db)
        self.engine = make_engine(self.db_url)

        self.records = RecordStore(records_url or records_url_for(self.root, self.db_url))
        self.records.fail_abandoned()
        if self.project.app:
            self.records.prune_for_app(self.project.app)

        metadata = MetaData()
        self.model_tables = {m.full_name: build_table(m, metadata) for m in self.project.models}
        self.problems = [p for m in self.project.models for p in field_problems(m)]
        self.schema_changes = sync_schema(self.engine, self.model_tables, allow_data_loss=allow_data_loss, app_dir=self.root)

        self._models: dict[str, ModelApi] = {}
        self.index = EventIndex.build(self.project)
        self.handlers = Handlers(self.project)
        self.queue_kind = queue_kind(self.engine, self.settings.queue)
        self.dispatcher = Dispatcher(self.index, self.handlers, self.records, self.options, enqueue=self._enqueue,
                                     models=self._models, chain_depth=self.settings.eventChainDepth)
        model_events = ModelEvents(self.index, self.dispatcher)
        self._models.update({name: ModelApi(self.engine, mt, model_events) for name, mt in self.model_tables.items()})
        self.typed_args = TypedArgs(self.project, self._models)

        self.event_service = EventSvc(self.dispatcher, self.records)
        self.elements = Elements(self.project, self._models, self.handlers, self.index, self.dispatcher,
                                 self.typed_args, self.event_service)
        self.app = App(self.project.name, self.elements, self.publish, MessageApi(self.records))
        shims.install().activate(self.root, self.app)
        shims.activate(self)
        host = EngineHost(self.project, self.engine, run_event=self.run_event, call_function=self.call_function,
                          get_row=self.get_row, record=self._record)
        self.engines = Engines(host, self.elements.register)

        self.queue = open_queue(self.queue_kind, self.engine, self.db_url, self.project.name,
                                internal_tables(MetaData())["outbox"], self.dispatcher.run_queued, self.bound,
                                self.records, prune=self._prune_records)
        if async_worker:
            self.queue.start()
        log.info("opened %s on %s (%s); %d events, %d schema changes", self.project.name, describe(self.db_url),
                 self.db_origin, len(self.index.by_name), len(self.schema_changes))

    def __repr__(self) -> str:
        return f"<Runtime {self.project.name} on {describe(self.db_url)}>"

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.queue.stop()
        shims.deactivate(self)
        shims.FINDER.deactivate(self.root)
        self.engine.dispose()
        self.records.close()

    # -- settings that callers change after opening -------------------------------------------------------

    @property
    def handler_timeout(self) -> float | None:
        """Seconds before a handler or service call is interrupted with HandlerTimeout; None: no limit."""
        return self.options.timeout

    @handler_timeout.setter
    def handler_timeout(self, seconds: float | None) -> None:
        self.options.timeout = seconds

    @property
    def trace_paths(self) -> bool:
        """Whether executions record their execution path (statements, calls, data steps). Off, records keep
        everything else and a handler runs without the line tracer."""
        return self.options.trace

    @trace_paths.setter
    def trace_paths(self, on: bool) -> None:
        self.options.trace = on

    # -- binding app code to this runtime ------------------------------------------------------------------

    def bind(self):
        """Make this runtime the one app code reaches in the current thread/context."""
        return shims.bind(self)

    def unbind(self, token) -> None:
        shims.unbind(token)

    @contextmanager
    def bound(self) -> Iterator["Runtime"]:
        """This runtime is the one app code reaches inside the block."""
        token = shims.bind(self)
        try:
            yield self
        finally:
            shims.unbind(token)

    # -- elements ----------------------------------------------------------------------------------------

    def register_element_factory(self, family: str, factory: Callable[[str], Any]) -> None:
        """Serve `app.getElement("<family>.X")` (workflows, aiagents, …) with `factory(fullName)`."""
        self.elements.register(family, factory)

    def model(self, full_name: str) -> ModelApi:
        try:
            return self._models[full_name]
        except KeyError:
            known = ", ".join(self._models) or "none"
            raise ElementNotFound(f"no model {full_name!r}; models: {known}") from None

    def model_api_or_none(self, full_name: str) -> ModelApi | None:
        return self._models.get(full_name)

    def element(self, full_name: str) -> Any:
        return self.elements.get(full_name)

    # -- calling and publishing --------------------------------------------------------------------------

    def function(self, path: str) -> Callable[..., Any]:
        """The callable a function path names: a service function (`services.OrderSvc.payOrder`) or a custom
        function of a model's class (`models.Order.summary`). Raises HandlerError when its code is missing."""
        owner, _, name = path.rpartition(".")
        element = self.project.get(owner)
        if isinstance(element, ModelElement) and owner in self._models:
            return self.handlers.model_function(element, self._models[owner], name)
        return self.handlers.service_function(path)

    def call(self, path: str, args: Any = (), kwargs: dict | None = None, *, record: bool = True) -> Any:
        """Call a service function (`services.Svc.fn`) or a model's custom function (`models.M.fn`) as one unit
        of work: everything it writes commits together or not at all. Recorded as an execution of `path`
        unless `record` is false."""
        fn = self.function(path)
        args, kwargs = as_args(args), dict(kwargs or {})
        owner, _, name = path.rpartition(".")
        spec = self.typed_args.spec(path)
        call_args, call_kwargs = self.typed_args.convert(path, spec, args, kwargs) if spec is not None else (args, kwargs)
        with units.unit_of_work(self.engine):
            if not record:
                return fn(*call_args, **call_kwargs)
            event_type = "models.function" if owner in self._models else "services.function"
            options = self.options
            outcome = run_recorded(self.records, event=path, event_type=event_type, sender=owner, operate=name,
                                   input={"args": args, "kwargs": kwargs}, call=lambda: fn(*call_args, **call_kwargs),
                                   app_dir=options.app_dir, timeout=options.timeout, trace=options.trace)
            return outcome.unwrap()

    def call_function(self, path: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """A service or model function by full path as app code calls it (services.OrderSvc.getOrder,
        models.Order.query): a step of the running execution, not an execution of its own."""
        owner, _, name = path.rpartition(".")
        target = getattr(self.element(owner), name, None)
        if not callable(target):
            raise HandlerError(f"{owner} has no function {name!r}")
        return target(*as_args(args), **dict(kwargs or {}))

    def publish(self, sender: str, args: Any = (), kwargs: dict | None = None) -> list[Outcome]:
        """Publish a custom event declared in a service's eventDescs; subscribers receive exactly `args`
        and `kwargs`. A sync subscriber's failure is raised to the publisher."""
        sender = str(native(sender))
        owner, _, name = sender.rpartition(".")
        service = self.project.get(owner)
        if not isinstance(service, ServiceElement):
            raise ElementNotFound(f"publish: {sender!r} is not <service fullName>.<event name>; no service {owner!r}")
        if name not in service.event_names:
            declared = ", ".join(service.event_names) or "none"
            raise ElementNotFound(f"publish: {owner} declares no event {name!r} in eventDescs (declared: {declared})")
        with step("event", f"publish {sender}"):
            return self.dispatcher.dispatch("normal", sender, "", as_args(args), kwargs or {}, raise_errors=True)

    def dispatch(self, kind: str, sender: str, operate: str = "", args: Any = (), kwargs: dict | None = None, *,
                 where: Callable[[CompiledEvent], bool] | None = None, raise_errors: bool = False) -> list[Outcome]:
        """Run the enabled events of `kind` ('model', 'normal', 'workflow', 'assistant', 'agent') listening to
        `sender` with `operate` (the stage for agent events): sync now and recorded, async via the outbox."""
        return self.dispatcher.dispatch(kind, sender, operate, as_args(args), kwargs, where=where, raise_errors=raise_errors)

    def run_event(self, event: EventElement | str, args: tuple = (), kwargs: dict | None = None, *,
                  trigger: str = "", force_sync: bool = False) -> Outcome:
        """Run one event (sync now, async queued unless `force_sync`), recorded; never raises for the
        handler's failure."""
        compiled = self._compiled(event)
        if force_sync:
            return self.dispatcher.run_now(compiled, as_args(args), dict(kwargs or {}))
        return self.dispatcher.run(compiled, as_args(args), dict(kwargs or {}))

    def test_event(self, full_name: str, payload: Any, *, rerun_of: int | None = None) -> Outcome:
        """Run one event by hand with a JSON payload, now and recorded, whatever its switch and filter say.
        Model events take {prevData, postData}; custom events {args, kwargs}; assistant events a list of
        positional arguments; agent and approval events the eventOutData dict. With `rerun_of` the new
        record is linked to the execution it re-runs."""
        compiled = self._compiled(full_name)
        args, kwargs = payload_args(compiled, payload, self._models)
        with units.unit_of_work(self.engine):
            return self.dispatcher.run_now(compiled, args, kwargs, rerun_of=rerun_of)

    def rerun(self, record_id: int) -> Outcome:
        """Run a recorded execution's event again with the same input against the current code."""
        record = self.records.get(record_id)
        return self.test_event(record.event, record.input, rerun_of=record_id)

    def send_event(self, sender: str, kwargs: dict, event_type: str = "events.NormalType") -> list[Outcome]:
        """`EventSvc.sendEvent`: fire the enabled events of `event_type` whose sender (getSender()) is `sender`."""
        return self.dispatcher.send(sender, kwargs, event_type)

    def _compiled(self, event: EventElement | str) -> CompiledEvent:
        name = event.full_name if isinstance(event, EventElement) else str(event)
        compiled = self.index.by_name.get(name)
        if compiled is None:
            known = ", ".join(sorted(self.index.by_name)) or "none"
            raise ElementNotFound(f"no runnable event {name!r}; events: {known}")
        return compiled

    # -- what the approval / agent / assistant engines use ------------------------------------------------

    def get_row(self, model: str, pk: Any) -> RowData | None:
        return self.model(model).getByPK(pk)

    def _record(self, element: str, element_type: str, operate: str, payload: Any, call: Callable[[], Any]) -> Any:
        """An engine call (an agent run, an assistant turn, an approval action) as one recorded execution."""
        with self.bound():
            outcome = run_recorded(self.records, event=element, event_type=element_type, sender=element,
                                   operate=operate, input=payload, call=call, app_dir=self.root)
        return outcome.unwrap()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A unit of work; yields its connection. Everything written inside commits together."""
        with units.unit_of_work(self.engine) as unit:
            yield unit.conn

    def step(self, kind: str, title: str, **info: Any):
        return step(kind, title, **info)

    def current_event(self) -> str | None:
        return current_event()

    # -- async events --------------------------------------------------------------------------------------

    def record_at_every_commit(self) -> None:
        """Commit the execution records of a write as soon as the write commits, instead of within 20 ms: a
        process killed just after a commit then never shows a finished execution as abandoned. Costs one
        records commit per write; the command line does it."""
        units.after_every_commit(self.engine, self.records.flush)

    def leave_async_to_workers(self) -> bool:
        """For a server process: when the queue has worker processes of its own (procrastinate), run no async
        event here, not even on `drain()`; on the embedded outbox, run them on a background thread. True
        when `jitstudio worker` processes run them."""
        if self.queue_kind == "procrastinate":
            self.queue.stop()
            self.queue.drains = False
            return True
        self.queue.start()
        return False

    def _enqueue(self, event: str, kind: str, payload: dict) -> None:
        self.queue.enqueue(event, kind, payload)

    def _prune_records(self) -> int:
        return self.records.prune_for_app(self.project.app) if self.project.app else 0

    def drain(self, timeout: float | None = None) -> bool:
        """Run queued async events until none is left (those they queue too); False if `timeout` passed."""
        return self.queue.drain(timeout)

    def pending_async(self) -> int:
        """Async executions queued or running and not finished yet."""
        return self.queue.pending()


def app_records_url(app_dir: str | os.PathLike, db: str | None = None, app_setting: str | None = None) -> str:
    """Where the records of an app live when its data database is chosen by `--db`, $JITSTUDIO_DB_URL or
    app.json `runtime.db` (see `records_url_for`), without opening the app."""
    data_url, _origin = resolve_db_url(Path(app_dir), db, app_setting)
    return records_url_for(app_dir, data_url)
