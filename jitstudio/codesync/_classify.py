"""Recognising what a statement is: its card kind and its fields, read from libcst nodes."""
from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from ._model import LOG_LEVELS, MODEL_OPERATIONS, CardKind

Render = Callable[[cst.CSTNode], str]


def NO_RENDER(node: cst.CSTNode) -> str:
    """A render that skips the work: classifying with it decides the kind only."""
    return ""

MESSAGE_ARGS = ("title", "content", "receivers")
PUBLISH_ARGS = ("sender", "args", "kwargs")


def is_for_each(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.For) and node.orelse is None and node.asynchronous is None


def is_block(node: cst.CSTNode) -> bool:
    """Compound statements with one body shown as nested cards (``for``, ``while``, ``with``)."""
    return is_for_each(node) or (isinstance(node, cst.While) and node.orelse is None) or isinstance(node, cst.With)


def is_container(node: cst.CSTNode) -> bool:
    """Compound statements whose bodies are shown as nested cards."""
    return isinstance(node, (cst.If, cst.Try)) or is_block(node)


def _aug_operator_nodes() -> dict[str, cst.BaseAugOp]:
    from ._model import AUG_OPERATORS

    nodes = {}
    for op in AUG_OPERATORS:
        statement = cst.parse_statement(f"x {op} 1")
        assert isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.AugAssign)
        nodes[op] = statement.body[0].operator
    return nodes


# Each augmented assignment operator's text and node, read once.
AUG_OPERATOR_NODES = _aug_operator_nodes()
_AUG_TOKENS = {type(node): op for op, node in AUG_OPERATOR_NODES.items()}


def aug_operator(operator: cst.BaseAugOp) -> str:
    """The text of an augmented assignment's operator: ``+=``, ``-=``…"""
    return _AUG_TOKENS[type(operator)]


def is_docstring(node: cst.BaseSmallStatement) -> bool:
    return isinstance(node, cst.Expr) and isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString))


def dotted_name(node: cst.BaseExpression) -> str | None:
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def string_literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString) and not set(node.prefix.lower()) & {"b", "f"}:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def element_reference(node: cst.BaseExpression) -> str | None:
    """The fullName of ``app.getElement("x.Y")`` or ``app.x.Y``, else None."""
    if isinstance(node, cst.Call):
        if dotted_name(node.func) != "app.getElement" or len(node.args) != 1:
            return None
        arg = node.args[0]
        if arg.keyword is not None or arg.star:
            return None
        name = string_literal(arg.value)
        return name if name and "." in name else None
    name = dotted_name(node)
    if name and name.startswith("app.") and name.count(".") >= 2:
        return name[len("app."):]
    return None


def call_args(call: cst.Call, render: Render) -> dict[str, str] | None:
    """Arguments keyed by keyword name, by position ("0", "1", ...), or "*" / "**"; None if not representable."""
    args: dict[str, str] = {}
    position = 0
    for arg in call.args:
        if arg.keyword is not None:
            key = arg.keyword.value
        elif arg.star:
            key = arg.star
        else:
            key = str(position)
            position += 1
        if key in args:
            return None
        args[key] = render(arg.value)
    return args


def _named_args(call: cst.Call, names: tuple[str, ...], render: Render) -> dict[str, str | None] | None:
    """Map positional-or-keyword arguments onto ``names``; None if any argument does not fit."""
    values: dict[str, str | None] = dict.fromkeys(names)
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None:
            if index >= len(names):
                return None
            key = names[index]
        else:
            key = arg.keyword.value
            if key not in values or values[key] is not None:
                return None
        values[key] = render(arg.value)
    return values


def classify_call(call: cst.Call, render: Render) -> tuple[CardKind, dict[str, Any]] | None:
    if not isinstance(call.func, cst.Attribute):
        return None
    method = call.func.attr.value
    receiver = call.func.value
    receiver_name = dotted_name(receiver)
    if receiver_name == "log" and method in LOG_LEVELS:
        args = call_args(call, render)
        return None if args is None else (CardKind.LOG, {"level": method, "args": args})
    if receiver_name == "app.message" and method == "send":
        values = _named_args(call, MESSAGE_ARGS, render)
        return None if values is None else (CardKind.MESSAGE, values)
    if receiver_name in ("app.event", "JitEvent") and method == "publish":
        values = _named_args(call, PUBLISH_ARGS, render)
        return None if values is None else (CardKind.PUBLISH, {"via": receiver_name, **values})
    element = element_reference(receiver)
    if element is None:
        return None
    args = call_args(call, render)
    if args is None:
        return None
    if element.startswith("models.") and method in MODEL_OPERATIONS:
        return CardKind.MODEL_OP, {"model": element, "operation": method, "args": args}
    if element.startswith("services."):
        return CardKind.SERVICE_CALL, {"service": element, "function": method, "args": args}
    return None


_TARGETED = (CardKind.SERVICE_CALL, CardKind.MODEL_OP, CardKind.MESSAGE, CardKind.PUBLISH)


def classify_small(node: cst.BaseSmallStatement, render: Render) -> tuple[CardKind, dict[str, Any]]:
    if isinstance(node, cst.Assign) and len(node.targets) == 1:
        target = render(node.targets[0].target)
        if isinstance(node.value, cst.Call):
            found = classify_call(node.value, render)
            if found and found[0] in _TARGETED:
                return found[0], {"target": target, **found[1]}
        return CardKind.ASSIGN, {"target": target, "value": render(node.value)}
    if isinstance(node, cst.AnnAssign) and node.value is not None:  # the annotation stays as written
        return CardKind.ASSIGN, {"target": render(node.target), "value": render(node.value)}
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
        found = classify_call(node.value, render)
        if found:
            kind, fields = found
            return kind, ({"target": None, **fields} if kind in _TARGETED else fields)
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
        args = call_args(node.value, render)
        if args is not None:
            return CardKind.CALL, {"callee": render(node.value.func), "args": args}
    if isinstance(node, cst.AugAssign):
        return CardKind.AUG_ASSIGN, {"target": render(node.target), "operator": aug_operator(node.operator),
                                     "value": render(node.value)}
    if is_docstring(node):
        text = _docstring_text(node.value)
        if text is not None:
            return CardKind.DOCSTRING, {"text": text}
    if isinstance(node, cst.Pass):
        return CardKind.PASS, {}
    if isinstance(node, cst.Break):
        return CardKind.BREAK, {}
    if isinstance(node, cst.Continue):
        return CardKind.CONTINUE, {}
    if isinstance(node, cst.Assert):
        return CardKind.ASSERT, {"condition": render(node.test),
                                 "message": None if node.msg is None else render(node.msg)}
    if isinstance(node, cst.Return):
        return CardKind.RETURN, {"value": None if node.value is None else render(node.value)}
    if isinstance(node, cst.Raise):
        return CardKind.RAISE, {
            "exception": None if node.exc is None else render(node.exc),
            "cause": None if node.cause is None else render(node.cause.item),
        }
    if render is NO_RENDER:
        return CardKind.CODE, {"code": ""}
    return CardKind.CODE, {"code": render(node.with_changes(semicolon=cst.MaybeSentinel.DEFAULT))}


def classify_compound(node: cst.BaseCompoundStatement, render: Render) -> tuple[CardKind, dict[str, Any]]:
    if isinstance(node, cst.If):
        return CardKind.IF, {"condition": render(node.test)}
    if is_for_each(node):
        return CardKind.FOR_EACH, {"target": render(node.target), "iterable": render(node.iter)}
    if isinstance(node, cst.While) and node.orelse is None:
        return CardKind.WHILE, {"condition": render(node.test)}
    if isinstance(node, cst.With):
        return CardKind.WITH, {"items": with_items(node, render)}
    if isinstance(node, cst.Try):
        return CardKind.TRY, {}
    if render is NO_RENDER:
        return CardKind.CODE, {"code": ""}
    return CardKind.CODE, {"code": statement_code(node, render)}


def statement_code(node: cst.CSTNode, render: Render) -> str:
    """The text of a compound statement without its leading comment lines and trailing newline."""
    if isinstance(node, cst.BaseCompoundStatement):
        node = node.with_changes(leading_lines=())
    text = render(node)
    return text.rstrip("\r\n")


def with_items(node: cst.With, render: Render) -> str:
    """What follows ``with``: the context managers and their ``as`` names, as written."""
    if render is NO_RENDER:
        return ""
    header = render(node.with_changes(body=cst.SimpleStatementSuite(body=[cst.Pass()]), leading_lines=(),
                                      asynchronous=None))
    start = len("with") + len(render(node.whitespace_after_with)) if isinstance(
        node.whitespace_after_with, cst.SimpleWhitespace) else len("with ")
    return header[start:header.rindex(":")].rstrip()


def _docstring_text(node: cst.BaseExpression) -> str | None:
    """A docstring's text with the indentation of its continuation lines taken off."""
    value = node.evaluated_value
    if not isinstance(value, str):
        return None
    if "\n" not in value:
        return value
    first, *rest = value.split("\n")
    margin = min((len(line) - len(line.lstrip()) for line in rest if line.strip()), default=0)
    lines = [first, *(line[margin:] if line.strip() else "" for line in rest)]
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def clause_fields(node: cst.CSTNode, render: Render) -> dict[str, Any]:
    """Fields of one clause of a try: the try body itself, an except, the else or the finally."""
    if isinstance(node, cst.ExceptHandler):
        return {"keyword": "except", "exception": None if node.type is None else render(node.type),
                "name": None if node.name is None else render(node.name.name)}
    keyword = "try" if isinstance(node, cst.Try) else "else" if isinstance(node, cst.Else) else "finally"
    return {"keyword": keyword, "exception": None, "name": None}


def branch_fields(node: cst.If | cst.Else, first: bool, render: Render) -> dict[str, Any]:
    if isinstance(node, cst.Else):
        return {"keyword": "else", "condition": None}
    return {"keyword": "if" if first else "elif", "condition": render(node.test)}


def fields_of(kind: CardKind, node: cst.CSTNode, compound: bool, render: Render) -> dict[str, Any]:
    """The fields of a (non-branch) card, rendered from its node."""
    if compound:
        return classify_compound(node, render)[1]
    return classify_small(node, render)[1]
