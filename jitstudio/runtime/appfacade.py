"""`app` as handler and service code sees it: getElement, app.models.X, app.services.X, app.event, app.message,
and the elements getElement returns (services, events, the built-in EventSvc, engines' elements)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..errors import ElementNotFound
from ..project import EventElement, Project, ServiceElement
from .events import as_args, get_sender, payload_args
from .execution import current_event, step
from .values import JitDict, native
from .values.typedargs import TypedArgs

if TYPE_CHECKING:
    from .data import ModelApi
    from .events import CompiledEvent, Dispatcher, EventIndex, Handlers
    from .records import RecordStore

__all__ = ["App", "ElementNotFound", "Elements", "EventApi", "EventHandle", "EventSvc", "MessageApi", "ServiceProxy"]

EVENT_SERVICE = "events.services.EventSvc"

Publish = Callable[..., list]


class _Family:
    def __init__(self, app: "App", family: str):
        self._app, self._family = app, family

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._app.getElement(f"{self._family}.{name}")


class ServiceProxy:
    """A service as app code calls it: each declared function call is a step of the running execution."""

    def __init__(self, full_name: str, instance: Any, typed: TypedArgs):
        self._full_name, self._instance, self._typed = full_name, instance, typed

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._instance, name)
        if not callable(attr) or name.startswith("_"):
            return attr
        title = f"{self._full_name}.{name}"
        typed = self._typed
        spec = typed.spec(title)

        def call(*args: Any, **kwargs: Any) -> Any:
            if spec is not None:
                args, kwargs = typed.convert(title, spec, args, kwargs)
            with step("service", title):
                return attr(*args, **kwargs)

        call.__name__ = name
        return call

    def __repr__(self) -> str:
        return f"<service {self._full_name}>"


class EventHandle:
    """`app.getElement("events.X")`: the event's e.json members as attributes (title, type, sender, operate or
    stage, func, funcType, asyncType, enable, filter, fields …; all of them in `spec`), `call(*args, **kwargs)`
    to run its function now, recorded, and `handleNode(node, args, kwargs)` to run it as the runtime does."""

    _METHODS = frozenset({"call", "getSender", "handleNode"})

    def __init__(self, event: "CompiledEvent", dispatcher: "Dispatcher", models: Mapping[str, "ModelApi"]):
        self.spec: dict[str, Any] = event.spec.model_dump() if event.spec is not None else {}
        for key, value in self.spec.items():
            if key not in self._METHODS and key.isidentifier():
                setattr(self, key, value)
        self.event, self._dispatcher, self._models = event, dispatcher, models
        self.name, self.fullName = event.element.name, event.full_name
        self.type, self.sender, self.operate = event.event_type, event.sender, event.operate
        self.enable, self.asyncType, self.title = int(event.enabled), event.is_async, event.element.title
        self._sender = get_sender(event)

    def getSender(self) -> str:
        return self._sender

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self._dispatcher.run_now(self.event, args, kwargs, raise_errors=True).value

    def handleNode(self, node: Any = None, args: Any = (), kwargs: dict | None = None) -> tuple[Any, tuple, dict]:
        """Run the event's function with `args` and `kwargs` as the runtime would (a dict of eventOutData
        becomes the JitDict a handler receives), recorded, whatever its switch says; a handler's error is
        raised. Returns `(node, args, kwargs)` as the function got them; an agent event's node gets a `remark`
        ("Before calling searchTool")."""
        call_args, call_kwargs = as_args(args), dict(kwargs or {})
        kind = self.event.kind
        if kind in ("model", "workflow", "agent") and len(call_args) == 1 and not call_kwargs:
            call_args, call_kwargs = payload_args(self.event, call_args[0], self._models)
        self._dispatcher.run_now(self.event, call_args, call_kwargs, raise_errors=True)
        if node is not None and kind == "agent" and call_args and isinstance(call_args[0], JitDict):
            when = "Before" if self.event.operate == "preEvent" else "After"
            node.remark = f"{when} calling {call_args[0].get('toolName', '')}"
        return node, call_args, call_kwargs


class EventApi:
    """`app.event.publish(sender=..., args=..., kwargs=...)`."""

    def __init__(self, publish: Publish):
        self._publish = publish

    def publish(self, sender: str, args: Any = (), kwargs: dict | None = None) -> list:
        return self._publish(sender, args=args, kwargs=kwargs)


class MessageApi:
    """The built-in message service: `app.message.send(title=..., content=..., receivers=[...])`."""

    def __init__(self, records: "RecordStore"):
        self._records = records

    def send(self, title: str, content: str = "", receivers: Any = None, level: str = "info", **extra: Any) -> dict:
        receivers = native(receivers)
        if isinstance(receivers, (str, int)):
            receivers = [receivers]
        receivers = list(receivers or [])
        with step("message", str(native(title))):
            message_id = self._records.add_message(str(native(title)), "" if content is None else str(native(content)),
                                                   receivers, level=level, source=current_event())
        return {"id": message_id, "title": native(title), "receivers": receivers, "sent": len(receivers)}

    def list(self, after_id: int | None = None, limit: int = 100) -> list[dict]:
        return [m.to_json() for m in self._records.messages(after_id, limit)]


class EventSvc:
    """The built-in event service `events.services.EventSvc`."""

    def __init__(self, dispatcher: "Dispatcher", records: "RecordStore"):
        self._dispatcher, self._records = dispatcher, records

    def sendEvent(self, sender: str, kwargs: dict | None = None, eventType: str = "events.NormalType") -> JitDict:
        """Trigger the events listening to `sender` by hand. For model events the sender is
        `models.X_Operate` and kwargs holds prevData/postData."""
        outcomes = self._dispatcher.send(str(native(sender)), native(kwargs) or {}, eventType)
        return JitDict({"sender": sender, "eventType": eventType, "results": [o.to_json() for o in outcomes]})

    def getEventLog(self, fullName: str | None = None, startTime: Any = None, endTime: Any = None,
                    status: str | None = None, page: int = 1, pageSize: int = 20) -> JitDict:
        log = self._records.event_log(fullName, _when(startTime), _when(endTime), status, page, pageSize)
        return JitDict({"totalCount": log["totalCount"], "rowDatas": log["rowDatas"]})

    def getEventLogByRequestId(self, requestId: str) -> list[dict]:
        return [r.to_json() for r in self._records.by_request(requestId)]


def _when(value: Any) -> Any:
    value = native(value)
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return value


class Elements:
    """What `app.getElement(fullName)` returns, made once per name: a model's data API, a service, an event,
    the built-in EventSvc, or what an engine registered for its family (workflows, aiagents, aiassistants)."""

    def __init__(self, project: Project, models: Mapping[str, "ModelApi"], handlers: "Handlers", index: "EventIndex",
                 dispatcher: "Dispatcher", typed: TypedArgs, event_service: EventSvc):
        self._project, self._models, self._handlers = project, models, handlers
        self._index, self._dispatcher, self._typed = index, dispatcher, typed
        self._event_service = event_service
        self._factories: dict[str, Callable[[str], Any]] = {}
        self._made: dict[str, Any] = {}

    def register(self, family: str, factory: Callable[[str], Any]) -> None:
        """Serve `getElement("<family>.X")` with `factory(fullName)`."""
        self._factories[family] = factory

    def get(self, full_name: str) -> Any:
        full_name = str(native(full_name))
        if full_name in self._models:
            return self._models[full_name]
        if full_name == EVENT_SERVICE:
            return self._event_service
        found = self._made.get(full_name)
        if found is not None:
            return found
        element = self._project.get(full_name)
        family = full_name.partition(".")[0]
        if isinstance(element, ServiceElement):
            found = ServiceProxy(full_name, self._handlers.service(full_name), self._typed)
        elif isinstance(element, EventElement) and full_name in self._index.by_name:
            found = EventHandle(self._index.by_name[full_name], self._dispatcher, self._models)
        elif family in self._factories:
            found = self._factories[family](full_name)
        if found is None:
            hint = "it is not in the app" if element is None else f"the local runtime cannot run {family} elements yet"
            raise ElementNotFound(f"app.getElement({full_name!r}): {hint}")
        self._made[full_name] = found
        return found


class App:
    """`app` in handler and service code."""

    def __init__(self, name: str, elements: Elements, publish: Publish, messages: MessageApi):
        self._name = name
        self._elements = elements
        self.event = EventApi(publish)
        self.message = messages
        self.models = _Family(self, "models")
        self.services = _Family(self, "services")
        self.events = _Family(self, "events")
        self.workflows = _Family(self, "workflows")
        self.aiagents = _Family(self, "aiagents")
        self.aiassistants = _Family(self, "aiassistants")

    @property
    def name(self) -> str:
        return self._name

    def getElement(self, fullName: str) -> Any:
        return self._elements.get(fullName)

    def __repr__(self) -> str:
        return f"<app {self.name}>"
