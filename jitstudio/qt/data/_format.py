"""How a field's values look in the Data tab and which editor a cell gets, by the field's datatype. Values come
as the data session sends them (JSON: dates as ISO text, decimals as numbers)."""
from __future__ import annotations

import json
from typing import Any

NUMBER_TYPES = frozenset({"Numeric", "Integer", "Money", "Percent", "AutoInt", "RelateData"})
WHOLE_TYPES = frozenset({"Integer", "AutoInt", "RelateData"})
BOOL_TYPES = frozenset({"Checkbox", "Bool", "JitBool"})
OPTION_TYPES = frozenset({"Radio", "Dropdown"})
MULTI_OPTION_TYPES = frozenset({"MultiRadio", "MultiDropdown"})
JSON_TYPES = frozenset({"File", "Image", "MultiDept", "MultiMember", "Address", "Position", "MultiRelateData"})
TIME_TYPES = {"Date": "date", "Datetime": "datetime", "Time": "time"}
SHOWN_CHARS = 200


def editor_kind(field: dict) -> str:
    """text | number | bool | option | options | date | datetime | time | json | readonly"""
    datatype = field.get("datatype", "")
    if field.get("readOnly") or field.get("primaryKey"):
        return "readonly"
    if datatype in BOOL_TYPES:
        return "bool"
    if datatype in OPTION_TYPES and field.get("options"):
        return "option"
    if datatype in MULTI_OPTION_TYPES and field.get("options"):
        return "options"
    if datatype in MULTI_OPTION_TYPES or datatype in JSON_TYPES:
        return "json"
    if datatype in TIME_TYPES:
        return TIME_TYPES[datatype]
    if datatype in NUMBER_TYPES:
        return "number"
    return "text"


def is_number(field: dict) -> bool:
    return field.get("datatype") in NUMBER_TYPES


def option_label(field: dict, value: Any) -> str:
    for option in field.get("options") or ():
        if option.get("value") == value:
            return str(option.get("label"))
    return "" if value is None else str(value)


def display(field: dict, value: Any) -> str:
    """The text of a cell."""
    if value is None:
        return ""
    datatype = field.get("datatype", "")
    if datatype in BOOL_TYPES:
        return "yes" if value else "no"
    if datatype in OPTION_TYPES:
        return option_label(field, value)
    if datatype in MULTI_OPTION_TYPES and isinstance(value, list):
        return ", ".join(option_label(field, v) for v in value)
    if datatype in NUMBER_TYPES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(field, value)
    if datatype == "Datetime" and isinstance(value, str):
        return value.replace("T", " ")[:19]
    if datatype == "Time" and isinstance(value, str):
        return value[:8]
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def _number(field: dict, value: float) -> str:
    datatype = field.get("datatype")
    if datatype == "Percent":
        return f"{value * 100:.{_decimals(field, 2)}f} %"
    if datatype in WHOLE_TYPES:
        return f"{int(value)}"
    decimals = _decimals(field, 2 if datatype == "Money" else None)
    text = f"{value:,.{decimals}f}" if decimals is not None else f"{value:,}"
    unit = field.get("unit")
    return f"{text} {unit}" if datatype == "Money" and unit else text


def _decimals(field: dict, default: int | None) -> int | None:
    decimal = field.get("decimal")
    try:
        return int(decimal) if decimal is not None else default
    except (TypeError, ValueError):
        return default


def edit_text(field: dict, value: Any) -> str:
    """What an editor shows for a value: the value itself, without grouping or units."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def parse_edit(field: dict, text: str) -> Any:
    """The value a typed text stands for: numbers as numbers, JSON for JSON fields, empty as None. The data
    session checks the rest (length, whole numbers, dates) and says what is wrong."""
    kind = editor_kind(field)
    text = text.strip() if kind != "text" else text
    if text == "" and kind != "text":
        return None
    if kind == "number":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return text  # refused by the session with the field's own message
        whole = field.get("datatype") in WHOLE_TYPES or (field.get("datatype") == "Numeric" and str(field.get("decimal")) == "0")
        return int(number) if whole and number.is_integer() else number
    if kind in ("json", "options"):
        return json.loads(text)  # ValueError: the editor says so
    return text
