"""Firing an assistant's `events.AIAssistantType` events: JitAI's run and node operates and the lifecycle
operates (init, aiMessage, triggerEvent, error, onLogicalCondition(Result), analyticsEvent, turnEnd).

Watch-only events never break a run: a failure is recorded in its execution and in the event log. The
control events' answers are honoured: triggerEvent's isQualified, error's throwError, turnEnd's value.
"""
from __future__ import annotations

from typing import Any

from ...values import JitDict, JitValue, native, wrap
from ..host import EventLog, Host, enabled_events

CONTROL_OPERATES = ("triggerEvent", "error", "turnEnd")


def lifecycle_payload(**items: Any) -> JitDict:
    """eventOutData for a lifecycle event: `state` stays the live AssistantState, the rest typed values."""
    return JitDict({k: v if isinstance(v, JitValue) else wrap(v) for k, v in items.items()})


class AssistantEvents:
    def __init__(self, host: Host, assistant: str, log: EventLog):
        self.host, self.assistant, self.log = host, assistant, log

    def _matching(self, operate: str):
        return [e for e in enabled_events(self.host.project, "events.AIAssistantType")
                if e.event_spec.sender == self.assistant and e.event_spec.operate == operate]

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

    def qualified(self, payload: JitDict) -> bool:
        """triggerEvent: the turn runs unless a handler answers {"isQualified": false}."""
        answers = [_get(v, "isQualified") for v in self.fire("triggerEvent", payload)]
        return not any(a is False for a in answers)

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
