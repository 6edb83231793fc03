"""Events: which events listen to what (the index), running them now or through the outbox (dispatch and
`queue/`), the model-event half of every write, and finding the app code a handler names. Each name is imported
on first use."""
from typing import TYPE_CHECKING

from ... import lazy_exports

__all__ = [
    "CompiledEvent", "Dispatcher", "Enqueue", "EventChainTooDeep", "EventIndex", "HandlerError", "Handlers",
    "ModelEvents", "Selector", "as_args", "compile_event", "get_sender", "payload_args",
]

if TYPE_CHECKING:
    from .dispatch import Dispatcher, Enqueue, EventChainTooDeep
    from .handlers import HandlerError, Handlers
    from .index import CompiledEvent, EventIndex, Selector, compile_event, get_sender
    from .model_events import ModelEvents
    from .payloads import as_args, payload_args
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".dispatch": ("Dispatcher", "Enqueue", "EventChainTooDeep"),
        ".handlers": ("HandlerError", "Handlers"),
        ".index": ("CompiledEvent", "EventIndex", "Selector", "compile_event", "get_sender"),
        ".model_events": ("ModelEvents",),
        ".payloads": ("as_args", "payload_args"),
    })
