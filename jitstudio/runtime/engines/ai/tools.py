"""An agent's tools: the functions of the services and models it names, each with a JSON schema built from
its functionList args, and the pre/post event switches of its enableFunctionList entry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ....errors import AppError
from ....project import Project
from ....project.schemas import AgentConfig, ArgSpec, FunctionSpec
from ....project.schemas.elements import WithData

_STRING = {"type": "string"}
JSON_TYPES: dict[str, dict[str, Any]] = {
    "Numeric": {"type": "number"}, "Money": {"type": "number"}, "Percent": {"type": "number"},
    "AutoInt": {"type": "integer"}, "Serial": {"type": "integer"}, "Integer": {"type": "integer"},
    "Checkbox": {"type": "boolean"}, "JitBool": {"type": "boolean"}, "Bool": {"type": "boolean"},
    "Date": {"type": "string", "format": "date"}, "Datetime": {"type": "string", "format": "date-time"},
    "Time": {"type": "string", "format": "time"},
    "JitDict": {"type": "object"}, "JitMap": {"type": "object"}, "RowData": {"type": "object"},
    "JitList": {"type": "array"}, "RowList": {"type": "array", "items": {"type": "object"}},
    "MultiDropdown": {"type": "array", "items": _STRING}, "MultiRadio": {"type": "array", "items": _STRING},
    "QFilter": {"type": "string", "description": "a Q filter, e.g. Q(Q('status', '=', 'paid'))"},
}
MODEL_BUILTINS = {
    "query": FunctionSpec(name="query", title="Query rows", desc="Rows matching a Q filter, one page at a time.", args=[
        ArgSpec(name="filter", title="Q filter, e.g. Q(Q('status', '=', 'paid'))", dataType="QFilter"),
        ArgSpec(name="page", title="Page number from 1", dataType="Integer"),
        ArgSpec(name="size", title="Rows per page", dataType="Integer")]),
    "get": FunctionSpec(name="get", title="Get one row", desc="The first row matching a Q filter.", args=[
        ArgSpec(name="filter", title="Q filter, e.g. Q(Q('id', '=', 1))", dataType="QFilter", required=True)]),
}


class ToolConfigError(AppError, ValueError):
    """An agent's tools name something that cannot be called."""


def arg_schema(arg: ArgSpec | dict[str, Any]) -> dict[str, Any]:
    spec = arg if isinstance(arg, dict) else arg.model_dump(by_alias=True, exclude_none=True)
    schema = dict(JSON_TYPES.get(spec.get("dataType") or "Stext", _STRING))
    if spec.get("title"):
        schema["description"] = spec["title"] if "description" not in schema else f"{spec['title']}: {schema['description']}"
    variables = (spec.get("variableConfig") or {}).get("variableList") or spec.get("variableList")
    if schema["type"] == "object" and variables:
        schema.update(_object(variables))
    if schema["type"] == "array" and "items" not in schema:
        generic = spec.get("generic")
        item = {"dataType": generic, "variableList": variables} if generic else None
        schema["items"] = arg_schema(item) if item else {}
    return schema


def _object(variables: list[dict[str, Any]]) -> dict[str, Any]:
    return {"properties": {v["name"]: arg_schema(v) for v in variables if isinstance(v, dict) and v.get("name")}}


def function_schema(function: FunctionSpec) -> dict[str, Any]:
    properties = {arg.name: arg_schema(arg) for arg in function.args}
    required = [arg.name for arg in function.args if arg.required]
    return {"type": "object", "properties": properties, "required": required}


@dataclass(frozen=True)
class Tool:
    name: str
    tool_type: str
    function: FunctionSpec
    pre: WithData | None = None
    post: WithData | None = None

    @property
    def description(self) -> str:
        return self.function.desc or self.function.title or self.name

    def definition(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": function_schema(self.function)}}


def build_tools(project: Project, config: AgentConfig) -> dict[str, Tool]:
    """Tools by full path. An entry with an empty enableFunctionList offers every declared function."""
    tools: dict[str, Tool] = {}
    for entry in config.tools:
        if entry.type not in ("service", "model"):
            raise ToolConfigError(f"tools of type '{entry.type}' ({entry.name}) are not supported here; use service or model")
        element = project.get(entry.name)
        if element is None or element.spec is None:
            raise ToolConfigError(f"tool element '{entry.name}' does not exist or does not load")
        declared = {f.name: f for f in getattr(element.spec, "functionList", None) or []}
        if entry.type == "model":
            declared = {**MODEL_BUILTINS, **declared}
        wanted = entry.enableFunctionList or {name: None for name in declared if name not in MODEL_BUILTINS}
        for name, switches in wanted.items():
            if name not in declared:
                raise ToolConfigError(f"{entry.name} has no function '{name}' in its functionList "
                                      f"(declared: {', '.join(declared) or 'none'})")
            path = f"{entry.name}.{name}"
            tools[path] = Tool(path, entry.type, declared[name], switches.preEvent if switches else None,
                               switches.postEvent if switches else None)
    return tools
