"""The approval engine: submit, agree, refuse, reject (send back), transmit, cancel, with their events.

Each action is one unit of work: the instance is changed in memory while the workflow's events fire in
order; a sync handler that fails aborts the action, rolls back whatever handlers wrote, and leaves the
stored instance as it was. Only when every handler succeeded is the new state written.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ....project import WorkflowElement
from ... import shims
from ...data import units
from ...values import native
from ..host import EventLog, Host
from .events import payload, workflow_events
from .graph import APPROVAL, BRANCH, END, PARALLEL_END, PARALLEL_START, START, WorkflowError, WorkflowGraph
from .store import ApprovalStore, Instance, Task, now

ACTIONS = ("agree", "refuse", "reject", "transmit", "manualEnd")
ACTION_ALIASES = {"transfer": "transmit", "cancel": "manualEnd", "approve": "agree"}
MAX_STEPS_PER_ACTION = 500



@contextmanager
def acting_as(user: str | None):
    """Run the block as `user`: the approval engine's acting user and `GlobalVar.currentUser` in app code."""
    if user is None:
        yield
        return
    token = shims.set_user(user)
    try:
        yield
    finally:
        token.var.reset(token)


class ApprovalDenied(WorkflowError):
    """The acting user may not do this (not an assigned approver, not the submitter)."""


class ApprovalAborted(WorkflowError):
    """A sync workflow event handler raised: the action was undone. The message is the handler's."""

    def __init__(self, message: str, event: str):
        super().__init__(message)
        self.event = event


@dataclass
class ActionResult:
    instance: dict[str, Any]
    events: EventLog = field(default_factory=EventLog)

    def to_json(self) -> dict[str, Any]:
        return {"instance": self.instance, "events": self.events.to_json()}


class _Action:
    """One action in progress on one instance."""

    def __init__(self, engine: "ApprovalEngine", graph: WorkflowGraph, inst: Instance, row: Any, user: str, conn, log: EventLog):
        self.engine, self.graph, self.inst, self.row, self.user, self.conn, self.log = engine, graph, inst, row, user, conn, log
        self.steps = 0

    def fire(self, operate: str, *, trigger_node: str | None = None, handle_node: str | None = None,
             handle_type: str | None = None, comment: str | None = None) -> None:
        where = {"trigger_node": trigger_node, "handle_node": handle_node, "handle_type": handle_type}
        for event in workflow_events(self.engine.host, self.graph, self.inst.model, operate, **where):
            data = payload(self.row, self.inst.status, workflow=self.graph.full_name, instance_id=self.inst.id,
                           user=self.user, comment=comment, **where)
            outcome = self.engine.host.run_event(event, (data,), {}, trigger=f"{self.graph.full_name}.{operate}")
            self.log.add(event, operate, outcome)
            if outcome.failed:
                raise ApprovalAborted(outcome.message or f"{event.full_name} failed", event.full_name)

    def handled(self, node_id: str, handle_type: str, comment: str | None, target: str | None = None) -> None:
        self.inst.actions.append({"node_id": node_id, "user": self.user, "action": handle_type, "comment": comment,
                                  "target": target, "at": now()})
        self.fire("NodeHandled", handle_node=node_id, handle_type=handle_type, comment=comment)

    def finish(self, status: str, result: str) -> None:
        """The approval ends (Pass or Refuse): open tasks close and the Process events fire."""
        self.inst.status, self.inst.result = status, result
        self.inst.close_tasks()
        self.inst.active, self.inst.joins = [], {}
        self.fire("Process")

    def leave(self, node_id: str) -> None:
        """A node is done: `after.<node>`, then on along its out-links."""
        if node_id in self.inst.active:
            self.inst.active.remove(node_id)
        self.fire("NodeChange", trigger_node=self.graph.trigger_name("after", node_id))
        node = self.graph.node(node_id)
        links = [self.graph.choose_branch(node_id, _record(self.row))] if node.type == BRANCH else self.graph.out_links(node_id)
        if not links and node.type != END:
            raise WorkflowError(f"{self.graph.full_name}: node '{node_id}' has no way out")
        for link in links:
            if self.inst.status != "In":
                return
            self.arrive(link.target, node_id)

    def arrive(self, node_id: str, came_from: str) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS_PER_ACTION:
            raise WorkflowError(f"{self.graph.full_name} loops: more than {MAX_STEPS_PER_ACTION} node arrivals in one action")
        node = self.graph.node(node_id)
        if node.type == PARALLEL_END:
            arrived = self.inst.joins.setdefault(node_id, [])
            arrived.append(came_from)
            if len(arrived) < len(self.graph.in_links(node_id)):
                return
            self.inst.joins.pop(node_id, None)
        self.fire("NodeChange", trigger_node=self.graph.trigger_name("before", node_id))
        if node.type == APPROVAL:
            self.assign(node_id)
        elif node.type == END:
            self.finish("Pass", "passed")
        elif node.type == START:
            self.back_to_start()
        elif node.type in (BRANCH, PARALLEL_START, PARALLEL_END):
            self.leave(node_id)
        else:
            raise WorkflowError(f"{self.graph.full_name}: node '{node_id}' has a type ({node.type}) this runtime does not run")

    def assign(self, node_id: str) -> None:
        users, roles = self.graph.approvers(node_id)
        names = list(dict.fromkeys(users + self.engine.store.users_with_roles(self.conn, roles)))
        if not names:
            wanted = ", ".join([f"user {u}" for u in users] + [f"role {r}" for r in roles]) or "nobody is configured"
            raise WorkflowError(f"no approver for node '{node_id}' of {self.graph.full_name} ({wanted}); "
                                "add a user with that role (jitstudio approval DIR user NAME --role ROLE)")
        self.inst.active.append(node_id)
        self.inst.tasks.extend(Task(node_id, name) for name in names)

    def back_to_start(self) -> None:
        self.inst.close_tasks()
        self.inst.active, self.inst.joins = [self.graph.start_id], {}
        self.inst.tasks.append(Task(self.graph.start_id, self.inst.submitter))


def _record(row: Any) -> dict[str, Any]:
    value = getattr(row, "value", row)
    return dict(value or {})


class ApprovalEngine:
    def __init__(self, host: Host):
        self.host = host
        self.store = ApprovalStore(host.engine)
        self._graphs: dict[str, WorkflowGraph] = {}
        self.seed_users()

    def seed_users(self) -> None:
        """Users declared in app.json (`"users": [{"name", "title", "roles"}]`) are added or updated."""
        app = self.host.project.app
        declared = app.users if app else []
        if not declared:
            return
        with units.write(self.host.engine) as conn:
            for user in declared:
                self.store.save_user(conn, user.name, list(user.roles), user.title)

    def graph(self, workflow: str) -> WorkflowGraph:
        if workflow not in self._graphs:
            element = self.host.project.get(workflow)
            if not isinstance(element, WorkflowElement) or element.config_spec is None:
                known = ", ".join(w.full_name for w in self.host.project.workflows) or "none"
                raise WorkflowError(f"no valid workflow '{workflow}' (workflows: {known})")
            self._graphs[workflow] = WorkflowGraph(workflow, element.config_spec)
        return self._graphs[workflow]

    def model_of(self, workflow: str) -> str:
        element = self.host.project.get(workflow)
        spec = element.config_spec
        return spec.modelName or element.spec.dataModel

    def acting_user(self, user: str | None) -> str:
        return str(user or native(shims.current_user()) or "system")

    # actions
    def submit(self, workflow: str, record_id: Any, *, user: str | None = None, comment: str | None = None, row: Any = None) -> ActionResult:
        """Start an approval for a record, or resubmit one that was sent back to its start."""
        graph, model, user = self.graph(workflow), self.model_of(workflow), self.acting_user(user)

        def apply(action: _Action) -> None:
            inst = action.inst
            if inst.id is not None:
                task = next((t for t in inst.pending(graph.start_id) if t.assignee == user), None)
                if task is None:
                    raise ApprovalDenied(f"{model} {record_id} is already under approval (instance {inst.id}, at {', '.join(inst.active)})"
                                         if graph.start_id not in inst.active else
                                         f"only {inst.submitter} may resubmit instance {inst.id}")
                task.status, task.action, task.comment, task.handled_at = "done", "submit", comment, now()
                inst.active.remove(graph.start_id)
                action.handled(graph.start_id, "submit", comment)
            else:
                self.store.save(action.conn, inst)
                action.handled(graph.start_id, "submit", comment)
                action.fire("Process")
            action.leave(graph.start_id)

        def load(conn) -> Instance:
            return self.store.open_for_record(conn, workflow, record_id) or Instance(workflow, model, str(record_id), user)

        return self._perform(workflow, load, "submit", user, apply, row=row)

    def act(self, instance_id: int, action_name: str, *, user: str | None = None, comment: str | None = None,
            to: str | None = None, node: str | None = None) -> ActionResult:
        """agree, refuse, reject (send back to start), transmit (to another user), manualEnd (cancel)."""
        action_name = ACTION_ALIASES.get(action_name, action_name)
        if action_name not in ACTIONS:
            raise WorkflowError(f"unknown action '{action_name}'; actions: submit, {', '.join(ACTIONS)}")
        user = self.acting_user(user)
        with units.reading(self.host.engine) as conn:
            found = self.store.load(conn, instance_id)
        if found is None:
            raise WorkflowError(f"no approval instance {instance_id}")

        def load(conn) -> Instance:
            inst = self.store.load(conn, instance_id)
            if inst.status != "In":
                raise WorkflowError(f"approval instance {instance_id} has ended ({inst.status}, {inst.result})")
            return inst

        def apply(action: _Action) -> None:
            graph, inst = action.graph, action.inst
            if action_name == "manualEnd":
                if user != inst.submitter and "admin" not in self.store.roles_of(action.conn, user):
                    raise ApprovalDenied(f"only {inst.submitter} (who submitted it) or an admin may cancel instance {inst.id}")
                action.handled(graph.start_id, "manualEnd", comment)
                action.finish("Refuse", "cancelled")
                return
            task = self._task_of(inst, graph, user, node)
            if action_name == "transmit":
                if not to or to == user:
                    raise WorkflowError("transmit needs another user to hand the task to (--to USER)")
                if any(t.assignee == to for t in inst.pending(task.node_id)):
                    raise WorkflowError(f"{to} already has this task at '{task.node_id}'")
                task.status, task.action, task.comment, task.handled_at = "transmitted", "transmit", comment, now()
                inst.tasks.append(Task(task.node_id, to))
                action.handled(task.node_id, "transmit", comment, target=to)
                return
            task.action, task.comment = action_name, comment
            inst.close_tasks(task.node_id)
            task.status = "done"
            action.handled(task.node_id, action_name, comment)
            if action_name == "agree":
                action.leave(task.node_id)
            elif action_name == "refuse":
                action.finish("Refuse", "refused")
            else:
                action.arrive(graph.start_id, task.node_id)

        return self._perform(found.workflow, load, action_name, user, apply)

    def _task_of(self, inst: Instance, graph: WorkflowGraph, user: str, node: str | None) -> Task:
        mine = [t for t in inst.pending(node) if t.assignee == user and t.node_id != graph.start_id]
        if not mine:
            waiting = "; ".join(f"{n}: {', '.join(t.assignee for t in inst.pending(n))}" for n in inst.active) or "nobody"
            raise ApprovalDenied(f"{user} is not an approver of instance {inst.id} now (waiting for {waiting})")
        if len({t.node_id for t in mine}) > 1:
            raise WorkflowError(f"{user} has tasks at {', '.join(sorted({t.node_id for t in mine}))}; say which node")
        return mine[0]

    def _perform(self, workflow: str, load, action_name: str, user: str, apply, row: Any = None) -> ActionResult:
        log = EventLog()

        def run() -> dict[str, Any]:
            nonlocal row
            with self.host.transaction() as conn:
                inst = load(conn)
                graph = self.graph(workflow)
                if row is None or not getattr(row, "value", None):
                    row = self.host.get_row(inst.model, _typed_pk(inst.record_id))
                    if row is None:
                        raise WorkflowError(f"{inst.model} {inst.record_id} does not exist")
                action = _Action(self, graph, inst, row, user, conn, log)
                with self.host.step("approval", f"{graph.full_name}: {action_name} by {user}", instance=inst.id):
                    apply(action)
                self.store.save(conn, inst)
            return inst.to_json()

        instance = self.host.record(workflow, "workflows.NormalType", action_name, {"action": action_name, "user": user}, run)
        return ActionResult(instance, log)

    # reading
    def pending(self, user: str | None = None) -> list[dict[str, Any]]:
        with units.reading(self.host.engine) as conn:
            return self.store.pending_tasks(conn, user)

    def instance(self, instance_id: int) -> dict[str, Any] | None:
        with units.reading(self.host.engine) as conn:
            inst = self.store.load(conn, instance_id)
            if inst is None:
                return None
            data = inst.to_json()
            data["history"] = self.store.history(conn, instance_id)
            return data

    def add_user(self, name: str, roles: list[str] = (), title: str = "") -> None:
        with units.write(self.host.engine) as conn:
            self.store.save_user(conn, name, roles, title)

    def users(self) -> list[dict[str, Any]]:
        with units.reading(self.host.engine) as conn:
            return self.store.users(conn)


def _typed_pk(record_id: str) -> Any:
    return int(record_id) if str(record_id).lstrip("-").isdigit() else record_id
