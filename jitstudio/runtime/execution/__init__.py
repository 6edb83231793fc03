"""Running a handler as one recorded execution: the context that links nested executions, the traced
execution path, explicit steps, the one Outcome type, and the watchdog that stops a handler past its time.
Each name is imported on first use."""
from typing import TYPE_CHECKING

from ... import lazy_exports

__all__ = [
    "ExecutionContext", "HandlerTimeout", "Outcome", "RunOptions", "Tracer", "current_chain", "current_event", "current_execution",
    "request_scope", "scoped_request",
    "error_text", "run_recorded", "step", "traceback_frames",
]

if TYPE_CHECKING:
    from .context import ExecutionContext, current_chain, current_event, current_execution, request_scope, scoped_request
    from .outcome import Outcome
    from .run import RunOptions, run_recorded, traceback_frames
    from .steps import step
    from .tracing import Tracer, error_text
    from .watchdog import HandlerTimeout
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".context": ("ExecutionContext", "current_chain", "current_event", "current_execution", "request_scope", "scoped_request"),
        ".outcome": ("Outcome",),
        ".run": ("RunOptions", "run_recorded", "traceback_frames"),
        ".steps": ("step",),
        ".tracing": ("Tracer", "error_text"),
        ".watchdog": ("HandlerTimeout",),
    })
