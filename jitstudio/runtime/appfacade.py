"""`app` as handler and service code sees it: getElement, app.models.X, app.services.X, app.event, app.message."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .execution.run import step
from .values.typedargs import to_datatypes
from .values import JitDict, native

if TYPE_CHECKING:
    from .runtime import Runtime

EVENT_SERVICE = "events.services.EventSvc"


class ElementNotFound(LookupError):
    """`app.getElement(name)` for a name the app does not have."""


class _Family:
    def __init__(self, app: "App", family: str):
        self._app, self._family = app, family

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._app.getElement(f"{self._family}.{name}")


class ServiceProxy:
    """A service as app code calls it: each declared function call is a step of the running execution."""

    def __init__(self, runtime: "Runtime", full_name: str, instance: Any):
        self._rt, self._full_name, self._instance = runtime, full_name, instance

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._instance, name)
        if not callable(attr) or name.startswith("_"):
            return attr
        title = f"{self._full_name}.{name}"
        spec = self._rt.typed_spec(title)

        def call(*args: Any, **kwargs: Any) -> Any:
            if spec is not None:
                args, kwargs = to_datatypes(self._rt, title, spec, args, kwargs)
            with step("service", title):
                return attr(*args, **kwargs)

        call.__name__ = name
        return call

    def __repr__(self) -> str:
        return f"<service {self._full_name}>"


class EventApi:
    """`app.event.publish(sender=..., args=..., kwargs=...)`."""

    def __init__(self, runtime: "Runtime"):
        self._rt = runtime

    def publish(self, sender: str, args: Any = (), kwargs: dict | None = None) -> list:
        return self._rt.publish(sender, args=args, kwargs=kwargs)


class MessageApi:
    """The built-in message service: `app.message.send(title=..., content=..., receivers=[...])`."""

    def __init__(self, runtime: "Runtime"):
        self._rt = runtime

    def send(self, title: str, content: str = "", receivers: Any = None, level: str = "info", **extra: Any) -> dict:
        receivers = native(receivers)
        if isinstance(receivers, (str, int)):
            receivers = [receivers]
        receivers = list(receivers or [])
        with step("message", str(native(title))):
            message_id = self._rt.records.add_message(str(native(title)), "" if content is None else str(native(content)),
                                                      receivers, level=level, source=self._rt.current_event())
        return {"id": message_id, "title": native(title), "receivers": receivers, "sent": len(receivers)}

    def list(self, after_id: int | None = None, limit: int = 100) -> list[dict]:
        return [m.to_json() for m in self._rt.records.messages(after_id, limit)]


class EventSvc:
    """The built-in event service `events.services.EventSvc`."""

    def __init__(self, runtime: "Runtime"):
        self._rt = runtime

    def sendEvent(self, sender: str, kwargs: dict | None = None, eventType: str = "events.NormalType") -> JitDict:
        """Trigger the events listening to `sender` by hand. For model events the sender is
        `models.X_Operate` and kwargs holds prevData/postData."""
        outcomes = self._rt.send_event(sender, native(kwargs) or {}, eventType)
        return JitDict({"sender": sender, "eventType": eventType, "results": [o.to_json() for o in outcomes]})

    def getEventLog(self, fullName: str | None = None, startTime: Any = None, endTime: Any = None,
                    status: str | None = None, page: int = 1, pageSize: int = 20) -> JitDict:
        log = self._rt.records.event_log(fullName, _when(startTime), _when(endTime), status, page, pageSize)
        return JitDict({"totalCount": log["totalCount"], "rowDatas": log["rowDatas"]})

    def getEventLogByRequestId(self, requestId: str) -> list[dict]:
        return [r.to_json() for r in self._rt.records.by_request(requestId)]


def _when(value: Any) -> Any:
    value = native(value)
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return value


class App:
    def __init__(self, runtime: "Runtime"):
        self._rt = runtime
        self.event = EventApi(runtime)
        self.message = MessageApi(runtime)
        self.models = _Family(self, "models")
        self.services = _Family(self, "services")
        self.events = _Family(self, "events")
        self.workflows = _Family(self, "workflows")
        self.aiagents = _Family(self, "aiagents")
        self.aiassistants = _Family(self, "aiassistants")

    @property
    def name(self) -> str:
        return self._rt.project.name

    def getElement(self, fullName: str) -> Any:
        return self._rt.element(fullName)

    def __repr__(self) -> str:
        return f"<app {self.name}>"
