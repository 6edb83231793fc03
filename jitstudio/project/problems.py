"""Located problems: what is wrong, where, and what is allowed."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    pointer: str = ""
    code: str = ""

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"

    def to_json(self) -> dict:
        return asdict(self)


def allowed_list(values, limit: int = 12) -> str:
    items = [str(v) for v in values]
    if len(items) > limit:
        items = items[:limit] + ["…"]
    return ", ".join(items)
