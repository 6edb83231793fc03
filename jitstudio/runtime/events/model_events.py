"""The model-event half of every write of the data API: Before events inside the write (they may fill fields
or stop it), After events before it commits, async ones queued as plain data."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..values import RowData, model_event_payload
from .dispatch import Dispatcher
from .index import CompiledEvent, EventIndex, Selector
from .queue import model_event_ref

if TYPE_CHECKING:
    from ..data import ModelApi

__all__ = ["ModelEvents"]


class ModelEvents:
    """The model-event half of every write of the data API. What listens to a model's writes is looked up
    once per model and operation; a write that nothing listens to costs one dict lookup per phase."""

    def __init__(self, index: EventIndex, dispatcher: Dispatcher):
        self._index = index
        self._dispatcher = dispatcher
        self._plans: dict[tuple[str, str], tuple[Selector | None, tuple[Selector, ...]]] = {}

    def _plan(self, model: str, op: str) -> tuple[Selector | None, tuple[Selector, ...]]:
        """(the Before selector, the After and FieldUpdateAfter selectors) of a model's `op`."""
        found = self._plans.get((model, op))
        if found is None:
            selectors = self._index.selectors
            after = (selectors.get(("model", model, op + "After")), selectors.get(("model", model, "FieldUpdateAfter")))
            found = (selectors.get(("model", model, op + "Before")), tuple(s for s in after if s is not None))
            self._plans[(model, op)] = found
        return found

    def listened(self, model: str, op: str) -> bool:
        before, after = self._plan(model, op)
        return before is not None or bool(after)

    def before(self, api: "ModelApi", op: str, prev: dict, post: dict) -> dict:
        """Run the Before events of a write; returns `post`, or the values the handlers left when one ran."""
        selector = (self._plans.get((api.full_name, op)) or self._plan(api.full_name, op))[0]
        if selector is None:
            return post
        deleting = op == "Delete"
        candidates = selector.matching(prev, post, deleting)
        if not candidates:
            return post
        post_row = RowData(post, api)
        opt_type = op + "Before"
        event: CompiledEvent | None = candidates[0]
        while event is not None:
            payload = model_event_payload(api, opt_type, prev, post_row)
            self._dispatcher.run(event, (payload,), {}, raise_errors=True)
            # the handler may have changed postData: the events after it are tested against the new values
            later = selector.events[selector.position[event.full_name] + 1:]
            event = next((e for e in later if e.matches_row(prev, post_row._data, deleting)), None)
        return post_row._data

    def after(self, api: "ModelApi", op: str, prev: dict, post: dict) -> None:
        selectors = (self._plans.get((api.full_name, op)) or self._plan(api.full_name, op))[1]
        if not selectors:
            return
        deleting = op == "Delete"
        opt_type = op + "After"
        dispatcher = self._dispatcher
        for selector in selectors:
            for event in selector.matching(prev, post, deleting):
                if event.is_async:  # queued as plain data: the eventOutData is made when it runs
                    dispatcher.enqueue(event, (model_event_ref(api.full_name, opt_type, prev, post),), {})
                else:
                    dispatcher.run_now(event, (model_event_payload(api, opt_type, prev, post),), {}, raise_errors=True)
