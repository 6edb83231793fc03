"""The Runtime: one open app with its database, tables, events, records and the code it runs."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import MetaData

from ..project import EventElement, Project, ServiceElement, load_project
from ..project.schemas import RuntimeSettings
from ..project.schemas.common import FunctionSpec
from . import shims
from .data import units
from .appfacade import EVENT_SERVICE, App, ElementNotFound, EventSvc, ServiceProxy
from .data.api import ModelApi
from .data.db import describe, make_engine, resolve_db_url
from .events.dispatch import Dispatcher, HandlerOutcome, ModelEvents
from .events.index import CompiledEvent, EventIndex
from .execution.run import current_execution, run_recorded, step
from .events.handlers import HandlerError, Handlers
from .data.migrate import sync_schema
from .events.queue.outbox import Outbox
from .records import RecordStore, records_url_for
from .data.tables import build_table, field_problems, internal_tables
from .values.typedargs import to_datatypes, typed_spec
from .values import JitDict, RowData, native, wrap
from .engines.ai import attach as attach_engines

FROM_APP: Any = object()  # handler_timeout not given: app.json runtime.handlerTimeoutSeconds


class Runtime:
    """Open an app folder: `Runtime(app_dir, db_url=None)`. Data goes to `db_url`, else $JITSTUDIO_DB_URL,
    else app.json `runtime.db`, else SQLite in `.jitstudio/data.db`; records go to `.jitstudio/records.db`.
    With `async_worker`, a background thread runs async events as they are queued; without it they run on
    `drain()` (the CLI drains before it exits). `handler_timeout` (seconds) interrupts a handler or service
    call that runs longer with HandlerTimeout; by default app.json `runtime.handlerTimeoutSeconds`, else none."""

    def __init__(self, app_dir: str | os.PathLike, db_url: str | None = None, *, records_url: str | None = None,
                 async_worker: bool = True, project: Project | None = None,
                 handler_timeout: float | None | object = FROM_APP):
        self.root = Path(app_dir).resolve()
        if not (self.root / "app.json").is_file():
            raise FileNotFoundError(f"{self.root} is not an app folder (it has no app.json)")
        self.project = project or load_project(self.root)
        self.settings: RuntimeSettings = self.project.app.runtime if self.project.app else RuntimeSettings()
        self.handler_timeout: float | None = (self.settings.handlerTimeoutSeconds if handler_timeout is FROM_APP
                                              else handler_timeout)
        # the execution path (statements, calls, data steps) of every recorded execution; off, records keep
        # everything else and a handler runs without the line tracer
        self.trace_paths = True
        self.db_url, self.db_origin = resolve_db_url(self.root, db_url, self.settings.db)
        self.engine = make_engine(self.db_url)
        self.records = RecordStore(records_url or records_url_for(self.root, self.db_url))
        self.records.fail_abandoned()
        if self.project.app:
            self.records.prune_for_app(self.project.app)
        metadata = MetaData()
        self.model_tables = {m.full_name: build_table(m, metadata) for m in self.project.models}
        self.problems = [p for m in self.project.models for p in field_problems(m)]
        self.schema_changes = sync_schema(self.engine, self.model_tables)
        self.index = EventIndex.build(self.project)
        self.handlers = Handlers(self)
        self.dispatcher = Dispatcher(self)
        self.model_events = ModelEvents(self)
        self.outbox = Outbox(self, internal_tables(MetaData())["outbox"])
        self._models = {name: ModelApi(self, mt) for name, mt in self.model_tables.items()}
        self._factories: dict[str, Callable[[str], Any]] = {}
        self._typed_specs: dict[str, FunctionSpec | None] = {}
        self._elements: dict[str, Any] = {}
        self.app = App(self)
        self.event_service = EventSvc(self)
        shims.install().activate(self.root, self.app)
        shims.activate(self)
        self.engines = attach_engines(self)
        self.outbox.recover()
        if async_worker:
            self.outbox.start()

    def __repr__(self) -> str:
        return f"<Runtime {self.project.name} on {describe(self.db_url)}>"

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.outbox.stop()
        shims.deactivate(self)
        shims.FINDER.deactivate(self.root)
        self.engine.dispose()
        self.records.close()

    def bind(self):
        """Make this runtime the one app code reaches in the current thread/context."""
        return shims.bind(self)

    def unbind(self, token) -> None:
        shims.unbind(token)

    # -- elements ----------------------------------------------------------------------------------------

    def register_element_factory(self, family: str, factory: Callable[[str], Any]) -> None:
        """Serve `app.getElement("<family>.X")` (workflows, aiagents, …) with `factory(fullName)`."""
        self._factories[family] = factory

    def model(self, full_name: str) -> ModelApi:
        try:
            return self._models[full_name]
        except KeyError:
            known = ", ".join(self._models) or "none"
            raise ElementNotFound(f"no model {full_name!r}; models: {known}") from None

    def model_api_or_none(self, full_name: str) -> ModelApi | None:
        return self._models.get(full_name)

    def element(self, full_name: str) -> Any:
        full_name = str(native(full_name))
        if full_name in self._models:
            return self._models[full_name]
        if full_name == EVENT_SERVICE:
            return self.event_service
        found = self._elements.get(full_name)
        if found is not None:
            return found
        element = self.project.get(full_name)
        family = full_name.partition(".")[0]
        if isinstance(element, ServiceElement):
            found = ServiceProxy(self, full_name, self.handlers.service(full_name))
        elif isinstance(element, EventElement) and full_name in self.index.by_name:
            found = EventHandle(self, self.index.by_name[full_name])
        elif family in self._factories:
            found = self._factories[family](full_name)
        if found is None:
            hint = "it is not in the app" if element is None else f"the local runtime cannot run {family} elements yet"
            raise ElementNotFound(f"app.getElement({full_name!r}): {hint}")
        self._elements[full_name] = found
        return found

    # -- calling and publishing --------------------------------------------------------------------------

    def call(self, path: str, args: Any = (), kwargs: dict | None = None, *, record: bool = True) -> Any:
        """Call a service function (`services.Svc.fn`) as one unit of work: everything it writes commits
        together or not at all. Recorded as an execution of `path` unless `record` is false."""
        fn = self.handlers.service_function(path)
        args, kwargs = _args(args), dict(kwargs or {})
        spec = self.typed_spec(path)
        call_args, call_kwargs = to_datatypes(self, path, spec, args, kwargs) if spec is not None else (args, kwargs)
        with units.unit_of_work(self.engine):
            if not record:
                return fn(*call_args, **call_kwargs)
            owner = path.rpartition(".")[0]
            outcome = run_recorded(self.records, event=path, event_type="services.function", sender=owner,
                                   operate=path.rpartition(".")[2], input={"args": args, "kwargs": kwargs},
                                   call=lambda: fn(*call_args, **call_kwargs), app_dir=self.root,
                                   timeout=self.handler_timeout, trace=self.trace_paths)
            return outcome.unwrap()

    def typed_spec(self, path: str) -> FunctionSpec | None:
        """The functionList entry of a service function that takes datatype arguments (argsToDatatype)."""
        try:
            return self._typed_specs[path]
        except KeyError:
            found = self._typed_specs[path] = typed_spec(self, path)
            return found

    def call_function(self, path: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """A service or model function by full path (services.OrderSvc.getOrder, models.Order.query)."""
        owner, _, name = path.rpartition(".")
        target = getattr(self.element(owner), name, None)
        if not callable(target):
            raise HandlerError(f"{owner} has no function {name!r}")
        return target(*_args(args), **dict(kwargs or {}))

    def publish(self, sender: str, args: Any = (), kwargs: dict | None = None) -> list[HandlerOutcome]:
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
            return self.dispatcher.dispatch("normal", sender, "", _args(args), kwargs or {}, raise_errors=True)

    def dispatch(self, kind: str, sender: str, operate: str = "", args: Any = (), kwargs: dict | None = None, *,
                 where: Callable[[CompiledEvent], bool] | None = None, raise_errors: bool = False) -> list[HandlerOutcome]:
        """Run the enabled events of `kind` ('model', 'normal', 'workflow', 'assistant', 'agent') listening to
        `sender` with `operate` (the stage for agent events): sync now and recorded, async via the outbox."""
        return self.dispatcher.dispatch(kind, sender, operate, _args(args), kwargs, where=where, raise_errors=raise_errors)

    def run_event(self, event: EventElement | str, args: tuple = (), kwargs: dict | None = None, *,
                  trigger: str = "", force_sync: bool = False) -> HandlerOutcome:
        """Run one event (sync now, async queued unless `force_sync`), recorded; never raises for the
        handler's failure."""
        compiled = self._compiled(event)
        if force_sync:
            return self.dispatcher.run_now(compiled, _args(args), dict(kwargs or {}))
        return self.dispatcher.run(compiled, _args(args), dict(kwargs or {}))

    def test_event(self, full_name: str, payload: Any, *, rerun_of: int | None = None) -> HandlerOutcome:
        """Run one event by hand with a JSON payload, now and recorded, whatever its switch and filter say.
        Model events take {prevData, postData}; custom events {args, kwargs}; assistant events a list of
        positional arguments; agent and approval events the eventOutData dict. With `rerun_of` the new
        record is linked to the execution it re-runs."""
        compiled = self._compiled(full_name)
        args, kwargs = self._payload_args(compiled, payload)
        with units.unit_of_work(self.engine):
            return self.dispatcher.run_now(compiled, args, kwargs, rerun_of=rerun_of)

    def rerun(self, record_id: int) -> HandlerOutcome:
        """Run a recorded execution's event again with the same input against the current code."""
        record = self.records.get(record_id)
        return self.test_event(record.event, record.input, rerun_of=record_id)

    def _payload_args(self, event: CompiledEvent, payload: Any) -> tuple[tuple, dict]:
        payload = native(payload)
        if event.kind == "model":
            data = payload if isinstance(payload, dict) else {}
            api = self.model(event.sender)
            opt = data.get("optType") or event.operate
            return (self.dispatcher.model_payload(api, opt, data.get("prevData") or {}, data.get("postData") or {}),), {}
        if event.kind == "normal":
            if isinstance(payload, dict) and set(payload) <= {"args", "kwargs"}:
                return _args(payload.get("args", ())), dict(payload.get("kwargs") or {})
            return (payload,), {}
        if isinstance(payload, list):
            return tuple(payload), {}
        if isinstance(payload, dict) and event.kind == "workflow" and isinstance(payload.get("row"), dict):
            api = self.model_api_or_none(event.sender)
            payload = {**payload, "row": RowData(payload["row"], api)}
        return (JitDict({k: v if isinstance(v, RowData) else wrap(v) for k, v in (payload or {}).items()}),), {}

    def send_event(self, sender: str, kwargs: dict, event_type: str = "events.NormalType") -> list[HandlerOutcome]:
        """`EventSvc.sendEvent`: fire the enabled events of `event_type` whose sender (getSender()) is `sender`."""
        outcomes = []
        for event in self.index.by_name.values():
            if not event.enabled or event.event_type != event_type or get_sender(event) != sender:
                continue
            if event.kind == "model":
                args, kw = self._payload_args(event, kwargs)
                if not event.matches_row(kwargs.get("prevData") or {}, kwargs.get("postData") or {}, event.operate.startswith("Delete")):
                    continue
            elif event.kind == "normal":
                args, kw = (), dict(kwargs)
            else:
                args, kw = self._payload_args(event, kwargs)
            outcomes.append(self.dispatcher.run(event, args, kw))
        return outcomes

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

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A unit of work; yields its connection. Everything written inside commits together."""
        with units.unit_of_work(self.engine) as unit:
            yield unit.conn

    def step(self, kind: str, title: str, **info: Any):
        return step(kind, title, **info)

    def current_event(self) -> str | None:
        ctx = current_execution()
        return ctx.event if ctx is not None else None

    def drain(self, timeout: float | None = None) -> bool:
        """Run queued async events until none is left (those they queue too); False if `timeout` passed."""
        token = self.bind()
        try:
            return self.outbox.drain(timeout)
        finally:
            self.unbind(token)


class EventHandle:
    """`app.getElement("events.X")`: `call(*args, **kwargs)` runs the event's handler now, recorded."""

    def __init__(self, runtime: Runtime, event: CompiledEvent):
        self._rt, self.event = runtime, event
        self.name, self.fullName = event.element.name, event.full_name
        self.type, self.sender, self.operate = event.event_type, event.sender, event.operate
        self.enable, self.asyncType, self.title = int(event.enabled), event.is_async, event.element.title

    def getSender(self) -> str:
        return get_sender(self.event)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self._rt.dispatcher.run_now(self.event, args, kwargs, raise_errors=True).value


def get_sender(event: CompiledEvent) -> str:
    """The reference's getSender(): `models.X_Operate` for model and approval events, `<sender>.<operate>`
    for assistant and agent events, the sender itself for custom events."""
    if event.kind in ("model", "workflow"):
        return f"{event.sender}_{event.operate}"
    if event.kind in ("assistant", "agent"):
        return f"{event.sender}.{event.operate}"
    return event.sender


def _args(args: Any) -> tuple:
    if args is None:
        return ()
    if isinstance(args, (list, tuple)):
        return tuple(args)
    return (args,)
