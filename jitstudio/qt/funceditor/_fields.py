"""Which fields a card shows, in which lines, with which editor: the layout of a card's form."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...codesync import AUG_OPERATORS, LOG_LEVELS, MODEL_OPERATIONS, Card, CardKind, FunctionSignature
from ._catalog import MODEL_OPERATION_ARGS, MODEL_OPERATION_TITLES, EditorCatalog

LOG_LEVEL_ORDER = ("debug", "info", "warning", "error", "critical", "exception")
AUG_TITLES = {"+=": "add", "-=": "subtract", "*=": "multiply by", "/=": "divide by", "//=": "divide by (whole)",
              "%=": "remainder of", "**=": "to the power of", "|=": "combine with", "&=": "keep common with"}


@dataclass(frozen=True)
class FieldSlot:
    """One editor in a card: ``name`` is what `set_field` takes (``args.<key>`` for arguments)."""

    name: str
    caption: str
    editor: str = "expr"  # expr | value (a plain value or an expression) | choice | code
    placeholder: str = ""
    tooltip: str = ""
    required: bool = False
    data_type: str = ""  # the JitAI data type that chooses a value field's literal editor ("" lets the value decide)


# Fields of the kinds `_simple` lays out that take plain values as well as expressions, with their data types.
VALUE_FIELDS: dict[CardKind, dict[str, str]] = {
    CardKind.ASSIGN: {"value": ""},
    CardKind.RETURN: {"value": ""},
    CardKind.MESSAGE: {"title": "Stext", "content": "Ltext", "receivers": "JitList"},
    CardKind.AUG_ASSIGN: {"value": ""},
    CardKind.ASSERT: {"message": "Stext"},
}


def _simple(kind: CardKind) -> list[list[FieldSlot]]:
    if kind is CardKind.ASSIGN:
        return [[FieldSlot("target", "Variable", required=True), FieldSlot("value", "=", required=True)]]
    if kind is CardKind.RETURN:
        return [[FieldSlot("value", "Value", placeholder="nothing")]]
    if kind is CardKind.RAISE:
        return [[FieldSlot("exception", "Error", placeholder='ValueError("…")'),
                 FieldSlot("cause", "from", placeholder="no cause")]]
    if kind is CardKind.FOR_EACH:
        return [[FieldSlot("target", "Each", required=True), FieldSlot("iterable", "in", required=True)]]
    if kind is CardKind.MESSAGE:
        return [[FieldSlot("title", "Title", required=True)], [FieldSlot("content", "Content", required=True)],
                [FieldSlot("receivers", "Receivers", placeholder='["sales"]')],
                [FieldSlot("target", "Result →", placeholder="not kept")]]
    if kind is CardKind.PUBLISH:
        return [[FieldSlot("sender", "Event", required=True, tooltip="The declared event's fullName")],
                [FieldSlot("args", "Args", placeholder="(payload,)")],
                [FieldSlot("kwargs", "Kwargs", placeholder="{}")]]
    if kind is CardKind.AUG_ASSIGN:
        return [[FieldSlot("target", "Change", required=True), FieldSlot("operator", "", "choice"),
                 FieldSlot("value", "", required=True)]]
    if kind is CardKind.WHILE:
        return [[FieldSlot("condition", "While", required=True)]]
    if kind is CardKind.WITH:
        return [[FieldSlot("items", "With", required=True, placeholder="open(path) as fh",
                           tooltip="What the with statement opens, and the names it gives them")]]
    if kind is CardKind.ASSERT:
        return [[FieldSlot("condition", "Check", required=True),
                 FieldSlot("message", "else", placeholder="no message")]]
    if kind is CardKind.DOCSTRING:
        return [[FieldSlot("text", "", "code", tooltip="The description Python keeps as the function's docstring")]]
    if kind is CardKind.CODE:
        return [[FieldSlot("code", "", "code")]]
    return []


def _argument_slots(card: Card, signature: FunctionSignature | None) -> list[list[FieldSlot]]:
    given = dict(card.fields.get("args") or {})
    lines: list[list[FieldSlot]] = []
    used: set[str] = set()
    for position, spec in enumerate(signature.args if signature else ()):
        key = str(position) if str(position) in given and spec.name not in given else spec.name
        used.add(key)
        hint = spec.data_type or "any"
        if spec.default not in (None, ""):
            hint += f" · default {spec.default!r}"
        lines.append([FieldSlot(f"args.{key}", spec.title or spec.name, "value", placeholder=hint,
                                tooltip=f"{spec.name}: {spec.data_type or 'any'}", required=spec.required,
                                data_type=spec.data_type)])
    for key in given:
        if key not in used:
            caption = {"*": "*args", "**": "**kwargs"}.get(key, "Message" if card.kind is CardKind.LOG and key == "0" else key)
            if caption.isdigit():
                caption = f"arg {int(caption) + 1}"
            lines.append([FieldSlot(f"args.{key}", caption, "expr" if key in ("*", "**") else "value")])
    return lines


def _with_values(kind: CardKind, lines: list[list[FieldSlot]]) -> list[list[FieldSlot]]:
    values = VALUE_FIELDS.get(kind, {})
    return [[replace(slot, editor="value", data_type=values[slot.name])
             if slot.name in values and slot.editor == "expr" else slot for slot in line] for line in lines]


def field_lines(card: Card, catalog: EditorCatalog) -> list[list[FieldSlot]]:
    kind = card.kind
    if kind is CardKind.SERVICE_CALL:
        signature = catalog.signature(card.fields["service"], card.fields["function"])
        return [[FieldSlot("service", "Service", "choice"), FieldSlot("function", "Function", "choice")],
                *_argument_slots(card, signature), [FieldSlot("target", "Result →", placeholder="not kept")]]
    if kind is CardKind.MODEL_OP:
        signature = catalog.signature(card.fields["model"], card.fields["operation"])
        return [[FieldSlot("model", "Model", "choice"), FieldSlot("operation", "Operation", "choice")],
                *_argument_slots(card, signature), [FieldSlot("target", "Result →", placeholder="not kept")]]
    if kind is CardKind.LOG:
        lines = _argument_slots(card, None)
        level = FieldSlot("level", "Level", "choice")
        return [[level, *lines[0]], *lines[1:]] if lines else [[level]]
    if kind is CardKind.BRANCH:
        return [] if card.fields.get("condition") is None else [[FieldSlot("condition", "", required=True)]]
    if kind is CardKind.CLAUSE:
        if card.fields["keyword"] != "except":
            return []
        return [[FieldSlot("exception", "", placeholder="any error", tooltip="The error class(es) this clause catches"),
                 FieldSlot("name", "as", placeholder="no name", tooltip="The name the caught error gets")]]
    if kind is CardKind.CALL:
        return [[FieldSlot("callee", "Call", required=True)], *_argument_slots(card, None)]
    return _with_values(kind, _simple(kind))


def choices_for(card: Card, name: str, catalog: EditorCatalog) -> list[tuple[str, str]]:
    """(value, label) pairs of a choice field."""
    if name == "service":
        return [(s.full_name, f"{s.title}  ·  {s.full_name.rsplit('.', 1)[-1]}") for s in catalog.services]
    if name == "function":
        entry = catalog.service(card.fields["service"])
        return [(f.name, f"{f.title or f.name}  ·  {f.name}") for f in (entry.functions if entry else ())]
    if name == "model":
        return [(m.full_name, f"{m.title}  ·  {m.full_name.rsplit('.', 1)[-1]}") for m in catalog.models]
    if name == "operation":
        known = [op for op in MODEL_OPERATION_ARGS if op in MODEL_OPERATIONS]
        known += sorted(MODEL_OPERATIONS - set(known))
        return [(op, f"{MODEL_OPERATION_TITLES.get(op, op)}  ·  {op}") for op in known]
    if name == "level":
        return [(level, level) for level in LOG_LEVEL_ORDER if level in LOG_LEVELS]
    if name == "operator":
        return [(op, f"{op}  ·  {AUG_TITLES.get(op, op)}") for op in AUG_OPERATORS]
    return []


def own_key(card: Card) -> tuple:
    """What decides a card's own widgets (not its values, not its children): a change rebuilds its row."""
    if card.kind in (CardKind.SERVICE_CALL, CardKind.MODEL_OP):
        element = card.fields.get("service") or card.fields.get("model")
        callee = card.fields.get("function") or card.fields.get("operation")
        extra = (element, callee, tuple(card.fields["args"]))
    elif card.kind in (CardKind.LOG, CardKind.CALL):
        extra = tuple(card.fields["args"])
    elif card.kind is CardKind.CLAUSE:
        extra = (card.fields["keyword"],)
    elif card.kind is CardKind.BRANCH:
        extra = (card.fields["keyword"], card.fields.get("condition") is None)
    else:
        extra = ()
    return card.id, card.kind, extra

