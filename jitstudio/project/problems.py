"""Located problems: what is wrong, where, and what is allowed."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Values quoted in a message may hold line breaks or control characters; a problem is always one line.
_ESCAPES = {i: f"\\x{i:02x}" for i in range(32)} | {9: "\\t", 10: "\\n", 13: "\\r", 0x7F: "\\x7f",
                                                   0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}
# A lone surrogate (a JSON "\\ud800", a file name that is not UTF-8) cannot be printed or encoded as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with each lone surrogate written as its escape (`\\ud800`), so that it can be printed and encoded."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    pointer: str = ""
    code: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", printable(self.message.translate(_ESCAPES)))
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "pointer", printable(self.pointer))

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
