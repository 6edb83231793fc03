"""Running a handler as one recorded execution: the context that links nested executions, the traced
execution path, explicit steps, the one Outcome type, and the watchdog that stops a handler past its time."""
from .context import ExecutionContext, current_chain, current_event, current_execution
from .outcome import Outcome
from .run import RunOptions, run_recorded, traceback_frames
from .steps import step
from .tracing import Tracer, error_text
from .watchdog import HandlerTimeout

__all__ = [
    "ExecutionContext", "HandlerTimeout", "Outcome", "RunOptions", "Tracer", "current_chain", "current_event", "current_execution",
    "error_text", "run_recorded", "step", "traceback_frames",
]
