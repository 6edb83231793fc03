"""An event's arguments from a JSON payload, as a person or a tool gives them (Test run, `event test`,
`EventSvc.sendEvent`, re-runs of a recorded input)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ...errors import ElementNotFound
from ..values import JitDict, RowData, model_event_payload, native, wrap
from .index import CompiledEvent

if TYPE_CHECKING:
    from ..data import ModelApi

__all__ = ["as_args", "payload_args"]


def payload_args(event: CompiledEvent, payload: Any, models: Mapping[str, "ModelApi"]) -> tuple[tuple, dict]:
    """Model events take {prevData, postData} (optType defaults to the event's operate); custom events
    {args, kwargs} or one value; assistant events a list of positional arguments; agent and approval events
    the eventOutData dict."""
    payload = native(payload)
    if event.kind == "model":
        data = payload if isinstance(payload, dict) else {}
        api = models.get(event.sender)
        if api is None:
            raise ElementNotFound(f"no model {event.sender!r}; models: {', '.join(models) or 'none'}")
        opt = data.get("optType") or event.operate
        return (model_event_payload(api, opt, data.get("prevData") or {}, data.get("postData") or {}),), {}
    if event.kind == "normal":
        if isinstance(payload, dict) and set(payload) <= {"args", "kwargs"}:
            return as_args(payload.get("args", ())), dict(payload.get("kwargs") or {})
        return (payload,), {}
    if isinstance(payload, list):
        return tuple(payload), {}
    if isinstance(payload, dict) and event.kind == "workflow" and isinstance(payload.get("row"), dict):
        payload = {**payload, "row": RowData(payload["row"], models.get(event.sender))}
    return (JitDict({k: v if isinstance(v, RowData) else wrap(v) for k, v in (payload or {}).items()}),), {}


def as_args(args: Any) -> tuple:
    """Positional arguments as callers give them: None, one value, or a list/tuple of values."""
    if args is None:
        return ()
    if isinstance(args, (list, tuple)):
        return tuple(args)
    return (args,)
