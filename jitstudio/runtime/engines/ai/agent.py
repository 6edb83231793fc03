"""The agent loop: ask the model, run the tools it calls, hand results (or errors) back, until it answers.

Tool events (`events.AIAgentType`, sender = the agent, stage preEvent/postEvent) are hooks: a failing
handler is recorded and never stops the tool or the run; a tool that raises still fires its postEvent. A
preEvent handler whose e.json says `"blocking": true` may veto the call by raising: the tool is not called,
and the model is told who refused and why.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ....errors import AppError
from ....project import AgentElement, TextFile
from ....project.files import cannot_read
from ...values import JitDict, JitValue, native, wrap
from ..host import EventLog, Host, enabled_events
from .providers import ChatProvider, message_text, parse_arguments, provider_from_config
from .tools import Tool, build_tools

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class AgentError(AppError):
    """The agent could not finish: no such agent, or it used up its turns."""


@dataclass
class ToolCallResult:
    id: str
    name: str
    arguments: dict[str, Any]
    result: str
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"id": self.id, "name": self.name, "arguments": self.arguments, "result": self.result}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class AgentResult:
    agent: str
    answer: str
    turns: int
    messages: list[dict[str, Any]]
    tool_calls: list[ToolCallResult] = field(default_factory=list)
    events: EventLog = field(default_factory=EventLog)
    output_name: str = "answer"

    @property
    def outputs(self) -> dict[str, Any]:
        return {self.output_name: self.answer}

    def to_json(self) -> dict[str, Any]:
        return {"agent": self.agent, "answer": self.answer, "turns": self.turns,
                "toolCalls": [c.to_json() for c in self.tool_calls], "events": self.events.to_json()}


def render_prompt(template: str, variables: dict[str, Any]) -> str:
    """`{name}` replaced by the variable's value (JSON for dicts and lists); other braces stay as written."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in variables:
            return match.group(0)
        value = native(variables[name])
        if value is None:
            return ""
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return _PLACEHOLDER.sub(replace, template)


def result_text(value: Any) -> str:
    value = native(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _prompt(element: AgentElement) -> str | None:
    """The agent's prompt.md, read as every app file is (a special or oversized file is refused)."""
    path = element.directory / "prompt.md"
    if not os.path.lexists(path):
        return None
    try:
        return TextFile.read(path).text
    except OSError as exc:
        raise AgentError(f"{path}: {cannot_read(exc)}") from None


class AgentRunner:
    def __init__(self, host: Host, agent: str, *, provider: ChatProvider | None = None, defaults: dict[str, Any] | None = None):
        element = host.project.get(agent)
        if not isinstance(element, AgentElement) or element.config_spec is None or element.spec is None:
            known = ", ".join(a.full_name for a in host.project.agents) or "none"
            raise AgentError(f"no valid agent '{agent}' (agents: {known})")
        self.host, self.element, self.config = host, element, element.config_spec
        self.tools: dict[str, Tool] = build_tools(host.project, self.config)
        self.provider = provider or provider_from_config(self.config.llmConfig, defaults)
        self.prompt = _prompt(element) or self.config.description or ""

    @property
    def full_name(self) -> str:
        return self.element.full_name

    def variables(self, given: dict[str, Any] | None) -> dict[str, Any]:
        values = {arg.name: arg.value for arg in self.element.spec.inputArgs}
        values.update(native(given) or {})
        return values

    def run(self, user_input: str, variables: dict[str, Any] | None = None,
            on_message: Callable[[dict[str, Any]], None] | None = None,
            history: list[dict[str, Any]] | None = None) -> AgentResult:
        """One run, recorded as an execution of the agent. `history` (chat messages of the conversation so far)
        goes between the system prompt and the question."""
        payload = {"input": user_input, "variables": native(variables) or {}}
        return self.host.record(self.full_name, self.element.type or "aiagents.ReActType", "run", payload,
                                lambda: self._loop(user_input, variables, on_message, history or []))

    def _loop(self, user_input, variables, on_message, history: list[dict[str, Any]]) -> AgentResult:
        emit = on_message or (lambda message: None)
        messages = [{"role": "system", "content": render_prompt(self.prompt, self.variables(variables))},
                    *history, {"role": "user", "content": str(native(user_input) or "")}]
        outputs = self.element.spec.outputArgs
        result = AgentResult(self.full_name, "", 0, messages, output_name=outputs[0].name if outputs else "answer")
        definitions = [tool.definition() for tool in self.tools.values()]
        for turn in range(1, self.config.maxTurns + 1):
            result.turns = turn
            with self.host.step("llm", f"{self.provider.name} {self.provider.model}: turn {turn}"):
                reply = self.provider.complete(messages, definitions)
            messages.append(reply)
            calls = reply.get("tool_calls") or []
            if not calls:
                result.answer = message_text(reply)
                emit({"type": "TEXT_MESSAGE_CONTENT", "data": {"content": result.answer}})
                return result
            for call in calls:
                emit({"type": "TOOL_CALL_START", "data": {"toolName": call["function"]["name"]}})
                done = self._call_tool(call, result.events)
                result.tool_calls.append(done)
                messages.append({"role": "tool", "tool_call_id": done.id, "content": done.result})
                emit({"type": "TOOL_CALL_END", "data": done.to_json()})
        raise AgentError(f"{self.full_name} used all {self.config.maxTurns} turns (maxTurns) without answering; "
                         f"tools called: {', '.join(c.name for c in result.tool_calls) or 'none'}")

    def _call_tool(self, call: dict[str, Any], log: EventLog) -> ToolCallResult:
        call_id, name = call.get("id") or "", call["function"]["name"]
        tool = self.tools.get(name)
        if tool is None:
            error = f"there is no tool named {name!r}; tools: {', '.join(self.tools) or 'none'}"
            return ToolCallResult(call_id, name, {}, f"Error: {error}", error)
        try:
            arguments = parse_arguments(call["function"].get("arguments"))
        except ValueError as exc:
            error = f"the arguments of {name} are not a JSON object: {exc}"
            return ToolCallResult(call_id, name, {}, f"Error: {error}", error)
        if tool.pre is not None:
            refusal = self._fire(tool, "preEvent", log, args=JitDict.new({}, arguments) if tool.pre.withData else JitDict({}))
            if refusal is not None:
                return ToolCallResult(call_id, name, arguments, f"Error: {refusal}", refusal)
        value: Any = None
        try:
            with self.host.step("tool", name, arguments=arguments):
                value = self.host.call_function(name, (), arguments)
            done = ToolCallResult(call_id, name, arguments, result_text(value))
        except Exception as exc:  # noqa: BLE001 - the model is told what went wrong and may try again
            error = f"{type(exc).__name__}: {exc}"
            done = ToolCallResult(call_id, name, arguments, f"Error: {error}", error)
        if tool.post is not None:
            if tool.post.withData:
                data = {"args": wrap(done.result, "Ltext"), "inputs": JitDict.new({}, arguments)}
                if done.error is None and value is not None:
                    data["result"] = _typed(value)
            else:
                data = {"args": wrap("", "Ltext")}
            self._fire(tool, "postEvent", log, error=done.error, **data)
        return done

    def _fire(self, tool: Tool, stage: str, log: EventLog, error: str | None = None, **data: Any) -> str | None:
        """Run the stage's events of this agent with `toolName`, `stage`, `data` (and `error`); the refusal of
        the first blocking preEvent handler that raised, if any."""
        for event in enabled_events(self.host.project, "events.AIAgentType"):
            spec = event.event_spec
            if spec.sender != self.full_name or spec.stage != stage:
                continue
            items: dict[str, Any] = {"toolName": wrap(tool.name, "Stext"), "stage": wrap(stage, "Stext"), **data}
            if error is not None:
                items["error"] = wrap(error, "Ltext")
            payload = JitDict(items)
            outcome = self.host.run_event(event, (payload,), {}, trigger=f"{self.full_name}.{stage}")
            log.add(event, stage, outcome, payload.toDict())
            if outcome.failed and stage == "preEvent" and getattr(spec, "blocking", False):
                return f"{event.full_name} refused the call to {tool.name}: {outcome.message}"
        return None


def _typed(value: Any) -> Any:
    """A tool's return value as the data a handler reads: dicts as JitDict, lists as JitList, rows and other
    datatype objects as they are, scalars typed by their value."""
    return value if isinstance(value, JitValue) else wrap(native(value))
