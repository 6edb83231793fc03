"""The text of new element files."""
from __future__ import annotations

import json
from typing import Any

INNER_HEADER = "from datatypes.Meta import datatypes\nfrom jit.commons.utils.logger import log\n"

INNER_SIGNATURES = {
    "model": ("eventOutData", "eventOutData.model, .optType, .prevData and .postData describe the change."),
    "workflow": ("eventOutData", "eventOutData.row is the business record; .status, .triggerNode or .handleType say what happened."),
    "normal": ("*args, **kwargs", "Receives exactly what the publisher passed to JitEvent.publish."),
    "assistant": ("*args", "Receives the configured event output parameters, in order."),
    "agent": ("eventOutData", "eventOutData.toolName, .stage and .args describe the tool call."),
}


def py_literal(value: Any) -> str:
    """Python source for a JSON-like value, strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def docstring(text: str) -> str:
    """A one-line docstring holding text, whatever quotes or backslashes it contains."""
    body = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"""{body}"""'


def inner_py(kind: str, title: str) -> str:
    params, doc = INNER_SIGNATURES[kind]
    return f"{INNER_HEADER}\n\ndef customFunc({params}):\n    {docstring(f'{title}: {doc}')}\n    return None\n"


INIT_INNER = "from .inner import customFunc\n"


def model_py(class_name: str, title: str, fields: list[dict]) -> str:
    lines = [
        "from datatypes.Meta import datatypes",
        "from models.NormalType import NormalModel",
        "",
        "",
        f"class {class_name}(NormalModel):",
    ]
    for f in fields:
        params = {"name": f["name"], "title": f.get("title") or f["name"], **f.get("params", {})}
        args = ", ".join(f"{k}={py_literal(v)}" for k, v in params.items())
        lines.append(f"    {f['name']} = datatypes.{f['datatype']}({args})")
    lines += [
        "",
        "    class Meta:",
        '        modelType = "NormalType"',
        f"        name = {py_literal(class_name)}",
        f"        title = {py_literal(title)}",
        '        db = "databases.Default"',
        f"        dbTable = {py_literal(class_name)}",
        "",
    ]
    return "\n".join(lines)


STANDARD_FIELDS = [
    {"name": "id", "datatype": "AutoInt", "title": "ID", "params": {"primaryKey": 1, "readOnly": 1}},
    {"name": "createdAt", "datatype": "Datetime", "title": "Created at", "params": {"readOnly": 1}},
    {"name": "updatedAt", "datatype": "Datetime", "title": "Updated at", "params": {"readOnly": 1}},
]


def service_py(class_name: str, functions: list[dict]) -> str:
    lines = ["from services.NormalType import NormalService", "", "", f"class {class_name}(NormalService):"]
    if not functions:
        lines.append("    pass")
    for fn in functions:
        params = ", ".join(["self"] + [a["name"] for a in fn.get("args", [])])
        lines += [f"    def {fn['name']}({params}):", f"        {docstring(fn.get('title') or fn['name'])}", "        return None", ""]
    return "\n".join(lines).rstrip() + "\n"
