"""The execution path: a `sys.settrace` tracer that records the statements of app code as a bounded tree.

Only frames of files under the app's folder are traced (every other frame gets no local trace function, so
library code runs at nearly full speed). Each statement is a step with its line, source text, time and
status; a statement run many times (a loop) stays one step with a count and the total time; calls into other
app functions (service methods) nest under the statement that made them; explicit steps (data operations,
nested events) are placed at the statement that is running. The tree stops growing at `max_steps` nodes and
the rest is counted in a closing note.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from time import perf_counter_ns
from typing import Any

from ._records_statements import Statements, statements_of

MAX_STEPS = 1_000
MAX_DEPTH = 40
MAX_SAME_EXPLICIT = 10
# Frames that are part of the statement that made them: their time is the statement's, their calls nest there.
_PART_OF_STATEMENT = frozenset({"<genexpr>", "<listcomp>", "<setcomp>", "<dictcomp>", "<lambda>"})


def error_text(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Step:
    """A node of the execution path while it is being recorded."""

    __slots__ = ("kind", "title", "line", "file", "code", "first_ns", "total_ns", "count", "status", "error",
                 "info", "children", "index")

    def __init__(self, kind: str, title: str, first_ns: int, *, line: int | None = None, file: str | None = None,
                 code: str | None = None, info: dict | None = None):
        self.kind = kind
        self.title = title
        self.line = line
        self.file = file
        self.code = code
        self.first_ns = first_ns
        self.total_ns = 0
        self.count = 0
        self.status = "success"
        self.error: str | None = None
        self.info = info
        self.children: list[Step] = []
        self.index: dict[Any, Step] = {}

    def fail(self, error: str) -> None:
        if self.status != "fail":
            self.status = "fail"
            self.error = error

    def to_json(self, origin_ns: int) -> dict[str, Any]:
        """The step as JSON; keys without a value and empty `children` are left out."""
        out: dict[str, Any] = {"kind": self.kind, "status": self.status,
                               "startMs": round((self.first_ns - origin_ns) / 1e6, 3),
                               "durationMs": round(self.total_ns / 1e6, 3), "count": self.count}
        if self.title:
            out["title"] = self.title
        if self.line is not None:
            out["line"] = self.line
        if self.file is not None:
            out["file"] = self.file
        if self.code is not None:
            out["code"] = self.code
        if self.error is not None:
            out["error"] = self.error
        if self.info:
            out["info"] = self.info
        if self.children:
            out["children"] = [child.to_json(origin_ns) for child in self.children]
        return out


class _Frame:
    """The tracing state of one running app frame; `trace` is its local trace function."""

    __slots__ = ("tracer", "node", "current", "line_ns", "entered_ns", "pending", "raised", "statements",
                 "line", "raw_line")

    def __init__(self, tracer: "Tracer", node: Step, now: int, statements: Statements):
        self.tracer = tracer
        self.node = node
        self.current: Step | None = None
        self.line_ns = now
        self.entered_ns = now
        self.pending: BaseException | None = None
        self.raised: BaseException | None = None
        self.statements = statements
        self.line = self.raw_line = 0

    def container(self) -> Step:
        return self.current or self.node

    def trace(self, frame, event: str, arg: Any):
        now = perf_counter_ns()
        if event == "line":
            raw = frame.f_lineno
            line = self.statements.starts.get(raw, raw)
            if line == self.line and raw != self.raw_line:
                self.raw_line = raw  # the next line of a statement written over several lines
                return self.trace
            self.line, self.raw_line = line, raw
            self._close_line(now)
            self.pending = None
            node = self.node.index.get(line)
            if node is None:
                node = self.tracer.child(self.node, line, lambda: Step(
                    "statement", "", now, line=line, file=self.node.file,
                    code=self.statements.code(line, frame.f_code.co_filename)))
            self.current = node
            self.line_ns = now
            if node is not None:
                node.count += 1
        elif event == "return":
            self._close_line(now)
            self.node.total_ns += now - self.entered_ns
            if self.pending is not None:
                self.node.fail(error_text(self.pending))
            self.tracer.returned(self)
        elif event == "exception":
            exc = arg[1] if arg[1] is not None else arg[0]
            if self.current is not None:
                self.current.fail(error_text(exc))
            self.tracer.child_raised(exc)
            self.pending = self.raised = exc
        return self.trace

    def _close_line(self, now: int) -> None:
        if self.current is not None:
            self.current.total_ns += now - self.line_ns


@functools.lru_cache(maxsize=64)
def _app_files(app_dir: str) -> tuple[str, dict[str, str | None]]:
    """The normalised folder prefix of an app and its shared cache of filename -> app-relative path."""
    return os.path.normcase(os.path.realpath(app_dir)) + os.sep, {}


class Tracer:
    """Records the execution path of app code run on this thread between `start()` and `stop()`."""

    def __init__(self, app_dir: str | os.PathLike, *, max_steps: int = MAX_STEPS, max_depth: int = MAX_DEPTH):
        self._prefix, self._files = _app_files(os.fspath(app_dir))
        self.max_steps = max_steps
        self.max_depth = max_depth
        self.origin_ns = perf_counter_ns()
        self.root = Step("root", "", self.origin_ns)
        self.stack: list[_Frame | Step] = []
        self.frames = 0
        self.nodes = 0
        self.omitted = 0
        self._last_returned: _Frame | None = None
        self._previous: Any = None
        self._statements: dict[str, Statements] = {}

    # -- installing ----------------------------------------------------------------------------------------

    def start(self) -> None:
        self._previous = sys.gettrace()
        sys.settrace(self.on_call)

    def stop(self) -> None:
        sys.settrace(self._previous)

    def _app_path(self, filename: str) -> str | None:
        """The file's path relative to the app folder (posix), or None when it is not the app's."""
        try:
            return self._files[filename]
        except KeyError:
            pass
        real = os.path.normcase(os.path.realpath(filename)) if not filename.startswith("<") else ""
        rel = Path(real[len(self._prefix):]).as_posix() if real.startswith(self._prefix) else None
        self._files[filename] = rel
        return rel

    def on_call(self, frame, event: str, arg: Any):
        """The global trace function: a local tracer for app frames, None (untraced) for the rest."""
        code = frame.f_code
        path = self._app_path(code.co_filename)
        if path is None or self.frames >= self.max_depth or code.co_name in _PART_OF_STATEMENT:
            return None
        now = perf_counter_ns()
        parent = self.container()
        node = parent.index.get(code)
        if node is None:
            module = code.co_name == "<module>"
            node = self.child(parent, code, lambda: Step(
                "import" if module else "call", path if module else code.co_qualname, now,
                line=code.co_firstlineno, file=path))
        if node is None:
            return None
        node.count += 1
        statements = self._statements.get(code.co_filename)
        if statements is None:
            statements = self._statements[code.co_filename] = statements_of(code.co_filename)
        state = _Frame(self, node, now, statements)
        self.stack.append(state)
        self.frames += 1
        return state.trace

    # -- the tree ------------------------------------------------------------------------------------------

    def container(self) -> Step:
        """Where a new step goes: the open explicit step, or the statement running in the innermost frame."""
        if not self.stack:
            return self.root
        top = self.stack[-1]
        return top if isinstance(top, Step) else top.container()

    def child(self, parent: Step, key: Any, make) -> Step | None:
        """The child of `parent` under `key` (a line, a code object), made on first use while under the cap."""
        node = parent.index.get(key)
        if node is None:
            if self.nodes >= self.max_steps:
                self.omitted += 1
                return None
            node = make()
            parent.index[key] = node
            parent.children.append(node)
            self.nodes += 1
        return node

    def _place(self, kind: str, title: str, now: int, info: dict | None) -> tuple[Step | None, bool]:
        """A new explicit step at the current place, or, past MAX_SAME_EXPLICIT siblings of the same kind and
        title, the last of them to fold into (its count grows). Returns (node, folded)."""
        parent = self.container()
        key = ("explicit", kind, title)
        seen = parent.index.get(("seen", kind, title), 0)
        if seen >= MAX_SAME_EXPLICIT:
            node = parent.index[key]
            node.count += 1
            return node, True
        if self.nodes >= self.max_steps:
            self.omitted += 1
            return None, False
        node = Step(kind, title, now, info=dict(info) if info else None)
        node.count = 1
        parent.children.append(node)
        parent.index[key] = node
        parent.index[("seen", kind, title)] = seen + 1
        self.nodes += 1
        return node, False

    def open_step(self, kind: str, title: str, info: dict | None) -> tuple[Step | None, bool]:
        """Open an explicit step at the current place; see `_place`. Close it with `close_step`."""
        node, folded = self._place(kind, title, perf_counter_ns(), info)
        if node is not None:
            self.stack.append(node)
        return node, folded

    def close_step(self, node: Step, elapsed_ns: int, error: BaseException | None) -> None:
        node.total_ns += elapsed_ns
        if error is not None:
            node.fail(error_text(error))
        if any(item is node for item in self.stack):
            while self.stack.pop() is not node:
                pass

    def add_done(self, kind: str, title: str, started_ns: int, elapsed_ns: int, status: str,
                 error: str | None, info: dict | None) -> None:
        """Add a finished step at the current place (a nested execution, reported after it ran)."""
        node, folded = self._place(kind, title, started_ns, info)
        if node is not None:
            node.total_ns += elapsed_ns
            if status == "fail":
                node.fail(error or "failed")

    def returned(self, state: _Frame) -> None:
        while self.stack:
            top = self.stack.pop()
            if top is state:
                break
        self.frames -= 1
        self._last_returned = state

    def child_raised(self, exc: BaseException) -> None:
        """An exception arrived in a frame: if the frame that just returned raised it, that call failed."""
        last = self._last_returned
        if last is not None and last.raised is exc:
            last.node.fail(error_text(exc))
        self._last_returned = None

    def finish(self, error: BaseException | None) -> None:
        if error is not None:
            self.child_raised(error)

    def tree(self) -> list[dict[str, Any]]:
        steps = [child.to_json(self.origin_ns) for child in self.root.children]
        if self.omitted:
            steps.append({"kind": "note", "title": f"{self.omitted} more steps not recorded (limit {self.max_steps})",
                          "status": "success", "startMs": 0.0, "durationMs": 0.0, "count": self.omitted})
        return steps
