"""Writing a field value into a statement node: the smallest node change that expresses it."""
from __future__ import annotations

import ast
import keyword
import re
from typing import Any, Callable, Mapping

import libcst as cst

from ._call_layout import Entry, relayout
from ._flow_fields import apply_flow
from ._syntax import identifier, keyword_gap, statement_call
from ._classify import MESSAGE_ARGS, PUBLISH_ARGS, call_args
from ._errors import FieldValueError
from ._model import FIELD_NAMES, LOG_LEVELS, MODEL_OPERATIONS, READ_ONLY_FIELDS, CardKind

_FULL_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+\Z")
_POSITION = re.compile(r"(0|[1-9]\d*)\Z")


class Expressions:
    """Parses field values into expression nodes, with errors that say which field was wrong."""

    def __init__(self, module: cst.Module, render: Callable[[cst.CSTNode], str]) -> None:
        self.config = module.config_for_parsing
        self.render = render

    def parse(self, field: str, text: Any, *, parenthesize_tuple: bool = True) -> cst.BaseExpression:
        if not isinstance(text, str):
            raise FieldValueError(f"{field}: expected expression text, got {type(text).__name__}")
        stripped = text.strip()
        if not stripped:
            raise FieldValueError(f"{field}: an expression is required")
        expr = self._parse_bare(field, text, stripped)
        if "\n" in stripped or "\r" in stripped:
            expr = expr.visit(_UnindentedBlankLines())
        if self.render(expr) != stripped:
            raise FieldValueError(f"{field}: {text!r} is not a single expression (comments are not kept)")
        try:
            ast.parse("(" + stripped + "\n)", mode="eval")
        except SyntaxError as exc:
            raise FieldValueError(f"{field}: {text!r} is not a valid expression ({exc.msg})") from None
        if parenthesize_tuple and isinstance(expr, cst.Tuple) and not expr.lpar:
            expr = expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return expr


    def _parse_bare(self, field: str, text: str, stripped: str) -> cst.BaseExpression:
        """The expression as written. Some are only valid unparenthesised where a statement allows
        them (``m := f()`` in a condition, ``yield x`` as a value, strings split over lines inside a
        call): those parse inside brackets, which are then taken off again."""
        try:
            return cst.parse_expression(stripped, config=self.config)
        except Exception as exc:  # libcst raises ParserSyntaxError and, for some inputs, other errors
            error = exc
        try:
            wrapped = cst.parse_expression(f"({stripped})", config=self.config)
        except Exception:
            raise FieldValueError(f"{field}: {text!r} is not a valid expression ({_first_line(error)})") from None
        return wrapped.with_changes(lpar=wrapped.lpar[1:], rpar=wrapped.rpar[:-1])


class _UnindentedBlankLines(cst.CSTTransformer):
    """Blank lines inside a value stay empty when the value is written at an indentation."""

    def leave_EmptyLine(self, original: cst.EmptyLine, updated: cst.EmptyLine) -> cst.EmptyLine:
        if updated.indent and updated.comment is None and not updated.whitespace.value:
            return updated.with_changes(indent=False)
        return updated


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def check_field_name(kind: CardKind, name: str) -> tuple[str, str | None]:
    """Split ``args.key`` style names; reject unknown and read-only fields."""
    base, _, key = name.partition(".")
    if base not in FIELD_NAMES[kind] or (key and base != "args"):
        raise FieldValueError(f"{kind.value} cards have no field {name!r} (fields: {', '.join(FIELD_NAMES[kind])})")
    if (kind, base) in READ_ONLY_FIELDS:
        raise FieldValueError(f"field {name!r} of a {kind.value} card is read-only")
    if key and kind is CardKind.PUBLISH:
        raise FieldValueError("publish args is one expression; set it as a whole")
    return base, key or None


def full_name(field: str, value: Any, family: str) -> str:
    if not isinstance(value, str) or not _FULL_NAME.match(value) or not value.startswith(family + "."):
        raise FieldValueError(f"{field}: expected a {family} fullName like '{family}.Name', got {value!r}")
    return value


# ----- calls -------------------------------------------------------------------------------------

def with_call(node: cst.Assign | cst.Expr, call: cst.Call) -> cst.CSTNode:
    return node.with_changes(value=call)


def set_target(node: cst.Assign | cst.Expr, value: Any, exprs: Expressions) -> cst.CSTNode:
    if value is None:
        if isinstance(node, cst.Expr):
            return node
        return cst.Expr(value=node.value, semicolon=node.semicolon)
    target = exprs.parse("target", value, parenthesize_tuple=False)
    if isinstance(node, cst.Assign):
        return node.with_changes(targets=[node.targets[0].with_changes(target=target)])
    return cst.Assign(targets=[cst.AssignTarget(target=target)], value=node.value, semicolon=node.semicolon)


def set_receiver(call: cst.Call, name: str) -> cst.Call:
    func = call.func
    assert isinstance(func, cst.Attribute)
    receiver = func.value
    if isinstance(receiver, cst.Call):
        literal = receiver.args[0].value
        assert isinstance(literal, cst.SimpleString)
        prefix = literal.prefix
        quote = literal.quote
        new_literal = literal.with_changes(value=f"{prefix}{quote}{name}{quote}")
        receiver = receiver.with_changes(args=[receiver.args[0].with_changes(value=new_literal)])
    else:
        receiver = cst.parse_expression("app." + name)
    return call.with_changes(func=func.with_changes(value=receiver))


def set_method(call: cst.Call, name: str) -> cst.Call:
    func = call.func
    assert isinstance(func, cst.Attribute)
    return call.with_changes(func=func.with_changes(attr=func.attr.with_changes(value=name)))


def _arg_keys(call: cst.Call) -> list[str]:
    keys, position = [], 0
    for arg in call.args:
        if arg.keyword is not None:
            keys.append(arg.keyword.value)
        elif arg.star:
            keys.append(arg.star)
        else:
            keys.append(str(position))
            position += 1
    return keys


def _new_arg(key: str, value: cst.BaseExpression) -> cst.Arg:
    if key in ("*", "**"):
        return cst.Arg(value=value, star="*" if key == "*" else "**")
    if _POSITION.match(key):
        return cst.Arg(value=value)
    return cst.Arg(value=value, keyword=cst.Name(key), equal=cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))


def set_args(call: cst.Call, new: Any, exprs: Expressions, render: Callable[[cst.CSTNode], str]) -> cst.Call:
    if not isinstance(new, Mapping):
        raise FieldValueError(f"args: expected a mapping of argument name to expression, got {type(new).__name__}")
    positions = sorted(int(k) for k in new if isinstance(k, str) and _POSITION.match(k))
    if positions != list(range(len(positions))):
        raise FieldValueError("args: positional arguments must be keyed '0', '1', ... without gaps")
    for key in new:
        if not (isinstance(key, str) and (_POSITION.match(key) or key in ("*", "**") or
                                          (key.isidentifier() and not keyword.iskeyword(key)))):
            raise FieldValueError(f"args: {key!r} is not an argument name")
    parsed = {key: exprs.parse(f"args.{key}", value) for key, value in new.items()}
    current = call_args(call, render) or {}
    kept: list[Entry] = []
    for origin, (key, arg) in enumerate(zip(_arg_keys(call), call.args)):
        if key not in parsed:
            continue
        kept.append((origin, arg if current.get(key) == new[key].strip() else arg.with_changes(value=parsed[key])))
    existing = set(_arg_keys(call))
    for key in [k for k in new if k not in existing]:
        arg = _new_arg(key, parsed[key])
        if _POSITION.match(key) or key == "*":
            at = max((i + 1 for i, (_, a) in enumerate(kept) if a.keyword is None and a.star != "**"), default=0)
        else:
            at = next((i for i, (_, a) in enumerate(kept) if a.star == "**"), len(kept)) if key != "**" else len(kept)
        kept.insert(at, (None, arg))
    return relayout(call, kept)


def set_one_arg(call: cst.Call, key: str, value: Any, exprs: Expressions, render: Callable[[cst.CSTNode], str]) -> cst.Call:
    args = dict(call_args(call, render) or {})
    if value is None:
        args.pop(key, None)
    else:
        args[key] = value
    return set_args(call, args, exprs, render)


def set_named_arg(call: cst.Call, names: tuple[str, ...], key: str, value: Any, exprs: Expressions) -> cst.Call:
    """Set a positional-or-keyword argument of ``app.message.send`` / ``publish``; None removes it."""
    args: list[Entry] = list(enumerate(call.args))
    index = next((i for i, (_, a) in enumerate(args) if (a.keyword and a.keyword.value == key) or
                  (a.keyword is None and i == names.index(key))), None)
    if value is None:
        if index is None:
            return call
        del args[index]
        args = [(o, a.with_changes(keyword=cst.Name(names[i + (i >= index)]), equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))))
                if a.keyword is None and i >= index else (o, a) for i, (o, a) in enumerate(args)]
        return relayout(call, args)
    expr = exprs.parse(key, value)
    if index is None:
        args.append((None, _new_arg(key, expr)))
    else:
        args[index] = (args[index][0], args[index][1].with_changes(value=expr))
    return relayout(call, args)


# ----- every kind --------------------------------------------------------------------------------

def apply(kind: CardKind, node: cst.CSTNode, name: str, value: Any, exprs: Expressions, indent: str = "") -> cst.CSTNode:
    """The card's node with field ``name`` set to ``value`` (the ``code`` field is handled by the
    document); ``indent`` is where the statement stands, for text that spans lines."""
    base, key = check_field_name(kind, name)
    render = exprs.render
    if kind is CardKind.CALL and base == "args":
        call = statement_call(node)
        call = set_one_arg(call, key, value, exprs, render) if key is not None else set_args(call, value, exprs, render)
        return with_call(node, call)
    if kind is CardKind.ASSIGN:
        assert isinstance(node, (cst.Assign, cst.AnnAssign))
        if base == "target":
            if isinstance(node, cst.AnnAssign):
                return node.with_changes(target=exprs.parse("target", _required(base, value), parenthesize_tuple=False))
            return set_target(node, _required(base, value), exprs)
        return node.with_changes(value=exprs.parse("value", _required(base, value), parenthesize_tuple=False))
    if kind in (CardKind.SERVICE_CALL, CardKind.MODEL_OP, CardKind.MESSAGE, CardKind.PUBLISH, CardKind.LOG):
        assert isinstance(node, (cst.Assign, cst.Expr))
        if base == "target":
            return set_target(node, value, exprs)
        call = statement_call(node)
        if base in ("service", "model"):
            call = set_receiver(call, full_name(base, value, "services" if base == "service" else "models"))
        elif base == "function":
            call = set_method(call, identifier(base, value))
        elif base == "operation":
            call = set_method(call, identifier(base, value, MODEL_OPERATIONS))
        elif base == "level":
            call = set_method(call, identifier(base, value, LOG_LEVELS))
        elif kind is CardKind.MESSAGE:
            call = set_named_arg(call, MESSAGE_ARGS, base, value, exprs)
        elif kind is CardKind.PUBLISH:
            if base == "sender" and value is None:
                raise FieldValueError("sender: a publish needs a sender")
            call = set_named_arg(call, PUBLISH_ARGS, base, value, exprs)
        elif key is not None:
            call = set_one_arg(call, key, value, exprs, render)
        else:
            call = set_args(call, value, exprs, render)
        return with_call(node, call)
    if kind in (CardKind.IF, CardKind.BRANCH):
        if not isinstance(node, cst.If):
            raise FieldValueError("an else branch has no condition")
        test = exprs.parse("condition", _required(base, value))
        return node.with_changes(test=test, whitespace_before_test=keyword_gap(node.whitespace_before_test, test))
    if kind is CardKind.FOR_EACH:
        assert isinstance(node, cst.For)
        if base == "target":
            target = exprs.parse("target", _required(base, value), parenthesize_tuple=False)
            return node.with_changes(target=target, whitespace_after_for=keyword_gap(node.whitespace_after_for, target))
        iterable = exprs.parse("iterable", _required(base, value), parenthesize_tuple=False)
        return node.with_changes(iter=iterable, whitespace_after_in=keyword_gap(node.whitespace_after_in, iterable))
    if kind is CardKind.RETURN:
        assert isinstance(node, cst.Return)
        if value is None:
            return node.with_changes(value=None, whitespace_after_return=cst.MaybeSentinel.DEFAULT)
        new_value = exprs.parse("value", value, parenthesize_tuple=False)
        return node.with_changes(value=new_value,
                                 whitespace_after_return=keyword_gap(node.whitespace_after_return, new_value))
    if kind is CardKind.RAISE:
        assert isinstance(node, cst.Raise)
        if base == "exception":
            if value is None:
                return node.with_changes(exc=None, cause=None, whitespace_after_raise=cst.MaybeSentinel.DEFAULT)
            exc = exprs.parse("exception", value)
            return node.with_changes(exc=exc, whitespace_after_raise=keyword_gap(node.whitespace_after_raise, exc))
        if value is None:
            return node.with_changes(cause=None)
        if node.exc is None:
            raise FieldValueError("cause: set the exception first")
        cause = exprs.parse("cause", value)
        if node.cause is None:
            return node.with_changes(cause=cst.From(item=cause))
        return node.with_changes(cause=node.cause.with_changes(
            item=cause, whitespace_after_from=keyword_gap(node.cause.whitespace_after_from, cause)))
    return apply_flow(kind, node, base, value, exprs, indent)


def _required(name: str, value: Any) -> Any:
    if value is None:
        raise FieldValueError(f"{name}: a value is required")
    return value
