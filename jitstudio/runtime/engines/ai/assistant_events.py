"""Firing an assistant's `events.AIAssistantType` events: JitAI's run and node operates and the lifecycle
operates (init, aiMessage, triggerEvent, error, onLogicalCondition(Result), analyticsEvent, turnEnd).

Watch-only events never break a run: a failure is recorded in its execution and in the event log. The
control events' answers are honoured: triggerEvent's isQualified and goto, error's throwError, turnEnd's value.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from ....project import EventElement
from ....project.schemas import AIAssistantEventSpec
from ...values import JitDict, JitValue, native, wrap
from ..host import EventLog, Host, enabled_events

CONTROL_OPERATES = ("triggerEvent", "error", "turnEnd")


def lifecycle_payload(**items: Any) -> JitDict:
    """eventOutData for a lifecycle event: `state` stays the live AssistantState, the rest typed values."""
    return JitDict({k: v if isinstance(v, JitValue) else wrap(v) for k, v in items.items()})


class ErrorInfo(JitDict):
    """The `error` a lifecycle handler receives: `name` (the exception's class), `message`, `traceback` and
    `text` ("Name: message"); `str(error)` is the text."""

    @classmethod
    def of(cls, exc: BaseException, message: str | None = None) -> "ErrorInfo":
        name = type(exc).__name__
        message = str(exc) if message is None else message
        return cls({"name": name, "message": message, "text": f"{name}: {message}",
                    "traceback": "".join(traceback.format_exception(exc))})

    def __str__(self) -> str:
        return str(self.get("text") or "")


@dataclass
class TriggerAnswer:
    """What triggerEvent's handlers decided: whether the turn runs, and the node it starts at (`goto`)."""

    qualified: bool = True
    goto: str | None = None


class AssistantEvents:
    def __init__(self, host: Host, assistant: str, log: EventLog):
        self.host, self.assistant, self.log = host, assistant, log

    def _matching(self, operate: str) -> list[EventElement]:
        return [e for e in enabled_events(self.host.project, "events.AIAssistantType")
                if isinstance(spec := e.event_spec, AIAssistantEventSpec)
                and spec.sender == self.assistant and spec.operate == operate]

    def listens(self, operate: str) -> bool:
        return bool(self._matching(operate))

    def fire(self, operate: str, *args: Any) -> list[Any]:
        """Run every matching event with `args`; the values of those that succeeded, in order."""
        values = []
        for event in self._matching(operate):
            outcome = self.host.run_event(event, tuple(args), {}, trigger=f"{self.assistant}.{operate}")
            self.log.add(event, operate, outcome)
            if outcome.status == "success":
                values.append(native(outcome.value))
        return values

    def trigger(self, payload: JitDict) -> TriggerAnswer:
        """triggerEvent: the turn runs unless a handler answers {"isQualified": false}; an answer with
        {"goto": "<nodeId>"} starts it at that node (the last such answer wins)."""
        answer = TriggerAnswer()
        for value in self.fire("triggerEvent", payload):
            if _get(value, "isQualified") is False:
                answer.qualified = False
            if isinstance(value, dict) and value.get("goto"):
                answer.goto = str(value["goto"])
        return answer

    def throw(self, payload: JitDict) -> bool:
        """error: stop (throw) unless a handler answers {"throwError": false} and none answers true."""
        answers = [_get(v, "throwError") for v in self.fire("error", payload)]
        if any(a is True for a in answers):
            return True
        return not any(a is False for a in answers)

    def turn_value(self, payload: JitDict, default: Any) -> Any:
        """turnEnd: the last handler's return value (`{"returnValue": X}` gives X) replaces the default."""
        value = default
        for answer in self.fire("turnEnd", payload):
            if answer is None:
                continue
            value = answer["returnValue"] if isinstance(answer, dict) and set(answer) == {"returnValue"} else answer
        return value


def _get(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        found = value.get(key)
        return bool(found) if found is not None else None
    return None
