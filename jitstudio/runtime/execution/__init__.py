"""Running a handler as one recorded execution: the context that links nested executions, the traced
execution path, explicit steps, and the watchdog that stops a handler past its time limit."""
from .run import ExecutionContext, Outcome, current_chain, current_execution, run_recorded, step, traceback_frames
from .tracing import Tracer, error_text
from .watchdog import HandlerTimeout

__all__ = [
    "ExecutionContext", "HandlerTimeout", "Outcome", "Tracer", "current_chain", "current_execution", "error_text",
    "run_recorded", "step", "traceback_frames",
]
