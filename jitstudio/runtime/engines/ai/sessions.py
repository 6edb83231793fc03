"""Assistant sessions in the runtime database: the state lifecycle handlers see, and its history steps."""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, select

from ....errors import UserError
from ...data import units
from ...values.jsonable import to_jsonable
from ...values import JitValue
from ..host import ensure_tables

SESSION_TYPES = ("TEXT", "VOICE")
APP_TRIGGER = "APP_TRIGGER_NODE"

metadata = MetaData()

sessions_table = Table(
    "jit_ai_sessions", metadata,
    Column("id", String(64), primary_key=True),
    Column("assistant", String(256), nullable=False, index=True),
    Column("session_type", String(16), nullable=False),
    Column("memory", JSON, nullable=False, default=dict),
    Column("messages", JSON, nullable=False, default=list),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

history_table = Table(
    "jit_ai_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(64), nullable=False, index=True),
    Column("step", Integer, nullable=False),
    Column("type", String(32), nullable=False),
    Column("node_id", String(128), nullable=True),
    Column("node_display_name", String(256), nullable=True),
    Column("raw", JSON, nullable=True),
    Column("message_ids", JSON, nullable=False, default=list),
    Column("at", DateTime, nullable=False),
)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


class SessionError(UserError, ValueError):
    """A session that cannot be continued as asked: another assistant's, or of another session type."""


def session_type_of(value: str | None) -> str | None:
    """The session type named by `value` (any case), None for none; an unknown type is a SessionError."""
    if value is None or value == "":
        return None
    upper = str(value).upper()
    if upper not in SESSION_TYPES:
        raise SessionError(f"unknown session type {value!r}; use {' or '.join(SESSION_TYPES)}")
    return upper


@dataclass
class HistoryStep:
    step: int
    type: str
    nodeId: str | None
    nodeDisplayName: str | None
    raw: Any = None
    messageIds: list[str] = field(default_factory=list)
    appName: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["raw"] = to_jsonable(self.raw)
        if self.appName is None:
            del data["appName"]
        return data


class AssistantState(JitValue):
    """The session state handed to lifecycle handlers. It is shared by reference: a handler that changes
    `memory` or appends to `messages` changes the session. `.value` is a dict view over the same objects."""

    datatype = "JitDict"

    def __init__(self, session_id: str, session_type: str = "TEXT", memory: dict | None = None,
                 messages: list | None = None, history: list[HistoryStep] | None = None):
        self.sessionId, self.sessionType = session_id, session_type
        self.memory: dict[str, Any] = memory if memory is not None else {}
        self.messages: list[dict[str, Any]] = messages if messages is not None else []
        self.history: list[HistoryStep] = history if history is not None else []
        self.config = {}
        self.new_steps: list[HistoryStep] = []

    @property
    def value(self) -> dict[str, Any]:
        return {"messages": self.messages, "memory": self.memory, "history": [h.to_json() for h in self.history],
                "sessionId": self.sessionId, "sessionType": self.sessionType}

    @value.setter
    def value(self, new: dict) -> None:
        self.memory.clear()
        self.memory.update((new or {}).get("memory") or {})

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.value[key]

    def toDict(self) -> dict[str, Any]:
        return to_jsonable(self.value)

    def add_message(self, role: str, content: Any) -> str:
        message_id = new_id("msg")
        self.messages.append({"id": message_id, "role": role, "content": content})
        return message_id

    def add_step(self, step_type: str, node_id: str | None, title: str | None, raw: Any = None,
                 message_ids: list[str] | None = None, app_name: str | None = None) -> HistoryStep:
        step = HistoryStep(len(self.history) + 1, step_type, node_id, title, raw, list(message_ids or []), app_name)
        self.history.append(step)
        self.new_steps.append(step)
        return step

    def __repr__(self) -> str:
        return f"AssistantState({self.sessionId}, {len(self.messages)} messages, {len(self.history)} steps)"


class SessionStore:
    def __init__(self, engine):
        self.engine = engine
        ensure_tables(engine, metadata)

    def load(self, assistant: str, session_id: str) -> AssistantState | None:
        with units.reading(self.engine) as conn:
            row = conn.execute(select(sessions_table).where(sessions_table.c.id == session_id)).mappings().first()
            if row is None:
                return None
            if row["assistant"] != assistant:
                raise SessionError(f"session {session_id} belongs to {row['assistant']}, not {assistant}")
            steps = [_step(h) for h in conn.execute(select(history_table).where(history_table.c.session_id == session_id)
                                                    .order_by(history_table.c.step)).mappings()]
        return AssistantState(session_id, row["session_type"], dict(row["memory"] or {}), list(row["messages"] or []), steps)

    def save(self, assistant: str, state: AssistantState, *, created: bool) -> None:
        values = {"assistant": assistant, "session_type": state.sessionType, "memory": to_jsonable(state.memory),
                  "messages": to_jsonable(state.messages), "updated_at": _now()}
        with units.write(self.engine) as conn:
            if created:
                conn.execute(sessions_table.insert().values(id=state.sessionId, created_at=_now(), **values))
            else:
                conn.execute(sessions_table.update().where(sessions_table.c.id == state.sessionId).values(**values))
            for step in state.new_steps:
                conn.execute(history_table.insert().values(
                    session_id=state.sessionId, step=step.step, type=step.type, node_id=step.nodeId,
                    node_display_name=step.nodeDisplayName, raw=to_jsonable(step.raw), message_ids=step.messageIds, at=_now()))
        state.new_steps = []

    def sessions(self, assistant: str | None = None) -> list[dict[str, Any]]:
        query = select(sessions_table.c.id, sessions_table.c.assistant, sessions_table.c.updated_at).order_by(sessions_table.c.updated_at.desc())
        if assistant:
            query = query.where(sessions_table.c.assistant == assistant)
        with units.reading(self.engine) as conn:
            return [{"id": r["id"], "assistant": r["assistant"], "updatedAt": r["updated_at"].isoformat()} for r in conn.execute(query).mappings()]


def _step(row: Any) -> HistoryStep:
    """A stored step; an app trigger's appName is read back from its raw trigger data, where it is kept."""
    raw = row["raw"]
    app_name = raw.get("appName") if row["type"] == APP_TRIGGER and isinstance(raw, dict) else None
    return HistoryStep(row["step"], row["type"], row["node_id"], row["node_display_name"], raw, list(row["message_ids"] or []), app_name)
