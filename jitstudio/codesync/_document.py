"""FunctionDocument: the form model of one function, kept in sync with its module's source."""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterator, Mapping

import libcst as cst

from . import _structure
from ._carry import carry_ids
from ._catalog import FunctionSignature, Issue, validate_card
from ._engine import Engine, check_parses, is_bare_pass, make_counter, without_semicolon
from ._errors import (CardNotFoundError, DocumentInvalidError, FieldValueError, FunctionNotFoundError,
                      InvalidEditError)
from ._fields import apply, check_field_name
from ._model import ENDS_BODY, Card, CardKind, CodeError
from ._parse import BOM, build_root, compiler_problem, find_function, has_scope_words, iter_functions, parse
from ._tree import Slot
from ._views import NESTING, CardViews


def _edit(edit: Callable[..., Any]) -> Callable[..., Any]:
    """An edit of the document, kept consistent and valid: libcst refusing a shape becomes
    InvalidEditError; text a fresh parse would read differently is read afresh (ids carried over);
    and an edit whose text the compiler rejects (a `global` after a use, `await` outside
    `async def`…) is undone and refused."""

    @functools.wraps(edit)
    def run(self: "FunctionDocument", *args: Any, **kwargs: Any) -> Any:
        engine = self._engine
        before = None
        if engine is not None:  # card ids by position only where a refusal could come from the old text
            ids = [slot.id for slot in engine.root.walk()] if has_scope_words(
                engine.text, engine.root.start, engine.root.end) else None
            before = (engine.text, self._added_newline, set(self._appended_last), ids, set(engine.placeholders))
        try:
            result = edit(self, *args, **kwargs)
        except cst.CSTValidationError as exc:  # a shape Python allows nowhere, refused before any text changed
            raise InvalidEditError(str(exc)) from None
        finally:
            if self._engine is not None and self._engine.needs_resync:
                self._engine.needs_resync = False
                self._reread()
        problem = self._compiler_problem()
        if problem is not None and before is not None:
            self._restore(*before)
            raise InvalidEditError(f"Python would not run the function after this edit: {problem}")
        return result

    return run


class FunctionDocument:
    """One function (an event's ``customFunc`` or a service method) as cards over its module's text.

    The text is the truth: edits splice the lines they change and keep every other byte. When the
    text stops parsing, the last good cards stay visible, ``error`` says why, and form edits are
    refused until ``update_source`` receives code that parses again."""

    def __init__(self, function: str, class_name: str | None, occurrence: int = 0) -> None:
        self._function = function
        self._class_name = class_name
        # Which definition of that name, counting from 0 (an @overload stub, a property setter,
        # a redefinition are all defs of one name); a line picks it on the first parse.
        self._occurrence = occurrence
        self._line: int | None = None
        self._raw = ""
        self._added_newline = ""
        self._engine: Engine | None = None
        self._error: CodeError | None = None
        self._counter = make_counter()
        self._views = CardViews()
        self._cache: tuple[int, tuple[Card, ...]] | None = None
        self._by_id: dict[str, Card] | None = None
        self._function_missing = False
        # Cards the form appended after the last line of a file that lacks a final newline.
        self._appended_last: set[str] = set()

    # ----- construction --------------------------------------------------------------------------

    @classmethod
    def from_source(cls, source: str, function: str = "customFunc", class_name: str | None = None,
                    line: int | None = None) -> "FunctionDocument":
        """Cards of ``function`` (a method when ``class_name`` is given; dotted for nested classes):
        its first definition, or the one whose lines (decorators included) hold ``line``.
        Source that does not parse gives an invalid document without cards; a function that is
        not defined raises FunctionNotFoundError."""
        doc = cls(function, class_name)
        doc._line = line
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
        seen: dict[tuple[str | None, str], int] = {}
        for owner, funcdef, indent, tree in iter_functions(parsed):
            key = (owner, funcdef.name.value)
            seen[key] = seen.get(key, -1) + 1
            doc = cls(funcdef.name.value, owner, seen[key])
            doc._raw, doc._added_newline = source, _added_newline(source, parsed.text)
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
        text = text[:len(text) - len(self._added_newline)] if self._added_newline else text
        return BOM + text if self._raw.startswith(BOM) else text

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
        """The function's top-level cards (the last good ones while the source is invalid). A card a form
        edit left as it was (its statement, its lines, its nested cards) is as a rule the very object it was
        before, so a view can skip it; a card that changed is always a new object."""
        engine = self._engine
        if engine is None:
            return ()
        if self._cache is None or self._cache[0] != engine.version:
            self._cache = (engine.version, self._views.cards(engine.root, engine.text, engine.version))
            self._by_id = None
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
            if self._by_id is None:
                self._by_id = {card.id: card for card in self.walk()}
            if card_id in self._by_id:
                return self._by_id[card_id]
        return self._views.card(slot, engine.text)

    def reachable_index(self, parent: str | None, index: int | None) -> int:
        """Where a new statement asked for at ``index`` of ``parent`` (None: the end of the function
        body) goes so that it runs: at ``index``, or before the body's first return, raise, break or
        continue when that comes earlier."""
        siblings = self.cards if parent is None else self.card(parent).children
        wanted = len(siblings) if index is None else min(index, len(siblings))
        return next((i for i, card in enumerate(siblings[:wanted]) if card.kind in ENDS_BODY), wanted)

    def statement_text(self, card_id: str) -> str:
        """The exact source text of a card's line unit (leading comment lines included)."""
        slot = self._slot(card_id)
        return self._require_valid().text[slot.start:slot.end]

    # ----- code -> cards -------------------------------------------------------------------------

    def update_source(self, text: str) -> bool:
        """Take new module text. Returns whether it parses; if not, the cards stay as they were."""
        self._raw = text
        self._function_missing = False
        self._appended_last.clear()
        parsed, error = parse(text)
        if parsed is None:
            self._error = error
            return False
        found = find_function(parsed, self._function, self._class_name, self._occurrence, self._line)
        if found is None:
            where = f" in class {self._class_name}" if self._class_name else ""
            if self._line is not None:
                where += f" at line {self._line}"
            self._error = CodeError(f"function {self._function!r} is not defined{where}", None, None)
            self._function_missing = True
            return False
        funcdef, indent, tree, self._occurrence = found
        self._line = None
        padded = parsed.text
        root = build_root(parsed, funcdef, indent, tree, _allocator(self._counter))
        old = self._engine
        if old is not None:
            carry_ids(old.root, old.text, root, padded)
        self._engine = Engine(parsed.module, padded, root, indent, parsed.renderer, self._counter)
        if old is not None:
            self._engine.placeholders = {i for i in old.placeholders
                                         if (slot := self._engine.find(i)) is not None and is_bare_pass(slot)}
        self._added_newline = _added_newline(text, padded)
        self._error = None
        self._cache = None
        return True

    # ----- form -> code --------------------------------------------------------------------------

    @_edit
    def set_field(self, card_id: str, name: str, value: Any) -> Card:
        """Set one field (``args.<key>`` sets a single argument; None removes optional values)."""
        slot = self._slot(card_id)
        engine = self._require_valid()
        kind = slot.kind
        assert kind is not None and slot.parent is not None  # the function itself is not a card
        if kind is CardKind.CODE:
            check_field_name(kind, name)
            engine.set_code(slot, value)
            return self.card(card_id)
        if _unchanged(slot.fields, *check_field_name(kind, name), value):
            return self.card(card_id)
        new = apply(kind, slot.node, name, value, engine.exprs, "".join(slot.parent.body_indent or ()))
        if new is slot.node:
            return self.card(card_id)
        if slot.kind is CardKind.CLAUSE:
            engine.set_clause(slot, new)
        elif slot.kind in NESTING:
            engine.set_header(slot, new)
        else:
            check_parses(engine.renderer(cst.SimpleStatementLine(body=[without_semicolon(new)])), name)
            engine.replace_small(slot, new, {})
        return self.card(card_id)

    @_edit
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
        engine = self._require_valid()
        new_id = _structure.insert_card(engine, kind, fields, container, index)
        if self._added_newline and self._slot(new_id).end == len(engine.text):
            self._appended_last.add(new_id)
        return self.card(new_id)

    @_edit
    def move_card(self, card_id: str, parent: str | None = None, index: int | None = None) -> Card:
        """Move a card (with its comments and children) so it ends up at ``index`` in ``parent``."""
        slot = self._slot(card_id)
        _structure.move(self._require_valid(), slot, self._container(parent), index)
        return self.card(card_id)

    @_edit
    def delete_card(self, card_id: str) -> None:
        """Delete a card with its leading comments; an emptied body gets ``pass``.

        In a file without a final newline, deleting its last line keeps the line before intact
        (so the file now ends with a newline), unless that line was itself appended by the form."""
        slot = self._slot(card_id)
        engine = self._require_valid()
        line = slot.line
        whole_last_line = (not slot.in_suite and line is not None and slot.end == len(engine.text)
                           and (line is slot.node or len(getattr(line, "body", ())) == 1))
        _structure.delete(engine, slot)
        if whole_last_line and card_id not in self._appended_last:
            self._added_newline = ""

    def validate(self, catalog: Mapping[str, FunctionSignature] | list[FunctionSignature]) -> list[Issue]:
        """Issues of every card against the callee signatures in ``catalog``."""
        return [issue for card in self.walk() for issue in validate_card(card, catalog)]

    # ----- helpers -------------------------------------------------------------------------------

    def _reread(self) -> None:
        """Cards from the engine's text afresh, keeping ids and what the form knows about the text."""
        appended, missing_newline = set(self._appended_last), self._added_newline
        assert self._engine is not None
        text = self._engine.text
        self.update_source(BOM * self._raw.startswith(BOM) + (text[:len(text) - len(missing_newline)]
                                                              if missing_newline else text))
        self._appended_last, self._added_newline = appended, missing_newline

    def _restore(self, text: str, missing_newline: str, appended: set[str], ids: list[str] | None,
                 placeholders: set[str]) -> None:
        """Back to the text and the card ids from before an edit (without ``ids``, the ids of the
        cards the edit did not touch are found again by their text)."""
        assert self._engine is not None
        self._engine.text, self._added_newline, self._appended_last = text, missing_newline, appended
        self._reread()
        engine = self._require_valid()
        for slot, card_id in zip(engine.root.walk(), ids or ()):
            slot.id = card_id
        engine.version += 1
        engine.placeholders = placeholders
        self._cache = None

    def _compiler_problem(self) -> str | None:
        """What the compiler says about the function's text, when it holds a statement whose place
        only the compiler checks."""
        engine = self._engine
        if engine is None:
            return None
        root = engine.root
        if not has_scope_words(engine.text, root.start, root.end):
            return None
        return compiler_problem(engine.text[root.start:root.end], engine.root_indent)

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


def _added_newline(source: str, parsed_text: str) -> str:
    """The newline parsing added at the end of a source that had none."""
    return parsed_text[len(source) - source.startswith(BOM):]


def _unchanged(fields: Mapping[str, Any], base: str, key: str | None, value: Any) -> bool:
    """Whether ``value`` is what the field already shows: writing it back must not touch the text."""
    current = fields.get(base)
    if key is not None:
        current = current.get(key) if isinstance(current, Mapping) else None
    if isinstance(value, str) and isinstance(current, str):
        return value == current or value.strip() == current
    if isinstance(value, Mapping) and isinstance(current, Mapping):
        return dict(value) == dict(current)
    return value is None and current is None and base in fields


def _allocator(counter) -> Any:
    return lambda: f"c{counter()}"
