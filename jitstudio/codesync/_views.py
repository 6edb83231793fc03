"""The cards of a slot tree, the public view of the document. A card whose statement, lines and nested cards
are what they were in the previous text version is the same Card object again, so views can tell what an
edit left untouched by identity. A top-level slot no edit reached since (the engine marks the slots around
every change of text) and still on the same line keeps its card without a look inside."""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterator, Mapping, NamedTuple

from ._classify import fields_of
from ._model import CONTAINER_KINDS, Card, CardKind
from ._render import LineCounter, trailing_footer_lines
from ._tree import Slot

NESTING = frozenset(k for k in CardKind if k.value in CONTAINER_KINDS or k in (CardKind.IF, CardKind.TRY))


class _Made(NamedTuple):
    """A card and what it was made from (holding the slot keeps its id() its own)."""

    slot: Slot
    node: Any
    line: Any
    fields: dict[str, Any] | None
    card: Card


class _Top(NamedTuple):
    """The card of a top-level slot as of engine version `version`, when its statement was on line `line`,
    and what the cards of its subtree were made from."""

    slot: Slot
    version: int
    line: int
    card: Card
    made: dict[int, _Made]


class CardViews:
    """Builds cards from slots, reusing the card of a slot whose node, fields and span did not change."""

    def __init__(self) -> None:
        self._tops: dict[int, _Top] = {}

    def cards(self, root: Slot, text: str, version: int) -> tuple[Card, ...]:
        """The cards of ``root``'s children in ``text`` at engine version ``version``."""
        lines = LineCounter(text)
        tops, self._tops = self._tops, {}
        for slot in root.children:
            line = lines.line_of(slot.stmt_start)
            top = tops.get(id(slot))
            if top is None or slot.edited > top.version or top.line != line:
                made: dict[int, _Made] = {}
                card = _view(slot, lines, top.made if top is not None else {}, made)
                top = _Top(slot, version, line, card, made)
            self._tops[id(slot)] = top
        return tuple(top.card for top in self._tops.values())

    def card(self, slot: Slot, text: str) -> Card:
        """The card of one slot (what it is made from is kept for the next `cards`)."""
        top = slot
        while top.parent is not None and top.parent.parent is not None:
            top = top.parent
        known = self._tops.get(id(top))
        made = known.made if known is not None else {}
        return _view(slot, LineCounter(text), made, made)


def _view(slot: Slot, lines: LineCounter, made: dict[int, _Made], fresh: dict[int, _Made]) -> Card:
    """The card of ``slot``: the one in ``made`` while it still fits, else a new one; noted in ``fresh``."""
    first = lines.line_of(slot.stmt_start)
    children = tuple([_view(child, lines, made, fresh) for child in slot.children]) if slot.children else ()
    span = _span(slot, first, lines, children)
    known = made.get(id(slot))
    if known is None or not _still_made(known, slot, span, children):
        kind = slot.kind
        assert kind is not None  # the function itself is not a card
        card = Card(slot.id, kind, span, _fields_view(slot), children, _comments(slot))
        known = _Made(slot, slot.node, slot.line, slot._fields, card)
    fresh[id(slot)] = known
    return known.card


def _still_made(made: _Made, slot: Slot, span: tuple[int, int], children: tuple[Card, ...]) -> bool:
    """Whether the card made earlier is still the slot's card."""
    card = made.card
    return (made.node is slot.node and made.line is slot.line and made.fields is slot._fields and card.id == slot.id
            and card.line_span == span and _same(card.children, children))


def _same(cards: tuple[Card, ...], others: tuple[Card, ...]) -> bool:
    return cards is others or (len(cards) == len(others) and all(a is b for a, b in zip(cards, others)))


def _span(slot: Slot, first: int, lines: LineCounter, children: tuple[Card, ...]) -> tuple[int, int]:
    if slot.own_lines is not None:
        return first + slot.own_lines[0], first + slot.own_lines[1]
    if slot.kind in NESTING:
        last = max(first, children[-1].line_span[1]) if children else first
    else:
        last = lines.line_of(slot.end - 1)
        if slot.line is slot.node:
            last -= trailing_footer_lines(slot.node)
    return first, max(first, last)


def _comments(slot: Slot) -> tuple[str, ...]:
    node: Any = slot.node
    line: Any = slot.line
    if slot.kind in (CardKind.BRANCH, CardKind.CLAUSE) or line is node:
        leading = node.leading_lines
    elif line is not None and line.body[0] is node:
        leading = line.leading_lines
    else:
        leading = ()
    return tuple(line.comment.value for line in leading if line.comment)


def _fields_view(slot: Slot) -> Mapping[str, Any]:
    if slot._fields is not None:
        return _frozen(slot._fields)
    return LazyFields(slot.kind, slot.node, slot.line is slot.node, slot.render)


def _frozen(fields: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: MappingProxyType(dict(v)) if isinstance(v, dict) else v for k, v in fields.items()})


class LazyFields(Mapping):
    """A card's fields, rendered from its node the first time they are read."""

    __slots__ = ("_args", "_data")

    def __init__(self, *args: Any) -> None:
        self._args = args
        self._data: Mapping[str, Any] | None = None

    def _load(self) -> Mapping[str, Any]:
        if self._data is None:
            self._data = _frozen(fields_of(*self._args))
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(dict(self._load()))
