"""What the palette and the field editors offer, read from the project: services with their typed
functions, declared custom events, models with their fields and data operations, and event data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ...codesync import ArgSpec, CardKind, FunctionSignature, PickerOption, event_data_pickers, literal_fits
from ...project import EVENT_KINDS, Project

# The data API of a model (jitstudio.runtime.data), as signatures the form can type and validate.
MODEL_OPERATION_ARGS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "create": (("rowData", "Row data", "JitDict", True), ("triggerEvent", "Fire events", "Numeric", False)),
    "get": (("filter", "Filter (Q)", "QFilter", False), ("orderList", "Order by", "JitList", False)),
    "query": (("filter", "Filter (Q)", "QFilter", False), ("fieldList", "Fields", "JitList", False),
              ("orderList", "Order by", "JitList", False), ("page", "Page", "Numeric", False),
              ("size", "Page size", "Numeric", False)),
    "updateByPK": (("pk", "Primary key", "", True), ("rowData", "Changes", "JitDict", True),
                   ("triggerEvent", "Fire events", "Numeric", False)),
    "deleteByPK": (("pk", "Primary key", "", True), ("triggerEvent", "Fire events", "Numeric", False)),
    "save": (("rowData", "Row data", "JitDict", True), ("triggerEvent", "Fire events", "Numeric", False)),
    "delete": (("rowData", "Row data", "JitDict", True), ("triggerEvent", "Fire events", "Numeric", False)),
    "updateOrAdd": (("filter", "Filter (Q)", "QFilter", True), ("updateData", "Changes", "JitDict", True),
                    ("addData", "New row", "JitDict", False), ("triggerEvent", "Fire events", "Numeric", False)),
    "createOrUpdateMany": (("rowDataList", "Rows", "JitList", True), ("triggerEvent", "Fire events", "Numeric", False)),
    "updateByFilter": (("filter", "Filter (Q)", "QFilter", True), ("updateData", "Changes", "JitDict", True)),
    "deleteByFilter": (("filter", "Filter (Q)", "QFilter", True),),
}
MODEL_OPERATION_TITLES = {
    "create": "Create a row", "get": "Get one row", "query": "Query rows", "updateByPK": "Update by key",
    "deleteByPK": "Delete by key", "save": "Save a row", "delete": "Delete a row", "updateOrAdd": "Update or add",
    "createOrUpdateMany": "Save many rows", "updateByFilter": "Update matching rows",
    "deleteByFilter": "Delete matching rows",
}
_RESULT_NAMES = {"get": "row", "create": "row", "save": "row", "updateByPK": "row", "updateOrAdd": "row",
                 "query": "result", "createOrUpdateMany": "rows", "updateByFilter": "count", "deleteByFilter": "count"}


_PLACEHOLDERS = (("0", 0), ('""', ""), ("{}", {}), ("[]", []))


def placeholder_value(data_type: str) -> str:
    """A literal of the right type for a required argument the user has not filled in yet."""
    fitting = [text for text, value in _PLACEHOLDERS if literal_fits(data_type, value)]
    return fitting[0] if len(fitting) == 1 else "None"  # every literal fits a type the checker does not know


@dataclass(frozen=True)
class ServiceEntry:
    full_name: str
    title: str
    functions: tuple[FunctionSignature, ...]
    events: tuple[tuple[str, str], ...]  # (sender fullName, title)


@dataclass(frozen=True)
class ModelEntry:
    full_name: str
    title: str
    fields: tuple[tuple[str, str], ...]  # (name, data type)


@dataclass
class EditorCatalog:
    services: list[ServiceEntry] = field(default_factory=list)
    models: list[ModelEntry] = field(default_factory=list)
    event_data: list[PickerOption] = field(default_factory=list)

    @classmethod
    def from_project(cls, project: Project | None, event_kind: str | None = None,
                     model_fields: Iterable[str] = ()) -> "EditorCatalog":
        catalog = cls()
        if project is not None:
            for service in project.services:
                functions = tuple(FunctionSignature.from_function_list(service.full_name, fn.model_dump(by_alias=True))
                                  for fn in service.functions.values())
                events = tuple((f"{service.full_name}.{d.name}", d.title or d.name)
                               for d in (service.spec.eventDescs if service.spec else []))
                catalog.services.append(ServiceEntry(service.full_name, service.title, functions, events))
            for model in project.models:
                catalog.models.append(ModelEntry(model.full_name, model.title,
                                                 tuple((f.name, f.datatype) for f in model.fields)))
        if event_kind:
            event_type = event_kind if "." in event_kind else next(
                (t for t, k in EVENT_KINDS.items() if k == event_kind), event_kind)
            catalog.event_data = event_data_pickers(event_type, list(model_fields))
        return catalog

    # ----- signatures ----------------------------------------------------------------------------

    def signatures(self) -> dict[str, FunctionSignature]:
        """Every callee the form knows: service functions and the data operations of every model."""
        found = {s.full_name: s for entry in self.services for s in entry.functions}
        for model in self.models:
            for operation in MODEL_OPERATION_ARGS:
                signature = model_signature(model.full_name, operation)
                found[signature.full_name] = signature
        return found

    def signature(self, element: str | None, function: str | None) -> FunctionSignature | None:
        if not element or not function:
            return None
        if element.startswith("models."):
            return model_signature(element, function) if function in MODEL_OPERATION_ARGS else None
        return next((s for e in self.services if e.full_name == element for s in e.functions if s.name == function), None)

    def service(self, full_name: str) -> ServiceEntry | None:
        return next((s for s in self.services if s.full_name == full_name), None)

    def declared_events(self) -> list[tuple[str, str]]:
        return [event for entry in self.services for event in entry.events]

    # ----- new cards -----------------------------------------------------------------------------

    def service_call_fields(self, signature: FunctionSignature, taken: set[str]) -> dict[str, Any]:
        element = signature.full_name.rpartition(".")[0]
        fields: dict[str, Any] = {"service": element, "function": signature.name, "args": _required_args(signature.args)}
        if signature.return_type not in ("None", ""):
            fields["target"] = fresh_name("result", taken)
        return fields

    def model_op_fields(self, model: str, operation: str, taken: set[str]) -> dict[str, Any]:
        signature = model_signature(model, operation)
        fields: dict[str, Any] = {"model": model, "operation": operation, "args": _required_args(signature.args)}
        if operation in _RESULT_NAMES:
            fields["target"] = fresh_name(_RESULT_NAMES[operation], taken)
        return fields


def model_signature(model: str, operation: str) -> FunctionSignature:
    args = [ArgSpec(name, title, data_type, required) for name, title, data_type, required
            in MODEL_OPERATION_ARGS.get(operation, ())]
    return FunctionSignature(f"{model}.{operation}", operation, MODEL_OPERATION_TITLES.get(operation, ""), args, "JitDict")


def _required_args(args: Iterable[ArgSpec]) -> dict[str, str]:
    return {a.name: placeholder_value(a.data_type) for a in args if a.required and a.default is None}


def fresh_name(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


AS_NAME = re.compile(r"\bas\s+([A-Za-z_]\w*)")


def variables_of(cards) -> list[str]:
    """Names the function assigns (targets of assignments, calls and loops, names given by `with … as`
    and `except … as`), in order, once each."""
    seen: dict[str, None] = {}
    for root in cards:
        for card in root.walk():
            if card.kind is CardKind.CODE:
                continue
            if card.kind is CardKind.WITH:
                names = AS_NAME.findall(card.fields["items"])
            else:
                names = [card.fields.get("name" if card.kind is CardKind.CLAUSE else "target")]
            for name in names:
                if isinstance(name, str) and name.isidentifier():
                    seen.setdefault(name)
    return list(seen)
