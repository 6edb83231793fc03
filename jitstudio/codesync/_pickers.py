"""Expressions the form offers for picking event data, per event type."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence


@dataclass(frozen=True)
class PickerOption:
    expression: str
    title: str
    data_type: str = ""


def _fields(fields: Sequence[str] | Mapping[str, str]) -> list[tuple[str, str]]:
    if isinstance(fields, Mapping):
        return list(fields.items())
    return [(name, "") for name in fields]


def event_data_pickers(event_type: str, fields: Sequence[str] | Mapping[str, str] = (),
                       variable: str = "eventOutData") -> list[PickerOption]:
    """Picker expressions for the payload of an event of ``event_type`` (e.g. ``events.ModelType``).

    ``fields`` are the model field names (optionally mapped to their data types) for model and
    approval events. Custom events (``events.NormalType``) receive what was published, so their
    options are ``args``/``kwargs``; assistant events pass node outputs positionally (none)."""
    v = variable
    options: list[PickerOption] = []
    if event_type == "events.ModelType":
        for snapshot, title in (("postData", "after the change"), ("prevData", "before the change")):
            for name, data_type in _fields(fields):
                options.append(PickerOption(f"{v}.{snapshot}.value[{name!r}]", f"{name} {title}", data_type))
            options.append(PickerOption(f"{v}.{snapshot}.value", f"row {title}", "RowData"))
        options.append(PickerOption(f"{v}.model.value", "model fullName", "Stext"))
        options.append(PickerOption(f"{v}.optType.value", "operation (timing)", "Stext"))
    elif event_type == "events.WorkflowType":
        for name, data_type in _fields(fields):
            options.append(PickerOption(f"{v}.row.value[{name!r}]", f"{name} of the record", data_type))
        options += [PickerOption(f"{v}.row.value", "the business record", "RowData"),
                    PickerOption(f"{v}.status.value", "approval status", "Stext"),
                    PickerOption(f"{v}.triggerNode.value", "trigger node", "Stext"),
                    PickerOption(f"{v}.handleType.value", "handle type", "Stext")]
    elif event_type == "events.AIAgentType":
        options += [PickerOption(f"{v}.toolName.value", "tool name", "Stext"),
                    PickerOption(f"{v}.args.value", "tool inputs (pre) or result (post)", "JitDict"),
                    PickerOption(f"{v}.stage.value", "stage", "Stext")]
    elif event_type == "events.NormalType":
        options += [PickerOption("args", "published positional arguments", "JitList"),
                    PickerOption("kwargs", "published keyword arguments", "JitDict")]
    return options
