"""What a run path is: the nodes one approval instance or one assistant turn visited, in order, each with its
status, time and the execution records fired there, and the links it took."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records.schema import iso

STATUSES = ("ok", "failed", "running", "waiting", "skipped")


@dataclass(frozen=True)
class NodeVisit:
    node: str                 # node name (workflow) / node id (assistant)
    status: str               # "ok" | "failed" | "running" | "waiting" (approval task open) | "skipped"
    started_us: int | None
    duration_ms: float | None
    error: str | None         # first line
    records: tuple[int, ...]  # execution record ids fired at this node (open them in the record browser)
    detail: str = ""          # e.g. "agree by manager", "refuse by finance: too much", "LLM_NODE"

    def to_json(self) -> dict[str, Any]:
        return {"node": self.node, "status": self.status, "startedAt": iso(self.started_us),
                "durationMs": self.duration_ms, "error": self.error, "records": list(self.records),
                "detail": self.detail}


@dataclass(frozen=True)
class RunPath:
    element: str              # workflows.X / aiassistants.X
    kind: str                 # "workflow" | "assistant"
    key: str                  # instance id / "<sessionId>#<turn>"
    title: str                # "Approval #3 · models.Order 17 · Pass", "Turn 2 · session ab12…"
    started_us: int | None
    visits: tuple[NodeVisit, ...]        # in order
    links: tuple[tuple[str, str], ...]   # (source, target) steps actually taken, in order

    def to_json(self) -> dict[str, Any]:
        return {"element": self.element, "kind": self.kind, "key": self.key, "title": self.title,
                "startedAt": iso(self.started_us), "visits": [v.to_json() for v in self.visits],
                "links": [list(link) for link in self.links]}


def first_line(text: str | None) -> str | None:
    return text.strip().splitlines()[0] if text and text.strip() else None


class VisitDraft:
    """A visit while a path is being worked out; `done()` freezes it."""

    def __init__(self, node: str, status: str, started_us: int | None, detail: str = ""):
        self.node, self.status, self.started_us = node, status, started_us
        self.ended_us: int | None = None
        self.duration_ms: float | None = None
        self.error: str | None = None
        self.records: list[int] = []
        self.details: list[str] = [detail] if detail else []
        self.waiting_for: list[str] = []  # an approval visit's assignees

    def fail(self, error: str | None, record_id: int | None = None) -> None:
        self.status, self.error = "failed", first_line(error)
        if record_id is not None and record_id not in self.records:
            self.records.append(record_id)

    def done(self) -> NodeVisit:
        duration = self.duration_ms
        if duration is None and self.ended_us is not None and self.started_us is not None:
            duration = max(0, self.ended_us - self.started_us) / 1000.0
        return NodeVisit(self.node, self.status, self.started_us, duration,
                         self.error if self.status == "failed" else None, tuple(self.records), "; ".join(self.details))
