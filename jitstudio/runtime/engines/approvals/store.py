"""Tables of the approval engine in the runtime database: users and roles, instances, tasks, actions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, Text, and_, select

from ..host import ensure_tables

metadata = MetaData()

users_table = Table(
    "jit_users", metadata,
    Column("name", String(128), primary_key=True),
    Column("title", String(256), nullable=False, default=""),
    Column("roles", JSON, nullable=False, default=list),
)

instances_table = Table(
    "jit_approval_instances", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workflow", String(256), nullable=False, index=True),
    Column("model", String(256), nullable=False),
    Column("record_id", String(128), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("result", String(16), nullable=True),
    Column("active", JSON, nullable=False, default=list),
    Column("joins", JSON, nullable=False, default=dict),
    Column("submitter", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

tasks_table = Table(
    "jit_approval_tasks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", Integer, nullable=False, index=True),
    Column("node_id", String(128), nullable=False),
    Column("assignee", String(128), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("action", String(16), nullable=True),
    Column("comment", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("handled_at", DateTime, nullable=True),
)

actions_table = Table(
    "jit_approval_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", Integer, nullable=False, index=True),
    Column("node_id", String(128), nullable=False),
    Column("user", String(128), nullable=False),
    Column("action", String(16), nullable=False),
    Column("comment", Text, nullable=True),
    Column("target", String(128), nullable=True),
    Column("at", DateTime, nullable=False),
)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class Task:
    node_id: str
    assignee: str
    status: str = "pending"
    action: str | None = None
    comment: str | None = None
    id: int | None = None
    created_at: datetime = field(default_factory=now)
    handled_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "node": self.node_id, "assignee": self.assignee, "status": self.status,
                "action": self.action, "comment": self.comment}


@dataclass
class Instance:
    """One approval in memory. An action changes a copy; only a finished action is written back."""

    workflow: str
    model: str
    record_id: str
    submitter: str
    status: str = "In"
    result: str | None = None
    active: list[str] = field(default_factory=list)
    joins: dict[str, list[str]] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    id: int | None = None
    created_at: datetime = field(default_factory=now)

    def pending(self, node_id: str | None = None) -> list[Task]:
        return [t for t in self.tasks if t.status == "pending" and (node_id is None or t.node_id == node_id)]

    def close_tasks(self, node_id: str | None = None, status: str = "closed") -> None:
        for task in self.pending(node_id):
            task.status, task.handled_at = status, now()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "workflow": self.workflow, "model": self.model, "recordId": self.record_id,
            "status": self.status, "result": self.result, "active": list(self.active), "submitter": self.submitter,
            "pending": [t.to_json() for t in self.pending()],
        }


class ApprovalStore:
    """Reads and writes instances, tasks and users on a connection the caller's transaction owns."""

    def __init__(self, engine):
        self.engine = engine
        ensure_tables(engine, metadata)

    # users and roles
    def save_user(self, conn, name: str, roles: Iterable[str] = (), title: str = "") -> None:
        row = {"name": name, "title": title or "", "roles": sorted(set(roles))}
        if conn.execute(select(users_table.c.name).where(users_table.c.name == name)).first():
            conn.execute(users_table.update().where(users_table.c.name == name).values(**row))
        else:
            conn.execute(users_table.insert().values(**row))

    def users(self, conn) -> list[dict[str, Any]]:
        rows = conn.execute(select(users_table).order_by(users_table.c.name)).mappings()
        return [{"name": r["name"], "title": r["title"], "roles": list(r["roles"] or [])} for r in rows]

    def roles_of(self, conn, name: str) -> set[str]:
        row = conn.execute(select(users_table.c.roles).where(users_table.c.name == name)).first()
        return set(row[0] or []) if row else set()

    def users_with_roles(self, conn, roles: Iterable[str]) -> list[str]:
        wanted = set(roles)
        return [u["name"] for u in self.users(conn) if wanted & set(u["roles"])]

    # instances
    def load(self, conn, instance_id: int) -> Instance | None:
        row = conn.execute(select(instances_table).where(instances_table.c.id == int(instance_id))).mappings().first()
        return self._instance(conn, row) if row else None

    def open_for_record(self, conn, workflow: str, record_id: Any) -> Instance | None:
        row = conn.execute(select(instances_table).where(and_(
            instances_table.c.workflow == workflow, instances_table.c.record_id == str(record_id),
            instances_table.c.status == "In")).order_by(instances_table.c.id.desc())).mappings().first()
        return self._instance(conn, row) if row else None

    def _instance(self, conn, row) -> Instance:
        inst = Instance(row["workflow"], row["model"], row["record_id"], row["submitter"], row["status"], row["result"],
                        list(row["active"] or []), dict(row["joins"] or {}), id=row["id"], created_at=row["created_at"])
        for t in conn.execute(select(tasks_table).where(tasks_table.c.instance_id == inst.id).order_by(tasks_table.c.id)).mappings():
            inst.tasks.append(Task(t["node_id"], t["assignee"], t["status"], t["action"], t["comment"], t["id"], t["created_at"], t["handled_at"]))
        return inst

    def save(self, conn, inst: Instance) -> Instance:
        values = {"workflow": inst.workflow, "model": inst.model, "record_id": inst.record_id, "status": inst.status,
                  "result": inst.result, "active": list(inst.active), "joins": dict(inst.joins), "submitter": inst.submitter,
                  "updated_at": now()}
        if inst.id is None:
            inst.id = conn.execute(instances_table.insert().values(created_at=inst.created_at, **values)).inserted_primary_key[0]
        else:
            conn.execute(instances_table.update().where(instances_table.c.id == inst.id).values(**values))
        for task in inst.tasks:
            row = {"instance_id": inst.id, "node_id": task.node_id, "assignee": task.assignee, "status": task.status,
                   "action": task.action, "comment": task.comment, "created_at": task.created_at, "handled_at": task.handled_at}
            if task.id is None:
                task.id = conn.execute(tasks_table.insert().values(**row)).inserted_primary_key[0]
            else:
                conn.execute(tasks_table.update().where(tasks_table.c.id == task.id).values(**row))
        for action in inst.actions:
            conn.execute(actions_table.insert().values(instance_id=inst.id, **action))
        inst.actions = []
        return inst

    def history(self, conn, instance_id: int) -> list[dict[str, Any]]:
        rows = conn.execute(select(actions_table).where(actions_table.c.instance_id == int(instance_id)).order_by(actions_table.c.id)).mappings()
        return [{"node": r["node_id"], "user": r["user"], "action": r["action"], "comment": r["comment"],
                 "target": r["target"], "at": r["at"].isoformat()} for r in rows]

    def pending_tasks(self, conn, user: str | None = None) -> list[dict[str, Any]]:
        query = (select(tasks_table, instances_table.c.workflow, instances_table.c.record_id, instances_table.c.model)
                 .join(instances_table, instances_table.c.id == tasks_table.c.instance_id)
                 .where(tasks_table.c.status == "pending", instances_table.c.status == "In")
                 .order_by(tasks_table.c.id))
        if user is not None:
            query = query.where(tasks_table.c.assignee == user)
        return [{"taskId": r["id"], "instanceId": r["instance_id"], "workflow": r["workflow"], "model": r["model"],
                 "recordId": r["record_id"], "node": r["node_id"], "assignee": r["assignee"],
                 "since": r["created_at"].isoformat()} for r in conn.execute(query).mappings()]
