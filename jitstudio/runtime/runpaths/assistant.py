"""Run paths of AI assistants. A turn's nodes come from the session history the assistant keeps (one step per
node run; an agent node's tool calls and its answer are one visit); the turn's execution record adds when each
node started and how long it ran (its `node` steps), a node that raised and stopped the turn (it left no
history step), and the node events (`<nodeId>.beforeNodeRun/afterNodeRun`) and agent runs fired at each node."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from typing import Any

from sqlalchemy import select

from ...project import AssistantElement
from ..engines.ai.sessions import APP_TRIGGER, history_table, sessions_table
from ..records import ExecutionRecord, RecordStore
from .model import RunPath, VisitDraft
from .sources import RunSources, naive_utc, node_steps, utc_us

TRIGGERS = ("TRIGGER_NODE", APP_TRIGGER)
TABLES = (sessions_table.name, history_table.name)
NODE_EVENT_PHASES = ("beforeNodeRun", "afterNodeRun")
TURN_CANDIDATES = 8


@dataclass
class _Turn:
    session_id: str
    number: int                 # 1-based within the session
    steps: list[dict[str, Any]]  # its history rows, in order
    saved_us: int               # when the turn's history was written (as the turn ended)


@dataclass(frozen=True)
class _Graph:
    types: dict[str, str]
    agents: dict[str, str]
    edges: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, sources: RunSources, assistant: str) -> "_Graph":
        element = sources.project.get(assistant)
        config = element.config_spec if isinstance(element, AssistantElement) else None
        if config is None:
            return cls({}, {}, frozenset())
        return cls({n.id: n.type for n in config.nodes.values()},
                   {n.id: n.agent for n in config.nodes.values() if n.agent},
                   frozenset((e.sourceNode, e.targetNode) for e in config.edges))


def recent_assistant_runs(sources: RunSources, assistant: str, limit: int) -> list[RunPath]:
    """The newest `limit` turns of an assistant over all its sessions, newest first."""
    if not sources.has_tables(*TABLES):
        return []
    h, s = history_table.c, sessions_table.c
    stmt = (select(h.session_id, h.step).join(sessions_table, s.id == h.session_id)
            .where(s.assistant == assistant, h.type.in_(TRIGGERS)).order_by(h.at.desc(), h.id.desc()).limit(limit))
    with sources.engine.connect() as conn:
        starts = [(r.session_id, r.step) for r in conn.execute(stmt)]
        turns = _turns(conn, sorted({session for session, _ in starts}))
    graph = _Graph.of(sources, assistant)
    paths = []
    for session, step in starts:
        turn = next(t for t in turns[session] if t.steps[0]["step"] == step)
        path = _path(sources.records, assistant, graph, turn, _record_of(sources.records, assistant, turn))
        if path is not None:
            paths.append(path)
    return paths


def assistant_run_of(sources: RunSources, record: ExecutionRecord) -> RunPath | None:
    """The turn an assistant turn's record ran: the session's turn whose history it wrote."""
    assistant = record.event
    output = record.output if isinstance(record.output, dict) else {}
    ended = record.ended_us if record.ended_us is not None else record.started_us
    turn = None
    if sources.has_tables(*TABLES):
        with sources.engine.connect() as conn:
            session = output.get("session_id") or _session_saved_during(conn, assistant, record.started_us, ended)
            if session:
                turn = next((t for t in _turns(conn, [session]).get(session, [])
                             if record.started_us <= t.saved_us <= ended + 1000), None)
    return _path(sources.records, assistant, _Graph.of(sources, assistant), turn, record)


def is_turn_record(record: ExecutionRecord) -> bool:
    return record.event.startswith("aiassistants.") and record.operate == "run"


def _session_saved_during(conn, assistant: str, start_us: int, end_us: int) -> str | None:
    h, s = history_table.c, sessions_table.c
    stmt = (select(h.session_id).join(sessions_table, s.id == h.session_id)
            .where(s.assistant == assistant, h.at >= naive_utc(start_us), h.at <= naive_utc(end_us + 1000))
            .order_by(h.id).limit(1))
    return conn.execute(stmt).scalar()


def _turns(conn, sessions: list[str]) -> dict[str, list[_Turn]]:
    """Each session's turns: its history split where a trigger step starts a new turn."""
    turns: dict[str, list[_Turn]] = {session: [] for session in sessions}
    if not sessions:
        return turns
    h = history_table.c
    rows = conn.execute(select(history_table).where(h.session_id.in_(sessions)).order_by(h.session_id, h.step)).mappings()
    for row in rows:
        own = turns[row["session_id"]]
        if row["type"] in TRIGGERS or not own:
            own.append(_Turn(row["session_id"], len(own) + 1, [], utc_us(row["at"]) or 0))
        own[-1].steps.append(dict(row))
    return turns


def _record_of(store: RecordStore, assistant: str, turn: _Turn) -> ExecutionRecord | None:
    """The turn's execution: one of the assistant's runs that was going on when the turn's history was saved,
    the one that names the session when several were."""
    page = store.page(event=assistant, until=naive_utc(turn.saved_us + 1000).replace(tzinfo=timezone.utc),
                      limit=TURN_CANDIDATES)
    around = [r for r in page.records if is_turn_record(r) and r.ended_us is not None and r.ended_us >= turn.saved_us]
    named = [r for r in around if isinstance(r.output, dict) and r.output.get("session_id") == turn.session_id]
    return next(iter(named or around), None)


def _path(store: RecordStore, assistant: str, graph: _Graph, turn: _Turn | None,
          record: ExecutionRecord | None) -> RunPath | None:
    if turn is None and record is None:
        return None
    drafts = _history_visits(graph, turn.steps if turn else [])
    if record is not None:
        _timed(drafts, record)
        if all(d.started_us is not None for d in drafts):
            drafts.sort(key=lambda d: d.started_us or 0)
        _attach_events(drafts, graph, store.children(record.id))
    if turn is not None:
        key = f"{turn.session_id}#{turn.number}"
        short = turn.session_id.removeprefix("session_")[:4]
        title, started = f"Turn {turn.number} · session {short}…", turn.saved_us
    if record is not None:
        if turn is None:
            key, title = f"record:{record.id}", f"Turn of record #{record.id}"
        title += " · failed" if record.status == "fail" else ""
        started = record.started_us
    return RunPath(assistant, "assistant", key, title, started, tuple(d.done() for d in drafts), _links(drafts, graph))


def _history_visits(graph: _Graph, steps: list[dict[str, Any]]) -> list[VisitDraft]:
    """One visit per history step, except that an agent node's tool calls join the visit of its answer."""
    drafts: list[VisitDraft] = []
    joining = False
    for step in steps:
        node = step["node_id"] or ""
        raw = step["raw"] if isinstance(step["raw"], dict) else {}
        if joining and drafts and drafts[-1].node == node:
            visit = drafts[-1]
        else:
            visit = VisitDraft(node, "ok", None)
            drafts.append(visit)
        is_agent = graph.types.get(node) == "aiagent"
        joining = is_agent and step["type"] == "TOOL_NODE"
        if is_agent and step["type"] == "TOOL_NODE":
            visit.details.append(f"tool {step['node_display_name']}" + (" failed" if raw.get("error") else ""))
        elif step["type"] == "IF_ELSE_NODE" and raw.get("branch"):
            visit.details.append(f"IF_ELSE_NODE → {raw['branch']}")
        else:
            visit.details.append(step["type"])
        if raw.get("caught"):
            visit.fail(str(raw.get("error") or "error"))
            visit.details.append("caught by the error event")
    return drafts


def _timed(drafts: list[VisitDraft], record: ExecutionRecord) -> None:
    """Times and failures from the record's `node` steps: the k-th step of a node is its k-th visit; a node
    that raised out of the turn has a step and no visit, and becomes a failed visit."""
    if drafts:
        drafts[0].started_us = record.started_us
    seen: dict[str, int] = {}
    for step in node_steps(record.steps):
        node = str(step.get("title") or "").partition(" ")[2]
        k = seen.get(node, 0)
        seen[node] = k + 1
        matches = [d for d in drafts[1:] if d.node == node]
        if k < len(matches):
            visit = matches[k]
        else:
            visit = VisitDraft(node, "ok", None)
            drafts.append(visit)
        visit.started_us = record.started_us + int(float(step.get("startMs") or 0.0) * 1000)
        visit.duration_ms = step.get("durationMs")
        if step.get("status") == "fail":
            visit.fail(step.get("error") or record.error)


def _attach_events(drafts: list[VisitDraft], graph: _Graph, children: list[ExecutionRecord]) -> None:
    """Node events to the k-th visit of their node (by phase); an agent node's agent run to its k-th visit."""
    seen: dict[tuple[str, str], int] = {}
    for child in sorted(children, key=lambda c: (c.started_us, c.id)):
        node, _, phase = child.operate.rpartition(".")
        if child.event_type == "events.AIAssistantType" and phase in NODE_EVENT_PHASES:
            key = (node, phase)
        elif child.event.startswith("aiagents.") and child.event in graph.agents.values():
            node = next((n for n, agent in graph.agents.items() if agent == child.event), "")
            key = (node, "agent")
        else:
            continue
        k = seen.get(key, 0)
        seen[key] = k + 1
        visits = [d for d in drafts if d.node == node]
        if visits:
            visits[min(k, len(visits) - 1)].records.append(child.id)


def _links(drafts: list[VisitDraft], graph: _Graph) -> tuple[tuple[str, str], ...]:
    """The edges taken: each visit came from the nearest earlier visit with an edge to it (the previous
    visit when none has, e.g. a turn that triggerEvent sent straight to a node)."""
    links: list[tuple[str, str]] = []
    for i, visit in enumerate(drafts[1:], start=1):
        source = next((d.node for d in reversed(drafts[:i]) if (d.node, visit.node) in graph.edges), drafts[i - 1].node)
        if source != visit.node:
            links.append((source, visit.node))
    return tuple(dict.fromkeys(links))
