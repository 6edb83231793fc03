"""The public, immutable view of a function: cards, their kinds, and the syntax error of invalid code."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Iterator, Mapping


class CardKind(StrEnum):
    ASSIGN = "assign"
    SERVICE_CALL = "service_call"
    MODEL_OP = "model_op"
    MESSAGE = "message"
    PUBLISH = "publish"
    IF = "if"
    BRANCH = "branch"
    FOR_EACH = "for_each"
    RETURN = "return"
    RAISE = "raise"
    LOG = "log"
    CALL = "call"
    AUG_ASSIGN = "aug_assign"
    WHILE = "while"
    WITH = "with"
    TRY = "try"
    CLAUSE = "clause"
    BREAK = "break"
    CONTINUE = "continue"
    PASS = "pass"
    ASSERT = "assert"
    DOCSTRING = "docstring"
    CODE = "code"


MODEL_OPERATIONS = frozenset(
    {
        "create", "get", "query", "updateByPK", "update", "deleteByPK", "delete", "save",
        "updateOrAdd", "createOrUpdateMany", "updateByFilter", "deleteByFilter",
    }
)
LOG_LEVELS = frozenset({"debug", "info", "warning", "error", "critical", "exception"})
AUG_OPERATORS = ("+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", "<<=", ">>=")

# Cards with one body of nested cards; an if's branches and a try's clauses hold theirs.
BLOCK_KINDS = frozenset({"for_each", "while", "with"})
# Where cards can be inserted: the function body (None), a branch, a clause, a block.
CONTAINER_KINDS = frozenset({"branch", "clause", *BLOCK_KINDS})

# Field names of each kind, in display order. Fields not listed for a kind are unknown to it.
FIELD_NAMES: Mapping[CardKind, tuple[str, ...]] = MappingProxyType(
    {
        CardKind.ASSIGN: ("target", "value"),
        CardKind.SERVICE_CALL: ("target", "service", "function", "args"),
        CardKind.MODEL_OP: ("target", "model", "operation", "args"),
        CardKind.MESSAGE: ("target", "title", "content", "receivers"),
        CardKind.PUBLISH: ("target", "via", "sender", "args", "kwargs"),
        CardKind.IF: ("condition",),
        CardKind.BRANCH: ("keyword", "condition"),
        CardKind.FOR_EACH: ("target", "iterable"),
        CardKind.RETURN: ("value",),
        CardKind.RAISE: ("exception", "cause"),
        CardKind.LOG: ("level", "args"),
        CardKind.CALL: ("callee", "args"),
        CardKind.AUG_ASSIGN: ("target", "operator", "value"),
        CardKind.WHILE: ("condition",),
        CardKind.WITH: ("items",),
        CardKind.TRY: (),
        CardKind.CLAUSE: ("keyword", "exception", "name"),
        CardKind.BREAK: (),
        CardKind.CONTINUE: (),
        CardKind.PASS: (),
        CardKind.ASSERT: ("condition", "message"),
        CardKind.DOCSTRING: ("text",),
        CardKind.CODE: ("code",),
    }
)
READ_ONLY_FIELDS = frozenset({(CardKind.PUBLISH, "via"), (CardKind.BRANCH, "keyword"), (CardKind.CLAUSE, "keyword")})
# Statements after which nothing else in the same body runs.
ENDS_BODY = frozenset({CardKind.RETURN, CardKind.RAISE, CardKind.BREAK, CardKind.CONTINUE})


@dataclass(frozen=True, eq=True)
class Card:
    """One statement of the function as the form shows it.

    ``line_span`` is (first, last) 1-based line of the statement itself; ``comments`` are the
    comment lines directly above it, which travel with the card when it is moved or deleted.
    """

    id: str
    kind: CardKind
    line_span: tuple[int, int]
    fields: Mapping[str, Any]
    children: tuple["Card", ...] = ()
    comments: tuple[str, ...] = ()

    def walk(self) -> Iterator["Card"]:
        """This card, then every descendant, depth first in source order."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def branches(self) -> tuple["Card", ...]:
        """The ``branch`` children of an ``if`` card (if/elif/else), empty for other kinds."""
        return self.children if self.kind is CardKind.IF else ()

    @property
    def clauses(self) -> tuple["Card", ...]:
        """The ``clause`` children of a ``try`` card (try, each except, else, finally)."""
        return self.children if self.kind is CardKind.TRY else ()


@dataclass(frozen=True)
class CodeError:
    """Why the source does not parse, as CPython reports it (1-based line, 1-based column)."""

    message: str
    line: int | None
    column: int | None
    end_line: int | None = None
    end_column: int | None = None
    text: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "unknown line"
        if self.column:
            where += f", column {self.column}"
        return f"{self.message} ({where})"
