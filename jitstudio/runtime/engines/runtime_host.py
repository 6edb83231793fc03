"""The engines on the real Runtime: a Host over it, and the `workflows.X`, `aiagents.X` and
`aiassistants.X` elements that `app.getElement` serves once `attach(runtime)` has run."""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..data import units
from ..execution.run import run_recorded
from ..values import native
from .ai.agent import AgentRunner
from .ai.assistant import AssistantRunner
from .hosting import Outcome, ensure_tables

if TYPE_CHECKING:
    from .approvals import ApprovalEngine
    from ..runtime import Runtime


class RuntimeHost:
    """Host for the engines: events run through the runtime's dispatcher (recorded, async via the outbox),
    functions through its elements, and every engine call is an execution in its record store."""

    def __init__(self, runtime: "Runtime"):
        self.runtime = runtime
        self.project = runtime.project

    @property
    def engine(self):
        return self.runtime.engine

    def run_event(self, event, args: tuple, kwargs: dict, *, trigger: str) -> Outcome:
        outcome = self.runtime.run_event(event, args, kwargs, trigger=trigger)
        return Outcome(outcome.event, outcome.status, outcome.value, _message(outcome), outcome.record_id)

    def call_function(self, path: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        return self.runtime.call_function(path, args, kwargs)

    def get_row(self, model: str, pk: Any) -> Any:
        return self.runtime.get_row(model, pk)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with units.write(self.runtime.engine) as conn:
            yield conn

    def record(self, element: str, element_type: str, operate: str, payload: Any, call: Callable[[], Any]) -> Any:
        token = self.runtime.bind()
        try:
            outcome = run_recorded(self.runtime.records, event=element, event_type=element_type, sender=element,
                                   operate=operate, input=payload, call=call, app_dir=self.runtime.root)
        finally:
            self.runtime.unbind(token)
        return outcome.unwrap()

    def step(self, kind: str, title: str, **info: Any):
        return self.runtime.step(kind, title, **info)


def _message(outcome: Any) -> str | None:
    """The handler's own message (what a person is shown), else the recorded error text."""
    exc = getattr(outcome, "exception", None)
    if exc is not None and str(exc):
        return str(exc)
    return outcome.error


class AgentApi:
    """`app.getElement("aiagents.X")`."""

    def __init__(self, host: RuntimeHost, full_name: str):
        self._host, self.fullName = host, full_name

    def run(self, user_input: str, variables: dict | None = None, chatId: str | None = None,
            stream_callback: Callable[[dict], None] | None = None) -> dict[str, Any]:
        result = AgentRunner(self._host, self.fullName).run(str(native(user_input)), native(variables), stream_callback)
        return result.outputs


class AssistantApi:
    """`app.getElement("aiassistants.X")`."""

    def __init__(self, host: RuntimeHost, full_name: str):
        self._runner = AssistantRunner(host, full_name)
        self.fullName = full_name

    def run(self, message: str, chatId: str | None = None, attachments: Any = None, caller: Any = None,
            streamMode: bool = False, inputs: dict | None = None) -> dict[str, Any]:
        return self._runner.run(str(native(message)), native(inputs), chatId).to_json()

    def getChatStatus(self, chatId: str) -> str | None:
        return "completed" if self._runner.sessions.load(self.fullName, chatId) is not None else None

    def trackAnalyticsEvent(self, eventName: str, payload: dict, sessionId: str) -> None:
        self._runner.track(eventName, payload, sessionId)


class Attached:
    """The engines serving one runtime."""

    def __init__(self, runtime: "Runtime"):
        self.runtime = runtime
        self.host = RuntimeHost(runtime)
        self._approvals: "ApprovalEngine | None" = None
        from .approvals.store import metadata as approval_tables
        from .ai.sessions import metadata as session_tables

        ensure_tables(runtime.engine, approval_tables)
        ensure_tables(runtime.engine, session_tables)
        runtime.register_element_factory("workflows", self._workflow)
        runtime.register_element_factory("aiagents", lambda name: AgentApi(self.host, name))
        runtime.register_element_factory("aiassistants", lambda name: AssistantApi(self.host, name))

    @property
    def approvals(self) -> "ApprovalEngine":
        """The approval engine, made (and its tables created) on first use."""
        if self._approvals is None:
            from .approvals import ApprovalEngine

            self._approvals = ApprovalEngine(self.host)
        return self._approvals

    def _workflow(self, full_name: str):
        from .approvals import WorkflowRuntimeElement

        return WorkflowRuntimeElement(self.approvals, full_name)

    def agent(self, full_name: str, **options: Any) -> AgentRunner:
        return AgentRunner(self.host, full_name, **options)

    def assistant(self, full_name: str) -> AssistantRunner:
        return AssistantRunner(self.host, full_name)


def attach(runtime: "Runtime") -> Attached:
    """Make workflows, agents and assistants runnable in `runtime` (idempotent per runtime). Cheap: the
    engines and their tables are made when first used."""
    found = getattr(runtime, "_jitstudio_ai", None)
    if found is None:
        found = Attached(runtime)
        runtime._jitstudio_ai = found
    return found
