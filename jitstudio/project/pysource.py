"""Static reading of an element's Python files with libcst: model fields, service methods, inner functions."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

DATATYPES = (
    "Stext", "Ltext", "Numeric", "Money", "Percent", "RichText", "AutoInt", "Serial", "Radio", "MultiRadio",
    "Dropdown", "MultiDropdown", "Checkbox", "Date", "Datetime", "Time", "File", "Image", "Signature", "Dept",
    "MultiDept", "Member", "MultiMember", "Address", "Identify", "LicensePlate", "Phone", "Position", "Link",
    "SubTable", "JitDict", "JitList", "JitMap", "RowData", "RowList", "RelateData", "MultiRelateData", "QFilter",
    "Integer", "Email", "Bool", "JitBool",
)
NOT_FIELD_TYPES = ("JitDict", "JitList", "JitMap", "RowData", "RowList", "QFilter")
RESERVED_FIELD_NAMES = ("app", "model", "value", "save", "delete", "update", "refresh", "pkData", "toDict")


@dataclass(frozen=True)
class SourceIssue:
    line: int
    col: int
    message: str
    severity: str = "error"


@dataclass
class ModelField:
    name: str
    datatype: str
    params: dict[str, Any]
    line: int
    col: int

    @property
    def title(self) -> str:
        return str(self.params.get("title") or self.name)

    @property
    def primary_key(self) -> bool:
        return bool(self.params.get("primaryKey"))


@dataclass
class ModelSource:
    class_name: str | None = None
    fields: list[ModelField] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    issues: list[SourceIssue] = field(default_factory=list)


@dataclass
class MethodInfo:
    name: str
    params: list[str]
    line: int
    has_var_args: bool = False
    has_var_kwargs: bool = False


@dataclass
class ClassSource:
    class_name: str | None = None
    bases: list[str] = field(default_factory=list)
    methods: dict[str, MethodInfo] = field(default_factory=dict)
    functions: dict[str, MethodInfo] = field(default_factory=dict)
    issues: list[SourceIssue] = field(default_factory=list)


def syntax_issue(text: str, filename: str) -> SourceIssue | None:
    """CPython's own report of the first syntax error, or None when the text compiles."""
    try:
        ast.parse(text, filename)
    except SyntaxError as exc:
        return SourceIssue(exc.lineno or 1, exc.offset or 1, f"invalid Python: {exc.msg}")
    except ValueError as exc:
        return SourceIssue(1, 1, f"invalid Python: {exc}")
    return None


def _parse(text: str, filename: str) -> tuple[MetadataWrapper | None, SourceIssue | None]:
    issue = syntax_issue(text, filename)
    if issue:
        return None, issue
    try:
        return MetadataWrapper(cst.parse_module(text)), None
    except cst.ParserSyntaxError as exc:
        return None, SourceIssue(exc.raw_line, exc.raw_column + 1, f"invalid Python: {exc.message}")


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _literal(module: cst.Module, node: cst.BaseExpression) -> Any:
    code = module.code_for_node(node)
    try:
        return ast.literal_eval(code)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return code


def _method_info(fn: cst.FunctionDef, line: int, drop_self: bool) -> MethodInfo:
    params = [p.name.value for p in fn.params.params]
    if drop_self and params and params[0] in ("self", "cls"):
        params = params[1:]
    params += [p.name.value for p in fn.params.kwonly_params]
    star = fn.params.star_arg
    return MethodInfo(
        fn.name.value,
        params,
        line,
        has_var_args=isinstance(star, cst.Param),
        has_var_kwargs=fn.params.star_kwarg is not None,
    )


def read_model(text: str, filename: str = "model.py") -> ModelSource:
    out = ModelSource()
    wrapper, issue = _parse(text, filename)
    if issue:
        out.issues.append(issue)
        return out
    module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    classes = [s for s in module.body if isinstance(s, cst.ClassDef)]
    model_class = next((c for c in classes if any("Model" in _dotted(b.value) for b in c.bases)), None)
    if model_class is None:
        out.issues.append(SourceIssue(1, 1, "no model class found; expected `class Name(NormalModel):`"))
        return out
    out.class_name = model_class.name.value
    for stmt in model_class.body.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Meta":
            out.meta = _meta(module, stmt)
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)):
                continue
            target = small.targets[0].target
            callee = _dotted(small.value.func)
            if not isinstance(target, cst.Name) or not callee.startswith("datatypes."):
                continue
            pos = positions[small].start
            params = {a.keyword.value: _literal(module, a.value) for a in small.value.args if a.keyword}
            model_field = ModelField(target.value, callee.split(".", 1)[1], params, pos.line, pos.column + 1)
            out.fields.append(model_field)
            out.issues.extend(_field_issues(model_field))
    return out


def _field_issues(f: ModelField) -> list[SourceIssue]:
    issues = []
    if f.datatype not in DATATYPES:
        issues.append(SourceIssue(f.line, f.col, f"field '{f.name}' has unknown datatype '{f.datatype}'"))
    elif f.datatype in NOT_FIELD_TYPES:
        issues.append(SourceIssue(f.line, f.col, f"field '{f.name}': {f.datatype} cannot be a model field"))
    if "name" in f.params and f.params["name"] != f.name:
        issues.append(SourceIssue(f.line, f.col, f"field '{f.name}' has name={f.params['name']!r}; it must equal the attribute name"))
    if f.name in RESERVED_FIELD_NAMES:
        issues.append(SourceIssue(f.line, f.col, f"field name '{f.name}' is reserved"))
    return issues


def _meta(module: cst.Module, meta: cst.ClassDef) -> dict[str, Any]:
    values = {}
    for stmt in meta.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                    values[small.targets[0].target.value] = _literal(module, small.value)
    return values


def read_classes(text: str, filename: str) -> ClassSource:
    """The first class in a module (its methods) and the module-level functions."""
    out = ClassSource()
    wrapper, issue = _parse(text, filename)
    if issue:
        out.issues.append(issue)
        return out
    positions = wrapper.resolve(PositionProvider)
    for stmt in wrapper.module.body:
        if isinstance(stmt, cst.FunctionDef):
            out.functions[stmt.name.value] = _method_info(stmt, positions[stmt].start.line, drop_self=False)
        elif isinstance(stmt, cst.ClassDef) and out.class_name is None:
            out.class_name = stmt.name.value
            out.bases = [_dotted(b.value) for b in stmt.bases]
            for inner in stmt.body.body:
                if isinstance(inner, cst.FunctionDef):
                    out.methods[inner.name.value] = _method_info(inner, positions[inner].start.line, drop_self=True)
    return out
