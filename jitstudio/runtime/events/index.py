"""Which events listen to what: every enabled event element compiled once, indexed by (kind, sender, operate).

A write looks up its model and timing in a dict; an event of another model costs nothing, one with other
`fields` costs a set test, and a filter is parsed once and evaluated only when the fields match.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ...project import EventElement, Project, qfilter
from ...project.qfilter import Condition, Group, Node, QSyntaxError

_PLAIN = (str, int, float, bool)


def compile_filter(node: Node) -> Callable[[dict], bool]:
    """A row test equal to `qfilter.evaluate(node, row)`, with equality on same-typed plain values
    compared directly (the common case of a model-event filter) and everything else evaluated as usual."""
    if isinstance(node, Group):
        parts = tuple(compile_filter(child) for child in node.children)
        combine = all if node.connector == "AND" else any
        if node.negated:
            return lambda row: not combine(part(row) for part in parts)
        return lambda row: combine(part(row) for part in parts)
    if node.op in ("=", "!=") and "__" not in node.field and isinstance(node.value, _PLAIN):
        name, value, kind, positive = node.field, node.value, type(node.value), node.op == "="

        def test(row: dict) -> bool:
            found = row.get(name)
            if type(found) is kind:
                return (found == value) is positive
            return qfilter.evaluate(node, row)

        return test
    return lambda row: qfilter.evaluate(node, row)

# The key an event is found under: its sender and its operate (stage for agent events).
_SENDER = {"model": "sender", "normal": "sender", "workflow": "model", "assistant": "sender", "agent": "sender"}
_OPERATE = {"model": "operate", "normal": None, "workflow": "operate", "assistant": "operate", "agent": "stage"}


@dataclass(frozen=True)
class CompiledEvent:
    element: EventElement
    full_name: str
    event_type: str
    kind: str
    sender: str
    operate: str
    is_async: bool
    enabled: bool
    fields: tuple[str, ...] = ()
    filter_tree: Any = None
    filter_test: Callable[[dict], bool] | None = None
    filter_error: str | None = None
    retry: int = 0
    backoff: float = 0.0
    obj_mode: bool = False

    @property
    def spec(self):
        return self.element.event_spec

    def matches_row(self, prev: dict, post: dict, deleting: bool) -> bool:
        """The model-event test: a listed field changed (none listed: always), then the filter passes on
        postData (prevData for a delete)."""
        if self.fields and not any(prev.get(f) != post.get(f) for f in self.fields):
            return False
        if self.filter_test is None:
            return self.filter_error is None
        return self.filter_test(prev if deleting else post)


def compile_event(element: EventElement) -> CompiledEvent | None:
    spec = element.event_spec
    if spec is None or not element.kind:
        return None
    sender_key, operate_key = _SENDER[element.kind], _OPERATE[element.kind]
    tree, error = None, None
    text = getattr(spec, "filter", None)
    if text and text.strip():
        try:
            tree = qfilter.parse(text)
        except QSyntaxError as exc:
            error = f"{element.full_name}: invalid filter {text!r}: {exc}"
    return CompiledEvent(
        element=element, full_name=element.full_name, event_type=element.event_type, kind=element.kind,
        sender=str(getattr(spec, sender_key, "") or ""), operate=str(getattr(spec, operate_key, "") or "") if operate_key else "",
        is_async=bool(spec.asyncType), enabled=bool(spec.enable), fields=tuple(getattr(spec, "fields", None) or ()),
        filter_tree=tree, filter_test=compile_filter(tree) if tree is not None else None, filter_error=error, retry=int(spec.retry or 0), backoff=float(spec.retryBackoffSeconds or 0),
        obj_mode=bool(getattr(spec, "objMode", False)),
    )


class Selector:
    """The events of one model and timing, arranged so that events that do not match cost almost nothing:
    events are grouped by their `fields` list, which is tested once per group, and filters of the form
    `field = 'text'` are looked up by the row's value instead of being evaluated one by one."""

    def __init__(self, events: tuple[CompiledEvent, ...]):
        self.events = events
        self.position = {e.full_name: i for i, e in enumerate(events)}
        self.keyed: dict[str, dict[str, list[CompiledEvent]]] = {}
        groups: dict[tuple[str, ...], list[CompiledEvent]] = {}
        for event in events:
            tree = event.filter_tree
            if isinstance(tree, Condition) and tree.op == "=" and isinstance(tree.value, str) and "__" not in tree.field:
                self.keyed.setdefault(tree.field, {}).setdefault(tree.value, []).append(event)
            else:
                groups.setdefault(event.fields, []).append(event)
        # (the field when the list has one, the fields, the events): one field is compared without a call
        self.groups = tuple((fields[0] if len(fields) == 1 else None, fields, tuple(group))
                            for fields, group in groups.items())
        self.keyed_items = tuple(self.keyed.items())
        self.keyed_all = {name: [e for bucket in values.values() for e in bucket] for name, values in self.keyed.items()}
        # no fields, no filter: every event matches every write
        self.always = not self.keyed and all(not e.fields and e.filter_tree is None and e.filter_error is None
                                             for e in events)
        self._sort = bool(self.keyed) or len(self.groups) > 1

    def matching(self, prev: dict, post: dict, deleting: bool) -> tuple[CompiledEvent, ...] | list[CompiledEvent]:
        if self.always:
            return self.events
        row = prev if deleting else post
        found: list[CompiledEvent] = []
        for only, fields, group in self.groups:
            if only is not None:
                if not prev.get(only) != post.get(only):  # as _changed compares
                    continue
            elif fields and not _changed(fields, prev, post):
                continue
            for e in group:
                if e.filter_test(row) if e.filter_test is not None else e.filter_error is None:
                    found.append(e)
        for name, buckets in self.keyed_items:
            value = row.get(name)
            if type(value) is str:  # text equals text exactly: the bucket is the answer
                candidates = buckets.get(value)
            else:  # anything else is compared the way the filter language compares it
                candidates = [e for e in self.keyed_all[name] if e.filter_test(row)]
            if candidates:
                found += [e for e in candidates if not e.fields or _changed(e.fields, prev, post)]
        if self._sort and len(found) > 1:
            found.sort(key=lambda e: self.position[e.full_name])
        return found


def _changed(fields: tuple[str, ...], prev: dict, post: dict) -> bool:
    for name in fields:
        if prev.get(name) != post.get(name):
            return True
    return False


@dataclass
class EventIndex:
    by_name: dict[str, CompiledEvent] = field(default_factory=dict)
    by_key: dict[tuple[str, str, str], tuple[CompiledEvent, ...]] = field(default_factory=dict)
    selectors: dict[tuple[str, str, str], Selector] = field(default_factory=dict)

    @classmethod
    def build(cls, project: Project) -> "EventIndex":
        index = cls()
        groups: dict[tuple[str, str, str], list[CompiledEvent]] = {}
        for element in project.events:
            compiled = compile_event(element)
            if compiled is None:
                continue
            index.by_name[compiled.full_name] = compiled
            if compiled.enabled:
                groups.setdefault((compiled.kind, compiled.sender, compiled.operate), []).append(compiled)
        index.by_key = {key: tuple(events) for key, events in groups.items()}
        index.selectors = {key: Selector(events) for key, events in index.by_key.items() if key[0] == "model"}
        return index

    def select(self, kind: str, sender: str, operate: str = "") -> tuple[CompiledEvent, ...]:
        return self.by_key.get((kind, sender, operate or ""), ())

    def listened(self, kind: str, sender: str) -> frozenset[str]:
        """The operates anything listens to for a sender (the data API skips payloads when empty)."""
        return frozenset(op for (k, s, op) in self.by_key if k == kind and s == sender)


def get_sender(event: CompiledEvent) -> str:
    """The reference's getSender(): `models.X_Operate` for model and approval events, `<sender>.<operate>`
    for assistant and agent events, the sender itself for custom events."""
    if event.kind in ("model", "workflow"):
        return f"{event.sender}_{event.operate}"
    if event.kind in ("assistant", "agent"):
        return f"{event.sender}.{event.operate}"
    return event.sender
