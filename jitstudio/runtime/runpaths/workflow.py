"""Run paths of approval workflows. An instance's path is replayed from the engine's own tables: its actions
(who did what where, when) drive the workflow graph the way the engine does, the tasks show which approval
node each step reached (and so which way a branch went) and who is still to act; the execution records of
the actions and of the events they fired annotate the nodes, and an action that a handler aborted (rolled
back, so absent from the tables) is a failed visit with the handler's error."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...project import WorkflowElement
from ..engines.approvals.graph import WorkflowError, WorkflowGraph
from ..engines.approvals.store import actions_table, instances_table, tasks_table
from ..records import ExecutionRecord, RecordStore
from .model import RunPath
from .replay import Replay, StoredAction, StoredTask
from .sources import RunSources, explicit_steps, utc_us

TABLES = (instances_table.name, tasks_table.name, actions_table.name)
STATUS_WORDS = {"In": "in progress"}


def recent_workflow_runs(sources: RunSources, workflow: str, limit: int) -> list[RunPath]:
    """The newest `limit` approval instances of a workflow, newest first."""
    if not sources.has_tables(*TABLES):
        return []
    stmt = (select(instances_table).where(instances_table.c.workflow == workflow)
            .order_by(instances_table.c.created_at.desc(), instances_table.c.id.desc()).limit(limit))
    with sources.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
        tasks, actions = _tasks_and_actions(conn, [r["id"] for r in rows])
    if not rows:
        return []
    since = min(utc_us(r["created_at"]) or 0 for r in rows)
    by_instance = _action_records(sources.records, workflow, since)
    graph = _graph(sources, workflow)
    return [_path(sources.records, workflow, graph, row, tasks.get(row["id"], []), actions.get(row["id"], []),
                  by_instance.get(row["id"], [])) for row in rows]


def workflow_run_of(sources: RunSources, action: ExecutionRecord) -> RunPath | None:
    """The run of an approval action's record: its instance's path, or (a first submit that a handler
    aborted, so no instance exists) the path of that failed attempt alone."""
    workflow = action.event
    instance_id = instance_of(action)
    graph = _graph(sources, workflow)
    if instance_id is None:
        return _failed_submit(sources.records, workflow, graph, action) if action.status == "fail" else None
    if not sources.has_tables(*TABLES):
        return None
    with sources.engine.connect() as conn:
        row = conn.execute(select(instances_table).where(instances_table.c.id == instance_id)).mappings().first()
        if row is None:
            return None
        tasks, actions = _tasks_and_actions(conn, [instance_id])
    records = _action_records(sources.records, workflow, utc_us(row["created_at"]) or 0).get(instance_id, [])
    return _path(sources.records, workflow, graph, dict(row), tasks.get(instance_id, []),
                 actions.get(instance_id, []), records)


def is_action_record(record: ExecutionRecord) -> bool:
    return record.event.startswith("workflows.") and record.event_type.startswith("workflows.")


def instance_of(record: ExecutionRecord) -> int | None:
    """The instance an action's record acted on: its output, else its `approval` step (a failed action)."""
    output = record.output
    if record.status == "success" and isinstance(output, dict) and isinstance(output.get("id"), int):
        return output["id"]
    for found in explicit_steps(record.steps, "approval"):
        instance = (found.get("info") or {}).get("instance")
        if isinstance(instance, int):
            return instance
    return None


def _graph(sources: RunSources, workflow: str) -> WorkflowGraph | None:
    element = sources.project.get(workflow)
    if not isinstance(element, WorkflowElement) or element.config_spec is None:
        return None
    try:
        return WorkflowGraph(workflow, element.config_spec)
    except WorkflowError:
        return None


def _tasks_and_actions(conn, ids: list[int]) -> tuple[dict[int, list[StoredTask]], dict[int, list[StoredAction]]]:
    tasks: dict[int, list[StoredTask]] = {}
    actions: dict[int, list[StoredAction]] = {}
    if not ids:
        return tasks, actions
    t, a = tasks_table.c, actions_table.c
    for r in conn.execute(select(tasks_table).where(t.instance_id.in_(ids)).order_by(t.id)).mappings():
        tasks.setdefault(r["instance_id"], []).append(StoredTask(r["node_id"], r["assignee"], r["status"], utc_us(r["created_at"]) or 0))
    for r in conn.execute(select(actions_table).where(a.instance_id.in_(ids)).order_by(a.id)).mappings():
        actions.setdefault(r["instance_id"], []).append(
            StoredAction(r["node_id"], r["user"], r["action"], r["comment"], r["target"], utc_us(r["at"]) or 0))
    return tasks, actions


def _action_records(store: RecordStore, workflow: str, since_us: int) -> dict[int, list[ExecutionRecord]]:
    """The workflow's action records since `since_us` (less a second), by instance, oldest first."""
    found: dict[int, list[ExecutionRecord]] = {}
    cursor = None
    while True:
        page = store.page(event=workflow, since=(since_us - 1_000_000) / 1e6, after=cursor, limit=500)
        for record in page.records:
            instance = instance_of(record)
            if instance is not None and is_action_record(record):
                found.setdefault(instance, []).append(record)
        cursor = page.next_cursor
        if cursor is None:
            break
    for records in found.values():
        records.sort(key=lambda r: (r.started_us, r.id))
    return found


def _path(store: RecordStore, workflow: str, graph: WorkflowGraph | None, row: dict[str, Any], tasks: list[StoredTask],
          actions: list[StoredAction], records: list[ExecutionRecord]) -> RunPath:
    replay = Replay(graph, tasks)
    succeeded = [r for r in records if r.status == "success"]
    timeline: list[tuple[int, int, Any]] = [(a.at_us, 0, a) for a in actions]
    timeline += [(r.started_us, 1, r) for r in records if r.status == "fail"]
    timeline.sort(key=lambda item: (item[0], item[1]))
    action_times = [a.at_us for a in actions]
    for at, _order, item in timeline:
        if isinstance(item, StoredAction):
            later = [t for t in action_times if t > at]
            is_last = not later
            record = _record_around(succeeded, item)
            children = store.children(record.id) if record is not None else []
            replay.act(item, later[0] if later else None, is_last and row["status"] == "Pass")
            replay.annotate(record, children, item.node)
        else:
            replay.failed(item, store.children(item.id))
    pending: dict[str, list[str]] = {}
    for task in tasks:
        if task.status == "pending":
            pending.setdefault(task.node, []).append(task.assignee)
    visits, links = replay.finish(row["status"] == "In", pending)
    status = STATUS_WORDS.get(row["status"], row["status"])
    title = f"Approval #{row['id']} · {row['model']} {row['record_id']} · {status}"
    return RunPath(workflow, "workflow", str(row["id"]), title, utc_us(row["created_at"]), visits, links)


def _record_around(records: list[ExecutionRecord], action: StoredAction) -> ExecutionRecord | None:
    """The successful action record that wrote this action row: it ran while the row was written."""
    for record in records:
        ended = record.ended_us if record.ended_us is not None else record.started_us
        if record.operate == action.action and record.started_us <= action.at_us <= ended:
            return record
    return None


def _failed_submit(store: RecordStore, workflow: str, graph: WorkflowGraph | None, record: ExecutionRecord) -> RunPath:
    replay = Replay(graph, [])
    replay.failed(record, store.children(record.id))
    visits, links = replay.finish(False, {})
    title = f"{record.operate.capitalize()} failed · record #{record.id}"
    return RunPath(workflow, "workflow", f"record:{record.id}", title, record.started_us, visits, links)
