"""Run paths for the graph editors' run overlay: the nodes an approval instance or an assistant turn visited,
in order, with status, time, error and the execution records fired at each, read from the engines' own
tables and the execution records. Pure Python: the IDE calls it from a worker thread with the app it has open:

    with open_sources(app_dir, db_url=None) as sources:      # or RunSources.of_runtime(runtime)
        runs = recent_runs(sources, "workflows.RefundApproval")
        run = run_of_record(sources, record_id)
"""
from __future__ import annotations

from .assistant import assistant_run_of, is_turn_record, recent_assistant_runs
from .model import NodeVisit, RunPath
from .sources import RunSources, open_sources, parent_chain
from .workflow import is_action_record, recent_workflow_runs, workflow_run_of

__all__ = ["NodeVisit", "RunPath", "RunSources", "open_sources", "recent_runs", "run_of_record"]


def recent_runs(sources: RunSources, element: str, limit: int = 50) -> list[RunPath]:
    """The newest runs of a workflow (its approval instances) or an assistant (its turns), newest first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if element.startswith("workflows."):
        return recent_workflow_runs(sources, element, limit)
    if element.startswith("aiassistants."):
        return recent_assistant_runs(sources, element, limit)
    raise ValueError(f"runs are drawn for workflows.X and aiassistants.X, not {element!r}")


def run_of_record(sources: RunSources, record_id: int) -> RunPath | None:
    """The run an execution record belongs to: the approval action or assistant turn it is (or ran inside),
    as a path; None when the record is not part of one (or does not exist)."""
    try:
        record = sources.records.get(record_id)
    except KeyError:
        return None
    for execution in parent_chain(sources.records, record):
        if is_action_record(execution):
            return workflow_run_of(sources, execution)
        if is_turn_record(execution):
            return assistant_run_of(sources, execution)
    return None
