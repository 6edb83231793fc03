"""Q filter condition tree: operators, nodes, builders and the syntax error type."""
from __future__ import annotations

import dataclasses
from typing import Literal, NamedTuple, TypeAlias, Union

from ..errors import UserError

Value: TypeAlias = Union[None, bool, int, float, str, tuple["Value", ...]]
Span: TypeAlias = tuple[int, int]
ValueKind: TypeAlias = Literal["scalar", "list", "pair", "flag", "none"]


class OperatorInfo(NamedTuple):
    op: str
    label: str
    kind: ValueKind


OPERATORS: tuple[OperatorInfo, ...] = (
    OperatorInfo("=", "equals", "scalar"),
    OperatorInfo("!=", "does not equal", "scalar"),
    OperatorInfo(">", "greater than", "scalar"),
    OperatorInfo(">=", "greater than or equal to", "scalar"),
    OperatorInfo("<", "less than", "scalar"),
    OperatorInfo("<=", "less than or equal to", "scalar"),
    OperatorInfo("in", "is one of", "list"),
    OperatorInfo("nin", "is none of", "list"),
    OperatorInfo("like", "contains", "scalar"),
    OperatorInfo("nlike", "does not contain", "scalar"),
    OperatorInfo("startswith", "starts with", "scalar"),
    OperatorInfo("endswith", "ends with", "scalar"),
    OperatorInfo("likeany", "contains any of", "list"),
    OperatorInfo("nlikeany", "contains none of", "list"),
    OperatorInfo("isnull", "is empty (1) / is not empty (0)", "flag"),
    OperatorInfo("range", "between (inclusive)", "pair"),
    OperatorInfo("belong", "belongs to", "list"),
    OperatorInfo("nbelong", "does not belong to", "list"),
    OperatorInfo("year", "year is", "scalar"),
    OperatorInfo("month", "month is", "scalar"),
    OperatorInfo("week", "ISO week is", "scalar"),
    OperatorInfo("day", "day of month is", "scalar"),
    OperatorInfo("province", "province is", "scalar"),
    OperatorInfo("city", "city is", "scalar"),
    OperatorInfo("district", "district is", "scalar"),
)

OPERATOR_KINDS: dict[str, ValueKind] = {info.op: info.kind for info in OPERATORS}

ALIASES: dict[str, str] = {
    "eq": "=",
    "==": "=",
    "exact": "=",
    "ne": "!=",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
}

CONNECTORS = ("AND", "OR")


def canonical_op(op: str) -> str | None:
    """The canonical spelling of an operator or alias, or None when it is unknown."""
    if op in OPERATOR_KINDS:
        return op
    return ALIASES.get(op)


def allowed_operators_text() -> str:
    aliases = ", ".join(f"{alias} ({op})" for alias, op in ALIASES.items())
    return f"{', '.join(OPERATOR_KINDS)}; aliases: {aliases}"


def field_path_ok(name: str) -> bool:
    """A field is an identifier; `__` separates the steps to a related record's field."""
    return name.isidentifier() and all(name.split("__"))


def _freeze(value):
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    return value


@dataclasses.dataclass(frozen=True)
class Condition:
    """One test `field op value`. Aliased operators are stored in canonical spelling, lists as tuples."""

    field: str
    op: str
    value: Value = None
    span: Span = dataclasses.field(default=(0, 0), compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "op", canonical_op(self.op) or self.op)
        object.__setattr__(self, "value", _freeze(self.value))


@dataclasses.dataclass(frozen=True)
class Group:
    """Children joined by AND or OR. An empty group matches every row; with fewer than two
    children the connector is meaningless and is stored as AND."""

    connector: Literal["AND", "OR"] = "AND"
    children: tuple["Node", ...] = ()
    negated: bool = False
    span: Span = dataclasses.field(default=(0, 0), compare=False, repr=False)

    def __post_init__(self):
        if self.connector not in CONNECTORS:
            raise ValueError(f"connector must be 'AND' or 'OR', not {self.connector!r}")
        children = tuple(self.children)
        object.__setattr__(self, "children", children)
        if len(children) < 2:
            object.__setattr__(self, "connector", "AND")


Node: TypeAlias = Union[Condition, Group]


def _as_node(item) -> Node:
    if isinstance(item, (Condition, Group)):
        return item
    if isinstance(item, tuple) and len(item) == 3:
        return Condition(*item)
    raise TypeError(f"expected a Condition, a Group or a (field, op, value) tuple, not {item!r}")


def _combine(connector: Literal["AND", "OR"], items) -> Node:
    nodes = tuple(_as_node(item) for item in items)
    if len(nodes) == 1:
        return nodes[0]
    return Group(connector, nodes)


def Q_and(*conds) -> Node:
    """All of `conds` (Conditions, Groups or (field, op, value) tuples); one is returned as is,
    none gives the empty group that matches everything."""
    return _combine("AND", conds)


def Q_or(*conds) -> Node:
    """Any of `conds`; one is returned as is, none gives the empty group."""
    return _combine("OR", conds)


def Q_not(node, span: Span | None = None) -> Node:
    """The negation of `node`; negating twice gives `node` back."""
    node = _as_node(node)
    span = span if span is not None else node.span
    if isinstance(node, Group):
        if node.negated and len(node.children) == 1:
            return node.children[0]
        return dataclasses.replace(node, negated=not node.negated, span=span)
    return Group("AND", (node,), negated=True, span=span)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based character offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class QSyntaxError(UserError):
    """A filter text that cannot be parsed. `offset` is 0-based; `line` and `col` are 1-based."""

    def __init__(self, message: str, offset: int, text: str = ""):
        self.message = message
        self.offset = offset
        self.line, self.col = line_col(text, offset)
        super().__init__(message, offset)

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.col})"
