"""New statements for inserted cards, written from validated field values."""
from __future__ import annotations

from typing import Any, Mapping

import libcst as cst

from ._errors import FieldValueError
from ._fields import Expressions, full_name, identifier
from ._flow_fields import aug_operator_node, callee_node, docstring_node
from ._model import FIELD_NAMES, LOG_LEVELS, MODEL_OPERATIONS, CardKind

_REQUIRED: dict[CardKind, tuple[str, ...]] = {
    CardKind.ASSIGN: ("target", "value"),
    CardKind.SERVICE_CALL: ("service", "function"),
    CardKind.MODEL_OP: ("model", "operation"),
    CardKind.MESSAGE: ("title", "content"),
    CardKind.PUBLISH: ("sender",),
    CardKind.IF: ("condition",),
    CardKind.FOR_EACH: ("target", "iterable"),
    CardKind.LOG: ("level",),
    CardKind.CALL: ("callee",),
    CardKind.AUG_ASSIGN: ("target", "value"),
    CardKind.WHILE: ("condition",),
    CardKind.WITH: ("items",),
    CardKind.ASSERT: ("condition",),
    CardKind.DOCSTRING: ("text",),
    CardKind.CODE: ("code",),
}


def _args_text(args: Any, exprs: Expressions) -> str:
    if args is None:
        return ""
    if not isinstance(args, Mapping):
        raise FieldValueError("args: expected a mapping of argument name to expression")
    positional = sorted((int(k), v) for k, v in args.items() if isinstance(k, str) and k.isdigit())
    if [k for k, _ in positional] != list(range(len(positional))):
        raise FieldValueError("args: positional arguments must be keyed '0', '1', ... without gaps")
    parts = [exprs.render(exprs.parse(f"args.{k}", v)) for k, v in positional]
    if "*" in args:
        parts.append("*" + exprs.render(exprs.parse("args.*", args["*"])))
    for key, value in args.items():
        if key.isdigit() or key in ("*", "**"):
            continue
        identifier(f"args.{key}", key)
        parts.append(f"{key}=" + exprs.render(exprs.parse(f"args.{key}", value)))
    if "**" in args:
        parts.append("**" + exprs.render(exprs.parse("args.**", args["**"])))
    return ", ".join(parts)


def _keywords(fields: Mapping[str, Any], names: tuple[str, ...], exprs: Expressions) -> str:
    return ", ".join(f"{n}=" + exprs.render(exprs.parse(n, fields[n])) for n in names if fields.get(n) is not None)


def statement_text(kind: CardKind, fields: Mapping[str, Any], exprs: Expressions, indent: str, newline: str,
                   at: str = "") -> str:
    """Source of a new statement of ``kind`` (at zero indentation, ending in ``newline``); ``at`` is
    the indentation it will stand at, for text that spans lines."""
    if not isinstance(fields, Mapping):
        raise FieldValueError("fields must be a mapping")
    unknown = set(fields) - set(FIELD_NAMES[kind])
    if unknown:
        raise FieldValueError(f"{kind.value} cards have no field(s) {', '.join(sorted(unknown))}")
    missing = [n for n in _REQUIRED.get(kind, ()) if fields.get(n) is None]
    if missing:
        raise FieldValueError(f"a new {kind.value} card needs {', '.join(missing)}")

    def expr(name: str, *, tuple_parens: bool = True) -> str:
        return exprs.render(exprs.parse(name, fields[name], parenthesize_tuple=tuple_parens))

    target = f"{expr('target', tuple_parens=False)} = " if fields.get("target") is not None else ""
    if kind is CardKind.ASSIGN:
        body = f"{target}{expr('value', tuple_parens=False)}"
    elif kind is CardKind.SERVICE_CALL:
        service = full_name("service", fields["service"], "services")
        body = f'{target}app.getElement("{service}").{identifier("function", fields["function"])}(' \
               f'{_args_text(fields.get("args"), exprs)})'
    elif kind is CardKind.MODEL_OP:
        model = full_name("model", fields["model"], "models")
        operation = identifier("operation", fields["operation"], MODEL_OPERATIONS)
        body = f'{target}app.getElement("{model}").{operation}({_args_text(fields.get("args"), exprs)})'
    elif kind is CardKind.MESSAGE:
        body = f"{target}app.message.send({_keywords(fields, ('title', 'content', 'receivers'), exprs)})"
    elif kind is CardKind.PUBLISH:
        via = fields.get("via") or "app.event"
        if via not in ("app.event", "JitEvent"):
            raise FieldValueError("via: expected 'app.event' or 'JitEvent'")
        body = f"{target}{via}.publish({_keywords(fields, ('sender', 'args', 'kwargs'), exprs)})"
    elif kind is CardKind.LOG:
        level = identifier("level", fields["level"], LOG_LEVELS)
        body = f"log.{level}({_args_text(fields.get('args'), exprs)})"
    elif kind is CardKind.RETURN:
        body = "return" + (f" {expr('value', tuple_parens=False)}" if fields.get("value") is not None else "")
    elif kind is CardKind.RAISE:
        body = "raise"
        if fields.get("exception") is not None:
            body += f" {expr('exception')}"
            if fields.get("cause") is not None:
                body += f" from {expr('cause')}"
        elif fields.get("cause") is not None:
            raise FieldValueError("cause: set the exception first")
    elif kind is CardKind.IF:
        return f"if {expr('condition')}:{newline}{indent}pass{newline}"
    elif kind is CardKind.FOR_EACH:
        return f"for {expr('target', tuple_parens=False)} in {expr('iterable', tuple_parens=False)}:" \
               f"{newline}{indent}pass{newline}"
    elif kind is CardKind.CALL:
        body = f"{exprs.render(callee_node(fields['callee'], exprs))}({_args_text(fields.get('args'), exprs)})"
    elif kind is CardKind.AUG_ASSIGN:
        operator = fields.get("operator") or "+="
        aug_operator_node(operator)  # refuses an operator Python does not have
        body = f"{expr('target', tuple_parens=False)} {operator} {expr('value', tuple_parens=False)}"
    elif kind is CardKind.ASSERT:
        body = f"assert {expr('condition')}" + (f", {expr('message')}" if fields.get("message") is not None else "")
    elif kind in (CardKind.BREAK, CardKind.CONTINUE, CardKind.PASS):
        body = kind.value
    elif kind is CardKind.DOCSTRING:
        if not isinstance(fields["text"], str):
            raise FieldValueError("text: expected text")
        body = exprs.render(docstring_node(fields["text"], None, at, newline))
    elif kind is CardKind.WHILE:
        return f"while {expr('condition')}:{newline}{indent}pass{newline}"
    elif kind is CardKind.WITH:
        items = fields["items"]
        if not isinstance(items, str) or not items.strip():
            raise FieldValueError("items: what the with statement opens is required")
        return f"with {items.strip()}:{newline}{indent}pass{newline}"
    elif kind is CardKind.TRY:
        return f"try:{newline}{indent}pass{newline}except Exception:{newline}{indent}pass{newline}"
    elif kind is CardKind.CODE:
        code = fields["code"]
        if not isinstance(code, str) or not code.strip():
            raise FieldValueError("code: statement text is required")
        return code if code.endswith(("\n", "\r")) else code + newline
    else:
        raise FieldValueError(f"cannot insert a {kind.value} card this way")
    return body + newline


def pass_line() -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine(body=[cst.Pass()])
