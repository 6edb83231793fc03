"""Callee signatures (from services' functionList) and checking cards against them."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ._model import Card, CardKind

NUMBER_TYPES = frozenset({"Numeric", "Money", "Percent"})
INTEGER_TYPES = frozenset({"AutoInt", "Integer", "Int"})
TEXT_TYPES = frozenset({
    "Stext", "Ltext", "RichText", "Serial", "Phone", "Link", "Identify", "LicensePlate", "Radio",
    "Dropdown", "Date", "Datetime", "Time", "QFilter", "Password",
})
DICT_TYPES = frozenset({"JitDict", "JitMap", "RowData", "Address", "Position"})
LIST_TYPES = frozenset({
    "JitList", "RowList", "MultiRadio", "MultiDropdown", "Checkbox", "MultiDept", "MultiMember",
    "MultiRelateData", "File", "Image",
})


@dataclass(frozen=True)
class ArgSpec:
    name: str
    title: str = ""
    data_type: str = ""
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class FunctionSignature:
    """A callable element function: ``full_name`` is ``<element fullName>.<name>``."""

    full_name: str
    name: str
    title: str = ""
    args: list[ArgSpec] = field(default_factory=list)
    return_type: str = "None"

    @classmethod
    def from_function_list(cls, element: str, entry: Mapping[str, Any]) -> "FunctionSignature":
        """From one ``functionList`` entry of an element's e.json."""
        args = [ArgSpec(name=a["name"], title=a.get("title", ""), data_type=a.get("dataType", ""),
                        required=bool(a.get("required", False)), default=a.get("value"))
                for a in entry.get("args", ())]
        return cls(f"{element}.{entry['name']}", entry["name"], entry.get("title", ""), args,
                   entry.get("returnType", "None") or "None")


@dataclass(frozen=True)
class Issue:
    card_id: str
    field: str
    message: str
    severity: str = "error"


def literal_fits(data_type: str, value: Any) -> bool:
    """Whether a Python literal can be a value of a JitAI data type (unknown types accept all)."""
    if value is None:
        return True
    if data_type in NUMBER_TYPES:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if data_type in INTEGER_TYPES:
        return isinstance(value, int) and not isinstance(value, bool)
    if data_type in TEXT_TYPES:
        return isinstance(value, str)
    if data_type in DICT_TYPES:
        return isinstance(value, dict)
    if data_type in LIST_TYPES:
        return isinstance(value, (list, tuple))
    return True


_NOT_LITERAL = object()


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _index(catalog: Mapping[str, FunctionSignature] | Iterable[FunctionSignature]) -> Mapping[str, FunctionSignature]:
    if isinstance(catalog, Mapping):
        return catalog
    return {signature.full_name: signature for signature in catalog}


def validate_card(card: Card, catalog: Mapping[str, FunctionSignature] | Iterable[FunctionSignature]
                  ) -> list[Issue]:
    """Missing required arguments, unknown arguments and literals of the wrong type in one
    service_call or model_op card (other kinds have no callee to check)."""
    if card.kind is CardKind.SERVICE_CALL:
        element, function = card.fields["service"], card.fields["function"]
    elif card.kind is CardKind.MODEL_OP:
        element, function = card.fields["model"], card.fields["operation"]
    else:
        return []
    full_name = f"{element}.{function}"
    signature = _index(catalog).get(full_name)
    if signature is None:
        if card.kind is CardKind.MODEL_OP:
            return []
        return [Issue(card.id, "function", f"{full_name} is not a known function")]
    issues: list[Issue] = []
    specs = {a.name: a for a in signature.args}
    given: dict[str, str] = {}
    for key, text in card.fields["args"].items():
        if key.isdigit():
            index = int(key)
            if index >= len(signature.args):
                issues.append(Issue(card.id, f"args.{key}", f"{full_name} takes {len(signature.args)} "
                                                           f"argument(s); argument {index + 1} is extra"))
                continue
            key = signature.args[index].name
        elif key in ("*", "**"):
            continue
        elif key not in specs:
            issues.append(Issue(card.id, f"args.{key}", f"{full_name} has no argument {key!r}"))
            continue
        given[key] = text
    unpacked = any(k in ("*", "**") for k in card.fields["args"])
    for spec in signature.args:
        if spec.name not in given:
            if spec.required and spec.default is None and not unpacked:
                issues.append(Issue(card.id, f"args.{spec.name}", f"required argument {spec.name!r} "
                                                                  f"({spec.title or spec.data_type}) is missing"))
            continue
        value = _literal(given[spec.name])
        if value is _NOT_LITERAL:
            continue
        if value is None and spec.required:
            issues.append(Issue(card.id, f"args.{spec.name}", f"required argument {spec.name!r} is None"))
        elif not literal_fits(spec.data_type, value):
            issues.append(Issue(card.id, f"args.{spec.name}",
                                f"{given[spec.name]} is not a {spec.data_type} value for {spec.name!r}"))
    return issues
