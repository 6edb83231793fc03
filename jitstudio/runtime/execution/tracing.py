"""The execution path: a `sys.settrace` tracer that records the statements of app code as a bounded tree.

Only frames of files under the app's folder are traced (every other frame gets no local trace function, so
library code runs at nearly full speed); whether a code object is app code is worked out once per code object.
Each statement is a step with its line, source text, time and status; a statement run many times (a loop) stays
one step with a count and the total time; calls into other app functions (service methods) nest under the
statement that made them; explicit steps (data operations, nested events) are placed at the statement that is
running. The tree stops growing at `max_steps` nodes and the rest is counted in a closing note.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from time import perf_counter_ns
from typing import Any

from .statements import statements_of
from .path import _ENCODER, Step, _fixed_text, error_text

__all__ = ["MAX_DEPTH", "MAX_STEPS", "Step", "Tracer", "error_text"]

MAX_STEPS = 1_000
MAX_DEPTH = 40
MAX_SAME_EXPLICIT = 10
MAX_CODES = 20_000
# Frames that are part of the statement that made them: their time is the statement's, their calls nest there.
_PART_OF_STATEMENT = frozenset({"<genexpr>", "<listcomp>", "<setcomp>", "<dictcomp>", "<lambda>"})
_UNKNOWN: Any = object()


class _Code:
    """What tracing needs of one code object of the app, worked out the first time it runs."""

    __slots__ = ("path", "filename", "kind", "title", "first_line", "fixed", "starts", "statements", "lines")

    def __init__(self, code, path: str):
        module = code.co_name == "<module>"
        self.path = path
        self.filename = code.co_filename
        self.kind = "import" if module else "call"
        self.title = path if module else code.co_qualname
        self.first_line = code.co_firstlineno
        self.fixed = _fixed_text(self.title, self.first_line, path, None)
        self.statements = statements_of(code.co_filename)
        self.starts = self.statements.starts
        self.lines: dict[int, tuple[str, str]] = {}

    def line_info(self, line: int) -> tuple[str, str]:
        """(source text, fixed JSON keys) of the statement starting at `line`."""
        found = self.lines.get(line)
        if found is None:
            text = self.statements.code(line, self.filename)
            found = self.lines[line] = (text, _fixed_text("", line, self.path, text))
        return found


class _Frame:
    """The tracing state of one running app frame; `trace` is its local trace function."""

    __slots__ = ("tracer", "node", "info", "starts", "index", "current", "line_ns", "entered_ns", "pending",
                 "raised", "line", "raw_line")

    def __init__(self, tracer: "Tracer", node: Step, now: int, info: _Code):
        self.tracer = tracer
        self.node = node
        self.info = info
        self.starts = info.starts
        self.index = node.index
        self.current: Step | None = None
        self.line_ns = now
        self.entered_ns = now
        self.pending: BaseException | None = None
        self.raised: BaseException | None = None
        self.line = self.raw_line = 0

    def container(self) -> Step:
        return self.current or self.node

    def trace(self, frame, event: str, arg: Any):
        now = perf_counter_ns()
        if event == "line":
            raw = frame.f_lineno
            line = self.starts.get(raw, raw)
            if line == self.line and raw != self.raw_line:
                self.raw_line = raw  # the next line of a statement written over several lines
                return self.trace
            self.line, self.raw_line = line, raw
            current = self.current
            if current is not None:
                current.total_ns += now - self.line_ns
            self.pending = None
            node = self.index.get(line)
            if node is None:
                node = self.tracer.statement(self, line, now)
            self.current = node
            self.line_ns = now
            if node is not None:
                node.count += 1
        elif event == "return":
            current = self.current
            if current is not None:
                current.total_ns += now - self.line_ns
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


@functools.lru_cache(maxsize=64)
def _app_files(app_dir: str | os.PathLike) -> tuple[str, dict[str, str | None], dict[Any, _Code | None]]:
    """The normalised folder prefix of an app, its shared cache of filename -> app-relative path, and its
    shared cache of code object -> _Code (None: not traced)."""
    return os.path.normcase(os.path.realpath(app_dir)) + os.sep, {}, {}


class Tracer:
    """Records the execution path of app code run on this thread between `start()` and `stop()`."""

    def __init__(self, app_dir: str | os.PathLike, *, max_steps: int = MAX_STEPS, max_depth: int = MAX_DEPTH):
        self._prefix, self._files, self._codes = _app_files(app_dir)
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

    def _learn(self, code) -> _Code | None:
        path = self._app_path(code.co_filename)
        info = _Code(code, path) if path is not None and code.co_name not in _PART_OF_STATEMENT else None
        if len(self._codes) >= MAX_CODES:
            self._codes.clear()
        self._codes[code] = info
        return info

    def on_call(self, frame, event: str, arg: Any):
        """The global trace function: a local tracer for app frames, None (untraced) for the rest."""
        code = frame.f_code
        info = self._codes.get(code, _UNKNOWN)
        if info is _UNKNOWN:
            info = self._learn(code)
        if info is None or self.frames >= self.max_depth:
            return None
        now = perf_counter_ns()
        stack = self.stack
        if not stack:
            parent = self.root
        else:
            top = stack[-1]
            parent = top if type(top) is Step else (top.current or top.node)
        node = parent.index.get(code)
        if node is None:
            if self.nodes >= self.max_steps:
                self.omitted += 1
                return None
            node = Step(info.kind, info.title, now, info.first_line, info.path, None, None, info.fixed)
            parent.index[code] = node
            parent.children.append(node)
            self.nodes += 1
        node.count += 1
        state = _Frame(self, node, now, info)
        stack.append(state)
        self.frames += 1
        return state.trace

    # -- the tree ------------------------------------------------------------------------------------------

    def container(self) -> Step:
        """Where a new step goes: the open explicit step, or the statement running in the innermost frame."""
        if not self.stack:
            return self.root
        top = self.stack[-1]
        return top if type(top) is Step else (top.current or top.node)

    def statement(self, state: _Frame, line: int, now: int) -> Step | None:
        """The step of a statement seen for the first time in this call's node (None past the cap)."""
        if self.nodes >= self.max_steps:
            self.omitted += 1
            return None
        info = state.info
        text, fixed = info.line_info(line)
        node = Step("statement", "", now, line, info.path, text, None, fixed)
        state.index[line] = node
        state.node.children.append(node)
        self.nodes += 1
        return node

    def child(self, parent: Step, key: Any, make) -> Step | None:
        """The child of `parent` under `key`, made with `make()` on first use while under the cap."""
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
        stack = self.stack
        while stack:
            if stack.pop() is state:
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

    def _note(self) -> dict[str, Any]:
        return {"kind": "note", "title": f"{self.omitted} more steps not recorded (limit {self.max_steps})",
                "status": "success", "startMs": 0.0, "durationMs": 0.0, "count": self.omitted}

    def tree(self) -> list[dict[str, Any]]:
        steps = [child.to_json(self.origin_ns) for child in self.root.children]
        if self.omitted:
            steps.append(self._note())
        return steps

    def tree_json(self) -> str:
        """The JSON text of `tree()`, written without building its dicts."""
        children = self.root.children
        if not children and not self.omitted:
            return "[]"
        out = ["["]
        for n, child in enumerate(children):
            if n:
                out.append(",")
            child.write_json(self.origin_ns, out)
        if self.omitted:
            out.append("," if children else "")
            out.append(_ENCODER.encode(self._note()))
        out.append("]")
        return "".join(out)
