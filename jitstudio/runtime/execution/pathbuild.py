"""The execution path as it is recorded (a flat log) and the Step tree built from it afterwards.

While a handler runs, a tracer only appends pairs to a list: `(line, ns)` for a statement starting in the
innermost app frame, `(CodeInfo, ns)` for a call into app code, `(END, ns)` when that frame returns, `(RAISE,
exception)` when an exception reaches it, and `(OPEN | CLOSE, ExplicitStep)`, `(DONE, details)`, `(FINISH,
error)` for explicit steps, finished nested executions and the handler's own error. `PathBuilder.feed` turns
the pairs into the tree of Steps: a statement run many times (a loop) stays one step with a count and the
total time, calls nest under the statement that made them, explicit steps go where the handler was, and the
tree stops growing at `max_steps` nodes (the rest is counted in a closing note).
"""
from __future__ import annotations

from typing import Any

from .appcode import CodeInfo
from .path import _ENCODER, Step, error_text

__all__ = ["CLOSE", "DONE", "END", "FOLD_AT", "FINISH", "OPEN", "RAISE", "ExplicitStep", "PathBuilder"]

MAX_SAME_EXPLICIT = 10
# Log entries (two per event) gathered before they are folded into the tree on the handler's thread.
FOLD_AT = 100_000


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


END, RAISE, OPEN, CLOSE, DONE, FINISH = (_Marker(name) for name in ("END", "RAISE", "OPEN", "CLOSE", "DONE", "FINISH"))


class ExplicitStep:
    """An explicit step as the handler opened it; placed in the tree when the path is built."""

    __slots__ = ("kind", "title", "info", "started_ns", "elapsed_ns", "error", "node", "folded")

    def __init__(self, kind: str, title: str, info: dict | None, started_ns: int):
        self.kind = kind
        self.title = title
        self.info = info
        self.started_ns = started_ns
        self.elapsed_ns = 0
        self.error: BaseException | None = None
        self.node: Step | None = None
        self.folded = False

    def update(self, info: dict[str, Any]) -> None:
        self.info = {**(self.info or {}), **info}


class _Frame:
    """The state of one traced app frame while the log is replayed."""

    __slots__ = ("node", "info", "starts", "index", "current", "line_ns", "entered_ns", "pending", "raised",
                 "line", "raw_line")

    def __init__(self, node: Step, now: int, info: CodeInfo):
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


class PathBuilder:
    """Builds the Step tree from log pairs; `feed` may be called with consecutive parts of one log."""

    def __init__(self, origin_ns: int, max_steps: int):
        self.origin_ns = origin_ns
        self.max_steps = max_steps
        self.root = Step("root", "", origin_ns)
        self.stack: list[_Frame | Step] = []     # traced frames and open explicit steps, innermost last
        self.frames: list[_Frame | None] = []    # every logged frame; None for one past the step limit
        self.nodes = 0
        self.omitted = 0
        self._last_returned: _Frame | None = None

    def feed(self, log: list) -> None:
        frames = self.frames
        pairs = iter(log)
        for head, value in zip(pairs, pairs):
            kind = type(head)
            if kind is int:
                frame = frames[-1] if frames else None
                if frame is not None:
                    self._line(frame, head, value)
            elif kind is CodeInfo:
                self._call(head, value)
            elif head is END:
                frame = frames.pop() if frames else None
                if frame is not None:
                    self._return(frame, value)
            elif head is RAISE:
                frame = frames[-1] if frames else None
                if frame is not None:
                    self._raise(frame, value)
            elif head is OPEN:
                self._open(value)
            elif head is CLOSE:
                self._close(value)
            elif head is DONE:
                self._done(*value)
            elif head is FINISH:
                self._child_raised(value)

    # -- frames --------------------------------------------------------------------------------------------

    def _call(self, info: CodeInfo, now: int) -> None:
        parent = self.container()
        node = parent.index.get(info)
        if node is None:
            if self.nodes >= self.max_steps:
                self.omitted += 1
                self.frames.append(None)
                return
            node = Step(info.kind, info.title, now, info.first_line, info.path, None, None, info.fixed)
            parent.index[info] = node
            parent.children.append(node)
            self.nodes += 1
        node.count += 1
        frame = _Frame(node, now, info)
        self.stack.append(frame)
        self.frames.append(frame)

    def _line(self, frame: _Frame, raw: int, now: int) -> None:
        line = frame.starts.get(raw, raw)
        if line == frame.line and raw != frame.raw_line:
            frame.raw_line = raw  # the next line of a statement written over several lines
            return
        frame.line, frame.raw_line = line, raw
        current = frame.current
        if current is not None:
            current.total_ns += now - frame.line_ns
        frame.pending = None
        node = frame.index.get(line)
        if node is None:
            node = self._statement(frame, line, now)
        frame.current = node
        frame.line_ns = now
        if node is not None:
            node.count += 1

    def _statement(self, frame: _Frame, line: int, now: int) -> Step | None:
        """The step of a statement seen for the first time in this call's node (None past the cap)."""
        if self.nodes >= self.max_steps:
            self.omitted += 1
            return None
        text, fixed = frame.info.line_info(line)
        node = Step("statement", "", now, line, frame.info.path, text, None, fixed)
        frame.index[line] = node
        frame.node.children.append(node)
        self.nodes += 1
        return node

    def _return(self, frame: _Frame, now: int) -> None:
        current = frame.current
        if current is not None:
            current.total_ns += now - frame.line_ns
        frame.node.total_ns += now - frame.entered_ns
        if frame.pending is not None:
            _fail(frame.node, frame.pending)
        stack = self.stack
        while stack:
            if stack.pop() is frame:
                break
        self._last_returned = frame

    def _raise(self, frame: _Frame, exc: BaseException) -> None:
        if frame.current is not None:
            _fail(frame.current, exc)
        self._child_raised(exc)
        frame.pending = frame.raised = exc

    def _child_raised(self, exc: BaseException) -> None:
        """An exception arrived in a frame: if the frame that just returned raised it, that call failed."""
        last = self._last_returned
        if last is not None and last.raised is exc:
            _fail(last.node, exc)
        self._last_returned = None

    # -- explicit steps ------------------------------------------------------------------------------------

    def container(self) -> Step:
        """Where a new step goes: the open explicit step, or the statement running in the innermost frame."""
        if not self.stack:
            return self.root
        top = self.stack[-1]
        return (top.current or top.node) if isinstance(top, _Frame) else top

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
        node = Step(kind, title, now, info=info)
        node.count = 1
        parent.children.append(node)
        parent.index[key] = node
        parent.index[("seen", kind, title)] = seen + 1
        self.nodes += 1
        return node, False

    def _open(self, step: ExplicitStep) -> None:
        step.node, step.folded = self._place(step.kind, step.title, step.started_ns, step.info)
        if step.node is not None:
            self.stack.append(step.node)

    def _close(self, step: ExplicitStep) -> None:
        node = step.node
        if node is None:
            return
        if not step.folded:
            node.info = step.info
        node.total_ns += step.elapsed_ns
        if step.error is not None:
            _fail(node, step.error)
        if any(item is node for item in self.stack):
            while self.stack.pop() is not node:
                pass

    def _done(self, kind: str, title: str, started_ns: int, elapsed_ns: int, status: str, error: str | None,
              info: dict | None) -> None:
        node, _folded = self._place(kind, title, started_ns, dict(info) if info else None)
        if node is not None:
            node.total_ns += elapsed_ns
            if status == "fail":
                node.fail(error or "failed")

    # -- the result ----------------------------------------------------------------------------------------

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


def _fail(node: Step, exc: BaseException) -> None:
    if node.status != "fail":
        node.fail(error_text(exc))

