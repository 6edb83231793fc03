"""The assistant graph runtime: start, aiagent, function, ifelse, iteration and end nodes joined by edges
whose argMapping feeds each node, with node events, the lifecycle events and a persisted session."""
from __future__ import annotations

import contextvars
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ....errors import AppError
from ....project import AssistantElement, qfilter
from ....project.schemas import AssistantEdge, AssistantNode
from ...values import native
from .agent import AgentRunner
from .assistant_events import AssistantEvents, ErrorInfo, lifecycle_payload
from ..host import EventLog, Host
from .history import Window, conversation
from .sessions import APP_TRIGGER, AssistantState, HistoryStep, SessionError, SessionStore, new_id, session_type_of

STEP_TYPES = {"start": "TRIGGER_NODE", "aiagent": "LLM_NODE", "function": "TOOL_NODE", "ifelse": "IF_ELSE_NODE",
              "iteration": "ITERATION_NODE", "end": "END_NODE"}
EVENTFUL = ("aiagent", "function", "ifelse", "iteration")
LOOP_PORTS = ("loop", "body")
MAX_NODE_RUNS = 1000

_running: contextvars.ContextVar["AssistantRunner | None"] = contextvars.ContextVar("jitstudio_assistant", default=None)

NodeWatcher = Callable[[str, str, "BaseException | None"], None]
_node_watcher: contextvars.ContextVar[NodeWatcher | None] = contextvars.ContextVar("jitstudio_assistant_nodes", default=None)


@contextmanager
def watching_nodes(watcher: NodeWatcher) -> Iterator[None]:
    """Tell `watcher(node_id, status, error)` as each node of the turns run inside the block starts
    ("running") and ends ("ok", or "failed" with the exception, caught or not), in this context only."""
    token = _node_watcher.set(watcher)
    try:
        yield
    finally:
        _node_watcher.reset(token)


def _tell(node_id: str, status: str, error: BaseException | None = None) -> None:
    watcher = _node_watcher.get()
    if watcher is not None:
        watcher(node_id, status, error)


class AssistantError(AppError):
    """The assistant cannot run as configured, or a node failed and no error handler caught it."""


@dataclass
class Turn:
    assistant: str
    session_id: str
    session_type: str = "TEXT"
    reply: Any = None
    qualified: bool = True
    return_value: Any = None
    history: list[HistoryStep] = field(default_factory=list)
    events: EventLog = field(default_factory=EventLog)

    def to_json(self) -> dict[str, Any]:
        from ...values.jsonable import to_jsonable

        return {"assistant": self.assistant, "sessionId": self.session_id, "sessionType": self.session_type,
                "reply": to_jsonable(self.reply),
                "qualified": self.qualified, "returnValue": to_jsonable(self.return_value),
                "history": [h.to_json() for h in self.history], "events": self.events.to_json()}


class _Context:
    def __init__(self, state: AssistantState, events: AssistantEvents, question_id: str):
        self.state, self.events, self.question_id = state, events, question_id
        self.outputs: dict[str, dict[str, Any]] = {}
        self.loops: dict[str, dict[str, Any]] = {}
        self.reply: Any = None
        self.ended = False
        self.runs = 0

    def resolve(self, expr: Any) -> Any:
        """`<nodeId>.<output>[.<key>…]` from what the node produced (an iteration's `index`/`item` while it
        loops); text naming no node is a literal."""
        if not isinstance(expr, str):
            return expr
        head, _, rest = expr.partition(".")
        if head in self.loops and rest.partition(".")[0] in ("index", "item"):
            value: Any = self.loops[head]
        elif head in self.outputs:
            value = self.outputs[head]
        else:
            return expr if not rest else None
        for key in rest.split(".") if rest else []:
            value = native(value)
            if isinstance(value, dict):
                value = value.get(key)
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                return None
        return native(value)

    def mapped(self, mapping: dict[str, Any] | None) -> dict[str, Any]:
        return {name: self.resolve(expr) for name, expr in (mapping or {}).items()}


class AssistantRunner:
    def __init__(self, host: Host, assistant: str):
        element = host.project.get(assistant)
        if not isinstance(element, AssistantElement) or element.config_spec is None or element.spec is None:
            known = ", ".join(a.full_name for a in host.project.assistants) or "none"
            raise AssistantError(f"no valid assistant '{assistant}' (assistants: {known})")
        self.host, self.element, self.config = host, element, element.config_spec
        self.full_name = assistant
        self.nodes: dict[str, AssistantNode] = dict(self.config.nodes)
        starts = [n.id for n in self.nodes.values() if n.type == "start"]
        if len(starts) != 1:
            raise AssistantError(f"{assistant} needs exactly one start node (has {len(starts)})")
        self.start_id = starts[0]
        self.sessions = SessionStore(host.engine)
        self.llm_defaults = {"model": self.config.model, "baseUrl": self.config.baseUrl, "apiKeyEnv": self.config.apiKeyEnv,
                             "apiKey": self.config.apiKey, "temperature": self.config.temperature,
                             "maxTokens": self.config.maxTokens, **self.config.llmConfig}
        self._log: EventLog | None = None

    def out_edges(self, node_id: str) -> list[AssistantEdge]:
        return [e for e in self.config.edges if e.sourceNode == node_id]

    # a turn
    def run(self, message: str, inputs: dict[str, Any] | None = None, session_id: str | None = None,
            session_type: str | None = None, app_name: str | None = None) -> Turn:
        """One turn. `session_type` (TEXT, VOICE) is a new session's type (default TEXT); `app_name` says the
        turn was started by that app rather than a user (its history step is APP_TRIGGER_NODE)."""
        session_type = session_type_of(session_type)
        payload: dict[str, Any] = {"message": message, "inputs": native(inputs) or {}, "sessionId": session_id}
        if session_type:
            payload["sessionType"] = session_type
        if app_name:
            payload["appName"] = app_name
        return self.host.record(self.full_name, self.element.type or "aiassistants.NormalType", "run", payload,
                                lambda: self._turn(message, inputs, session_id, session_type, app_name))

    def _turn(self, message, inputs, session_id, session_type, app_name) -> Turn:
        state = self.sessions.load(self.full_name, session_id) if session_id else None
        created = state is None
        if state is None:
            state = AssistantState(session_id or new_id("session"), session_type or "TEXT")
        elif session_type and session_type != state.sessionType:
            raise SessionError(f"session {state.sessionId} is a {state.sessionType} session; "
                               f"it cannot go on as a {session_type} session")
        turn = Turn(self.full_name, state.sessionId, state.sessionType)
        events = AssistantEvents(self.host, self.full_name, turn.events)
        token = _running.set(self)
        self._log = turn.events
        try:
            if created:
                events.fire("init", lifecycle_payload(state=state))
            events.fire("beforeRun", message)
            start = self.nodes[self.start_id]
            values = {arg.name: arg.value for arg in self.element.spec.inputArgs}
            values.update(native(inputs) or {})
            values["userInput"] = message
            message_id = state.add_message("user", message)
            ctx = _Context(state, events, message_id)
            ctx.outputs[self.start_id] = values
            _tell(self.start_id, "running")
            answer = events.trigger(lifecycle_payload(triggerName=self.start_id, triggerBody=values, state=state))
            turn.qualified = answer.qualified
            raw = {**values, "qualified": answer.qualified}
            if answer.goto:
                raw["goto"] = answer.goto
            if app_name:
                raw["appName"] = app_name
            state.add_step(APP_TRIGGER if app_name else "TRIGGER_NODE", self.start_id, start.title or start.id, raw,
                           [message_id], app_name)
            _tell(self.start_id, "ok")
            if turn.qualified:
                self._walk(ctx, self._first_edges(answer.goto, values))
            turn.reply = ctx.reply
            events.fire("afterRun")
            default = {"reply": ctx.reply, "sessionId": state.sessionId, "qualified": turn.qualified}
            turn.return_value = events.turn_value(lifecycle_payload(state=state), default)
        finally:
            _running.reset(token)
            self._log = None
            turn.history = list(state.new_steps)
            self.sessions.save(self.full_name, state, created=created)
        return turn

    def _first_edges(self, goto: str | None, values: dict[str, Any]) -> list[tuple[AssistantEdge, str]]:
        """The start node's out-edges, or one edge straight to the node triggerEvent named in `goto` (by id,
        else by title), which is handed the start node's values as its inputs."""
        if goto is None or goto == self.start_id:
            return [(e, self.start_id) for e in self.out_edges(self.start_id)]
        titled = [n.id for n in self.nodes.values() if n.title == goto]
        if goto not in self.nodes and len(titled) != 1:
            raise AssistantError(f"triggerEvent answered goto {goto!r}, which names no node of {self.full_name} "
                                 f"(nodes: {', '.join(self.nodes)})")
        target = goto if goto in self.nodes else titled[0]
        mapping = {name: f"{self.start_id}.{name}" for name in values}
        return [(AssistantEdge(sourceNode=self.start_id, targetNode=target, argMapping=mapping), self.start_id)]

    def _walk(self, ctx: _Context, pending: list[tuple[AssistantEdge, str]], stop_at: str | None = None) -> dict[str, Any] | None:
        """Run nodes breadth-first from `pending` edges; returns the outputs of the last node run."""
        queue, last = deque(pending), None
        while queue and not ctx.ended:
            edge, _source = queue.popleft()
            if edge.targetNode == stop_at:
                continue
            node = self.nodes.get(edge.targetNode)
            if node is None:
                raise AssistantError(f"{self.full_name}: edge to unknown node '{edge.targetNode}'")
            ctx.runs += 1
            if ctx.runs > MAX_NODE_RUNS:
                raise AssistantError(f"{self.full_name} ran more than {MAX_NODE_RUNS} nodes in one turn; check its edges for a loop")
            inputs = ctx.mapped(edge.argMapping)
            next_edges = self._node(ctx, node, inputs)
            last = ctx.outputs.get(node.id)
            queue.extend((e, node.id) for e in next_edges)
        return last

    def _node(self, ctx: _Context, node: AssistantNode, inputs: dict[str, Any]) -> list[AssistantEdge]:
        eventful = node.type in EVENTFUL and node.events.backend
        _tell(node.id, "running")
        if eventful:
            ctx.events.fire(f"{node.id}.beforeNodeRun", *[ctx.resolve(a.value) for a in node.events.arrivalOutputArgs])
        try:
            with self.host.step("node", f"{node.type} {node.id}"):
                edges = self._execute(ctx, node, inputs)
        except Exception as exc:  # noqa: BLE001 - the error event decides: stop, or catch and continue
            _tell(node.id, "failed", exc)
            error = ErrorInfo.of(exc)
            if ctx.events.throw(lifecycle_payload(error=error, nodeId=node.id, state=ctx.state)):
                raise
            ctx.outputs[node.id] = {"error": str(error)}
            ctx.state.add_step(STEP_TYPES.get(node.type, "NODE"), node.id, node.title or node.id, {"error": str(exc), "caught": True})
            edges = [e for e in self.out_edges(node.id) if not e.condition and e.sourcePort not in LOOP_PORTS]
        else:
            _tell(node.id, "ok")
        if eventful:
            ctx.events.fire(f"{node.id}.afterNodeRun", *[ctx.resolve(a.value) for a in node.events.afterRunOutputArgs])
        return edges

    def _execute(self, ctx: _Context, node: AssistantNode, inputs: dict[str, Any]) -> list[AssistantEdge]:
        title = node.title or node.id
        extra = node.extra_keys()
        if node.type == "function":
            if not node.function:
                raise AssistantError(f"function node '{node.id}' names no function")
            kwargs = ctx.mapped(extra["args"]) if "args" in extra else inputs
            result = self.host.call_function(node.function, (), kwargs)
            ctx.outputs[node.id] = {"result": native(result)}
            ctx.state.add_step("TOOL_NODE", node.id, title, {"function": node.function, "args": kwargs, "result": native(result)})
        elif node.type == "aiagent":
            self._agent(ctx, node, inputs)
        elif node.type == "ifelse":
            edge = self._branch(ctx, node, inputs)
            ctx.outputs[node.id] = {"branch": edge.targetNode}
            ctx.state.add_step("IF_ELSE_NODE", node.id, title, {"inputs": inputs, "branch": edge.targetNode})
            return [edge]
        elif node.type == "iteration":
            self._iterate(ctx, node, inputs)
            return [e for e in self.out_edges(node.id) if e.sourcePort not in LOOP_PORTS]
        elif node.type == "end":
            ctx.outputs[node.id] = inputs
            ctx.reply = inputs.get("answer") if "answer" in inputs else (next(iter(inputs.values())) if len(inputs) == 1 else inputs or None)
            ctx.state.add_step("END_NODE", node.id, title, inputs)
            ctx.ended = True
            return []
        elif node.type != "start":
            raise AssistantError(f"node '{node.id}' is a {node.type} node, which the local runtime does not run")
        return self.out_edges(node.id)

    def _agent(self, ctx: _Context, node: AssistantNode, inputs: dict[str, Any]) -> None:
        if not node.agent:
            raise AssistantError(f"aiagent node '{node.id}' names no agent")
        question = str(inputs.get("input_data", inputs.get("userInput", ctx.outputs[self.start_id].get("userInput"))) or "")
        variables = {k: v for k, v in inputs.items() if k != "input_data"}
        runner = AgentRunner(self.host, node.agent, defaults=self.llm_defaults)
        asked = ctx.question_id if question == ctx.outputs[self.start_id].get("userInput") else None
        history = conversation(ctx.state.messages, Window.of(self.config, node), skip_id=asked)
        result = runner.run(question, variables, history=history)
        for call in result.tool_calls:
            ctx.state.add_step("TOOL_NODE", node.id, call.name, {"input": call.arguments, "output": call.result, "error": call.error})
        ctx.outputs[node.id] = {**result.outputs, "toolCalls": [c.to_json() for c in result.tool_calls]}
        message_id = ctx.state.add_message("assistant", result.answer)
        ctx.state.add_step("LLM_NODE", node.id, node.title or node.id,
                           {"input": question, "answer": result.answer, "historyMessages": len(history)}, [message_id])
        ctx.events.log.fired.extend(result.events.fired)
        ctx.events.fire("aiMessage", lifecycle_payload(message=result.answer, state=ctx.state))

    def _branch(self, ctx: _Context, node: AssistantNode, inputs: dict[str, Any]) -> AssistantEdge:
        fallback = None
        for edge in self.out_edges(node.id):
            if edge.else_ or not edge.condition:
                fallback = fallback or edge
                continue
            edge_json = {"source": edge.sourceNode, "target": edge.targetNode, "sourcePort": edge.sourcePort}
            ctx.events.fire("onLogicalCondition", lifecycle_payload(edge=edge_json, condition=edge.condition, state=ctx.state))
            started, error, result = time.perf_counter(), None, False
            try:
                result = qfilter.evaluate(edge.condition, inputs)
            except qfilter.QSyntaxError as exc:
                error = ErrorInfo.of(exc, f"condition {edge.condition!r} is not a valid Q filter: {exc}")
            elapsed = (time.perf_counter() - started) * 1000
            extra = {"error": error} if error else {}
            ctx.events.fire("onLogicalConditionResult", lifecycle_payload(
                edge=edge_json, condition=edge.condition, result=result, executionTimeMs=elapsed, state=ctx.state, **extra))
            if error:
                raise AssistantError(f"{node.id}: {error['message']}")
            if result:
                return edge
        if fallback is None:
            raise AssistantError(f"no branch of '{node.id}' holds and none is marked else")
        return fallback

    def _iterate(self, ctx: _Context, node: AssistantNode, inputs: dict[str, Any]) -> None:
        items_expr = node.extra_keys().get("items")
        items = ctx.resolve(items_expr) if items_expr else inputs.get("items")
        items = list(native(items) or [])
        body = [(e, node.id) for e in self.out_edges(node.id) if e.sourcePort in LOOP_PORTS]
        results = []
        for index, item in enumerate(items):
            ctx.loops[node.id] = {"index": index, "item": item}
            results.append(self._walk(ctx, body, stop_at=node.id))
        ctx.loops.pop(node.id, None)
        ctx.outputs[node.id] = {"results": results, "count": len(items),
                                "index": len(items) - 1 if items else None, "item": items[-1] if items else None}
        ctx.state.add_step("ITERATION_NODE", node.id, node.title or node.id, {"count": len(items), "results": results})

    # analytics
    def track(self, event_name: str, payload: Any, session_id: str) -> None:
        log = self._log if self._log is not None else EventLog()
        AssistantEvents(self.host, self.full_name, log).fire(
            "analyticsEvent", lifecycle_payload(eventName=event_name, payload=native(payload) or {}, sessionId=session_id))


def trackAnalyticsEvent(eventName: str, payload: dict[str, Any], sessionId: str) -> None:
    """Send a custom analytics event from app code running inside an assistant turn."""
    runner = _running.get()
    if runner is None:
        raise AssistantError("trackAnalyticsEvent is called outside an assistant turn; use "
                             "app.getElement('aiassistants.X').trackAnalyticsEvent(...) instead")
    runner.track(eventName, payload, sessionId)
