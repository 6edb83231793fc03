"""FunctionDocument: the form model of one function, kept in sync with its module's source."""
from __future__ import annotations

import difflib
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

import libcst as cst

from . import _structure
from ._catalog import FunctionSignature, Issue, validate_card
from ._engine import Engine, check_parses, make_counter, without_semicolon
from ._errors import CardNotFoundError, DocumentInvalidError, FieldValueError, FunctionNotFoundError
from ._fields import apply, check_field_name
from ._classify import fields_of
from ._model import Card, CardKind, CodeError
from ._parse import build_root, find_function, iter_functions, parse
from ._render import LineIndex, trailing_footer_lines
from ._tree import Slot


class FunctionDocument:
    """One function (an event's ``customFunc`` or a service method) as cards over its module's text.

    The text is the truth: edits splice the lines they change and keep every other byte. When the
    text stops parsing, the last good cards stay visible, ``error`` says why, and form edits are
    refused until ``update_source`` receives code that parses again."""

    def __init__(self, function: str, class_name: str | None) -> None:
        self._function = function
        self._class_name = class_name
        self._raw = ""
        self._added_newline = ""
        self._engine: Engine | None = None
        self._error: CodeError | None = None
        self._counter = make_counter()
        self._cache: tuple[int, tuple[Card, ...]] | None = None
        self._function_missing = False

    # ----- construction --------------------------------------------------------------------------

    @classmethod
    def from_source(cls, source: str, function: str = "customFunc", class_name: str | None = None
                    ) -> "FunctionDocument":
        """Cards of ``function`` (a method when ``class_name`` is given; dotted for nested classes).
        Source that does not parse gives an invalid document without cards; a function that is
        not defined raises FunctionNotFoundError."""
        doc = cls(function, class_name)
        if not doc.update_source(source) and doc._function_missing:
            raise FunctionNotFoundError(str(doc._error.message))
        return doc

    @classmethod
    def all_from_source(cls, source: str) -> list["FunctionDocument"]:
        """A document for every module-level function and every method of every class, parsing
        the module once. Raises CodeSyncError when the source does not parse."""
        parsed, error = parse(source)
        if parsed is None:
            raise DocumentInvalidError(str(error))
        docs = []
        for owner, funcdef, indent, tree in iter_functions(parsed):
            doc = cls(funcdef.name.value, owner)
            doc._raw, doc._added_newline = source, parsed.text[len(source):]
            root = build_root(parsed, funcdef, indent, tree, _allocator(doc._counter))
            doc._engine = Engine(parsed.module, parsed.text, root, indent, parsed.renderer, doc._counter)
            docs.append(doc)
        return docs

    # ----- state ---------------------------------------------------------------------------------

    @property
    def function(self) -> str:
        return self._function

    @property
    def class_name(self) -> str | None:
        return self._class_name

    @property
    def source(self) -> str:
        """The module text: exactly what was typed while invalid, else the text with every edit."""
        if self._error is not None or self._engine is None:
            return self._raw
        text = self._engine.text
        return text[:len(text) - len(self._added_newline)] if self._added_newline else text

    @property
    def error(self) -> CodeError | None:
        return self._error

    @property
    def is_valid(self) -> bool:
        return self._error is None

    @property
    def parameters(self) -> tuple[str, ...]:
        if self._engine is None:
            return ()
        params = self._engine.root.node.params
        names = [p.name.value for p in (*params.posonly_params, *params.params)]
        if isinstance(params.star_arg, cst.Param):
            names.append("*" + params.star_arg.name.value)
        names += [p.name.value for p in params.kwonly_params]
        if params.star_kwarg is not None:
            names.append("**" + params.star_kwarg.name.value)
        return tuple(names)

    @property
    def cards(self) -> tuple[Card, ...]:
        """The function's top-level cards (the last good ones while the source is invalid)."""
        engine = self._engine
        if engine is None:
            return ()
        if self._cache is None or self._cache[0] != engine.version:
            lines = LineIndex(engine.text, (o for s in engine.root.walk() for o in (s.stmt_start, s.end - 1)))
            self._cache = (engine.version, tuple(_view(c, lines) for c in engine.root.children))
        return self._cache[1]

    def walk(self) -> Iterator[Card]:
        for card in self.cards:
            yield from card.walk()

    def card(self, card_id: str) -> Card:
        engine = self._engine
        slot = engine.find(card_id) if engine is not None else None
        if slot is None:
            raise CardNotFoundError(f"no card {card_id!r}")
        if self._cache is not None and self._cache[0] == engine.version:
            for card in self.walk():
                if card.id == card_id:
                    return card
        subtree = list(slot.walk())
        return _view(slot, LineIndex(engine.text, (o for s in subtree for o in (s.stmt_start, s.end - 1))))

    def statement_text(self, card_id: str) -> str:
        """The exact source text of a card's line unit (leading comment lines included)."""
        slot = self._slot(card_id)
        return self._engine.text[slot.start:slot.end]

    # ----- code -> cards -------------------------------------------------------------------------

    def update_source(self, text: str) -> bool:
        """Take new module text. Returns whether it parses; if not, the cards stay as they were."""
        self._raw = text
        self._function_missing = False
        parsed, error = parse(text)
        if parsed is None:
            self._error = error
            return False
        found = find_function(parsed, self._function, self._class_name)
        if found is None:
            where = f" in class {self._class_name}" if self._class_name else ""
            self._error = CodeError(f"function {self._function!r} is not defined{where}", None, None)
            self._function_missing = True
            return False
        funcdef, indent, tree = found
        padded = parsed.text
        root = build_root(parsed, funcdef, indent, tree, _allocator(self._counter))
        if self._engine is not None:
            _carry_ids(self._engine.root, self._engine.text, root, padded)
        self._engine = Engine(parsed.module, padded, root, indent, parsed.renderer, self._counter)
        self._added_newline = padded[len(text):]
        self._error = None
        self._cache = None
        return True

    # ----- form -> code --------------------------------------------------------------------------

    def set_field(self, card_id: str, name: str, value: Any) -> Card:
        """Set one field (``args.<key>`` sets a single argument; None removes optional values)."""
        slot = self._slot(card_id)
        engine = self._engine
        if slot.kind is CardKind.CODE:
            check_field_name(slot.kind, name)
            engine.set_code(slot, value)
            return self.card(card_id)
        new = apply(slot.kind, slot.node, name, value, engine.exprs)
        if new is slot.node:
            return self.card(card_id)
        if slot.kind in (CardKind.IF, CardKind.BRANCH, CardKind.FOR_EACH):
            engine.set_header(slot, new)
        else:
            check_parses(engine.renderer(cst.SimpleStatementLine(body=[without_semicolon(new)])), name)
            engine.replace_small(slot, new, {})
        return self.card(card_id)

    def insert_card(self, kind: CardKind | str, fields: Mapping[str, Any], parent: str | None = None,
                    index: int | None = None) -> Card:
        """Insert a new card into ``parent`` (a branch or for_each card id; None for the function
        body) before the card now at ``index`` (None appends). A ``branch`` kind adds an elif
        (``{"condition": ...}``) or an else (``{}``) to an if card."""
        try:
            kind = CardKind(kind)
        except ValueError:
            raise FieldValueError(f"unknown card kind {kind!r}") from None
        container = self._container(parent)
        new_id = _structure.insert_card(self._engine, kind, fields, container, index)
        return self.card(new_id)

    def move_card(self, card_id: str, parent: str | None = None, index: int | None = None) -> Card:
        """Move a card (with its comments and children) so it ends up at ``index`` in ``parent``."""
        slot = self._slot(card_id)
        _structure.move(self._engine, slot, self._container(parent), index)
        return self.card(card_id)

    def delete_card(self, card_id: str) -> None:
        """Delete a card with its leading comments; an emptied body gets ``pass``."""
        _structure.delete(self._engine, self._slot(card_id))

    def validate(self, catalog: Mapping[str, FunctionSignature] | list[FunctionSignature]) -> list[Issue]:
        """Issues of every card against the callee signatures in ``catalog``."""
        return [issue for card in self.walk() for issue in validate_card(card, catalog)]

    # ----- helpers -------------------------------------------------------------------------------

    def _require_valid(self) -> Engine:
        if self._error is not None or self._engine is None:
            raise DocumentInvalidError(f"the code does not parse, fix it first: {self._error}")
        return self._engine

    def _slot(self, card_id: str) -> Slot:
        slot = self._require_valid().find(card_id)
        if slot is None:
            raise CardNotFoundError(f"no card {card_id!r}")
        return slot

    def _container(self, parent: str | None) -> Slot:
        engine = self._require_valid()
        return engine.root if parent is None else self._slot(parent)


def _allocator(counter) -> Any:
    return lambda: f"c{counter()}"


def _view(slot: Slot, lines: LineIndex) -> Card:
    children = tuple(_view(child, lines) for child in slot.children)
    first = lines.line_of(slot.stmt_start)
    if children and slot.kind in (CardKind.IF, CardKind.BRANCH, CardKind.FOR_EACH):
        last = max(first, children[-1].line_span[1])
    elif slot.kind in (CardKind.IF, CardKind.BRANCH, CardKind.FOR_EACH):
        last = first
    else:
        last = lines.line_of(slot.end - 1)
        if slot.line is slot.node:
            last -= trailing_footer_lines(slot.node)
    if slot.kind is CardKind.BRANCH or slot.line is slot.node:
        leading = slot.node.leading_lines
    elif slot.line is not None and slot.line.body[0] is slot.node:
        leading = slot.line.leading_lines
    else:
        leading = ()
    comments = tuple(line.comment.value for line in leading if line.comment)
    if slot._fields is not None:
        fields: Mapping[str, Any] = _frozen(slot._fields)
    else:
        fields = LazyFields(slot.kind, slot.node, slot.line is slot.node, slot.render)
    return Card(slot.id, slot.kind, (first, max(first, last)), fields, children, comments)


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


def _flatten(root: Slot, text: str) -> list[tuple[Slot, tuple]]:
    """Cards in order, keyed by depth, kind and their own source text (headers for containers)."""
    out: list[tuple[Slot, tuple]] = []

    def visit(slot: Slot, depth: int) -> None:
        for child in slot.children:
            end = child.children[0].start if child.children else child.end
            out.append((child, (depth, child.kind, text[child.stmt_start:max(end, child.stmt_start)])))
            visit(child, depth + 1)

    visit(root, 0)
    return out


def _carry_ids(old_root: Slot, old_text: str, new_root: Slot, new_text: str) -> None:
    """Give re-parsed cards the ids of the cards they most plausibly are."""
    old, new = _flatten(old_root, old_text), _flatten(new_root, new_text)
    matcher = difflib.SequenceMatcher(None, [k for _, k in old], [k for _, k in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs: Iterable[tuple[int, int]]
        if tag == "equal":
            pairs = zip(range(i1, i2), range(j1, j2))
        elif tag == "replace":
            pairs = ((i, j) for i, j in zip(range(i1, i2), range(j1, j2)) if old[i][1][:2] == new[j][1][:2])
        else:
            continue
        for i, j in pairs:
            new[j][0].id = old[i][0].id
