"""The approval engine's walk over a workflow graph (see approvals.engine._Action) replayed from what it
stored: each action row moves the walk on as the engine did, each task row says which approval node a step
reached (so which way a branch went) and who was to act; an action a handler aborted left no rows, so its
failed execution record says where it stopped."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterable

from ..engines.approvals.graph import (
    APPROVAL, BRANCH, END, PARALLEL_END, PARALLEL_START, START, START_ALIAS, Link, WorkflowError, WorkflowGraph,
)
from ..records import ExecutionRecord
from .model import VisitDraft

PASS_THROUGH = (BRANCH, PARALLEL_START, PARALLEL_END)
MAX_ARRIVALS = 500


@dataclass(frozen=True)
class StoredTask:
    node: str
    assignee: str
    status: str
    created_us: int


@dataclass(frozen=True)
class StoredAction:
    node: str
    user: str
    action: str
    comment: str | None
    target: str | None
    at_us: int

    def describe(self) -> str:
        name = "cancel" if self.action == "manualEnd" else self.action
        text = f"{name} by {self.user}" + (f" to {self.target}" if self.target else "")
        return text + (f": {self.comment}" if self.comment else "")


class Replay:
    """The engine's walk over the graph (see approvals.engine._Action), driven by the stored actions."""

    def __init__(self, graph: WorkflowGraph | None, tasks: Iterable[StoredTask]):
        self.graph = graph
        self.start = graph.start_id if graph is not None else "start"
        self.tasks = deque(tasks)
        self.visits: list[VisitDraft] = []
        self.links: list[tuple[str, str]] = []
        self.open: dict[str, VisitDraft] = {}
        self.joins: dict[str, int] = {}
        self.touched: dict[str, VisitDraft] = {}
        self.window_end: int | None = None
        self.ends_pass = False
        self.arrivals = 0

    # -- the stored actions --------------------------------------------------------------------------------

    def act(self, action: StoredAction, window_end: int | None, ends_pass: bool) -> None:
        self.touched, self.window_end, self.ends_pass, self.arrivals = {}, window_end, ends_pass, 0
        node = self.start if action.action == "manualEnd" else action.node
        visit = self.open.get(node)
        if action.action == "transmit":
            visit = visit or self._visit(node, "waiting", action.at_us)
            visit.details.append(action.describe())
            self.open[node] = visit
            self._take_tasks(node)
            self.touched[node] = visit
            return
        self.open.pop(node, None)
        if visit is None:
            visit = self._visit(node, "ok", action.at_us)
        visit.status, visit.ended_us = "ok", action.at_us
        visit.details.append(action.describe())
        self.touched[node] = visit
        if self.graph is None:
            self._link_from_previous(visit)
            return
        try:
            if action.action in ("submit", "agree"):
                self._leave(node, action.at_us)
            elif action.action == "reject":
                self.links.append((node, self.start))
                self._arrive(self.start, action.at_us)
            else:
                self._close_open("skipped")
        except WorkflowError:
            self.graph = None  # the graph changed since: later steps are drawn as the actions say

    def failed(self, record: ExecutionRecord, children: list[ExecutionRecord]) -> None:
        """An action a handler (or the engine) aborted: nothing of it was stored, so its record says where."""
        user = str((record.input or {}).get("user") or "")
        acting = next((self._node_of(c, None) for c in children if c.operate == "NodeHandled"), None)
        if acting is None:
            acting = next((n for n, v in self.open.items() if user and user in v.waiting_for), self.start)
        failing = next((c for c in children if c.status == "fail"), None)
        node = (self._node_of(failing, acting) if failing is not None else None) or acting
        error = failing.error if failing is not None else record.error
        visit = self.open.get(node)
        if visit is None:
            if acting != node:
                self._walk_to(acting, node, record.started_us)
            visit = self._visit(node, "failed", record.started_us)
            visit.ended_us = record.ended_us
            if acting == node and not self.open:
                self._link_from_previous(visit)
        visit.fail(error, record.id)
        self.touched = {node: visit}
        self.annotate(None, children, acting)

    def annotate(self, record: ExecutionRecord | None, children: list[ExecutionRecord], acting: str) -> None:
        """Attach the action's record to the node it acted at, and each event it fired to its node."""
        if record is not None:
            self._attach(acting, record.id)
        for child in children:
            node = self._node_of(child, acting)
            if node is not None:
                self._attach(node, child.id)

    def finish(self, still_in: bool, pending: dict[str, list[str]]) -> tuple[tuple, tuple]:
        for node, visit in self.open.items():
            if visit.status == "failed":
                continue
            if still_in:
                visit.status = "waiting"
                waiting = pending.get(node) or visit.waiting_for
                if waiting:
                    visit.details.append("waiting for " + ", ".join(dict.fromkeys(waiting)))
            else:
                visit.status = "skipped"
        return tuple(v.done() for v in self.visits), tuple(dict.fromkeys(self.links))

    # -- the walk ------------------------------------------------------------------------------------------

    @property
    def _graph(self) -> WorkflowGraph:
        if self.graph is None:
            raise WorkflowError("the workflow has no valid graph")
        return self.graph

    def _leave(self, node_id: str, at: int) -> None:
        node = self._graph.node(node_id)
        links = [self._choose(node_id)] if node.type == BRANCH else self._graph.out_links(node_id)
        for link in links:
            self.links.append((node_id, link.target))
            self._arrive(link.target, at)

    def _arrive(self, node_id: str, at: int) -> None:
        self.arrivals += 1
        if self.arrivals > MAX_ARRIVALS:
            raise WorkflowError("the replay loops")
        node = self._graph.node(node_id)
        if node.type == PARALLEL_END:
            self.joins[node_id] = self.joins.get(node_id, 0) + 1
            if self.joins[node_id] < len(self._graph.in_links(node_id)):
                return
            self.joins.pop(node_id)
        if node.type in (APPROVAL, START):
            if node.type == START:
                self._close_open("skipped")
                self.joins = {}
            visit = self._visit(node_id, "waiting", at)
            visit.started_us = self._take_tasks(node_id) or at
            self.open[node_id] = visit
        elif node.type == END:
            self._visit(node_id, "ok", at).ended_us = at
            self._close_open("skipped")
        else:
            self._visit(node_id, "ok", at).ended_us = at
            self._leave(node_id, at)

    def _choose(self, branch: str) -> Link:
        """The branch's way: the out-link that leads (through branches and parallel gates) to the node the
        action's next task was created at, or to the end when the action passed the approval."""
        links = self._graph.out_links(branch)
        if not links:
            raise WorkflowError(f"branch {branch} has no way out")
        stop = next((t.node for t in self.tasks if self._in_window(t)), None)
        if stop is None and self.ends_pass:
            stop = self._graph.end_id
        for link in links:
            if stop is not None and stop in self._reach(link.target):
                return link
        return next((link for link in links if link.is_else), links[0])

    def _reach(self, node_id: str) -> set[str]:
        seen, todo = {node_id}, [node_id]
        while todo:
            current = todo.pop()
            if self._graph.node(current).type in PASS_THROUGH:
                for nxt in self._graph.next_nodes(current):
                    if nxt.id not in seen:
                        seen.add(nxt.id)
                        todo.append(nxt.id)
        return seen

    def _walk_to(self, source: str, target: str, at: int) -> None:
        """The links (and branch or gate visits) from `source` to `target` of an action that was undone, so
        left no tasks to follow: the shortest way through branches and parallel gates, else a direct link."""
        way = self._way(source, target) if self.graph is not None else None
        hops = way or [source, target]
        for here, there in zip(hops, hops[1:]):
            self.links.append((here, there))
            if there != target:
                self._visit(there, "ok", at).ended_us = at

    def _way(self, source: str, target: str) -> list[str] | None:
        came: dict[str, str] = {}
        todo = deque([source])
        while todo:
            current = todo.popleft()
            for nxt in self._graph.next_nodes(current):
                if nxt.id in came or nxt.id == source:
                    continue
                came[nxt.id] = current
                if nxt.id == target:
                    way = [target]
                    while way[-1] != source:
                        way.append(came[way[-1]])
                    return way[::-1]
                if nxt.type in PASS_THROUGH:
                    todo.append(nxt.id)
        return None

    # -- helpers -------------------------------------------------------------------------------------------

    def _visit(self, node: str, status: str, at: int | None) -> VisitDraft:
        visit = VisitDraft(node, status, at)
        self.visits.append(visit)
        self.touched[node] = visit
        return visit

    def _in_window(self, task: StoredTask) -> bool:
        return self.window_end is None or task.created_us < self.window_end

    def _take_tasks(self, node: str) -> int | None:
        """Consume the tasks the engine created at `node` in this action; the first one's time."""
        first = None
        for task in list(self.tasks):
            if not self._in_window(task):
                break
            if task.node == node:
                self.tasks.remove(task)
                first = task.created_us if first is None else first
                visit = self.open.get(node) or self.touched.get(node)
                if visit is not None:
                    visit.waiting_for.append(task.assignee)
            elif first is not None:
                break
        return first

    def _close_open(self, status: str) -> None:
        for visit in self.open.values():
            if visit.status != "failed":
                visit.status = status
        self.open = {}

    def _link_from_previous(self, visit: VisitDraft) -> None:
        earlier = [v for v in self.visits if v is not visit]
        if earlier and earlier[-1].node != visit.node:
            self.links.append((earlier[-1].node, visit.node))

    def _attach(self, node: str, record_id: int) -> None:
        visit = self.touched.get(node) or next((v for v in reversed(self.visits) if v.node == node), None)
        if visit is not None and record_id not in visit.records:
            visit.records.append(record_id)

    def _node_of(self, event: ExecutionRecord, acting: str | None) -> str | None:
        """The node a workflow event fired at, from its payload: handleNode, triggerNode, or for Process the
        end (passed) or the node that ended or started the approval."""
        data = event.input if isinstance(event.input, dict) else {}
        if event.operate == "NodeHandled":
            node = data.get("handleNode")
        elif event.operate == "NodeChange":
            node = str(data.get("triggerNode") or "").partition(".")[2] or None
        elif event.operate == "Process":
            node = (self.graph.end_id if self.graph is not None else None) if data.get("status") == "Pass" else acting
        else:
            node = None
        return self.start if node == START_ALIAS else node
