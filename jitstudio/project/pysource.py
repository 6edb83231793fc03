"""Static reading of an element's Python files with libcst: model fields, service methods, inner functions."""
from __future__ import annotations

import ast
import warnings
import copy
import functools
import re
import threading
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


# catch_warnings saves and restores the process-wide filters: two threads inside it at once would leave the
# other's "ignore" in place, or drop it too early.
_WARNINGS_LOCK = threading.Lock()


def _compile(text: str, filename: str) -> tuple[ast.Module | None, SourceIssue | None]:
    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", (SyntaxWarning, DeprecationWarning))  # the app's code, not ours
            return ast.parse(text, filename), None
    except SyntaxError as exc:
        return None, SourceIssue(exc.lineno or 1, exc.offset or 1, f"invalid Python: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, SourceIssue(1, 1, f"invalid Python: {exc}")


def syntax_issue(text: str, filename: str) -> SourceIssue | None:
    """CPython's own report of the first syntax error, or None when the text compiles."""
    return _compile(text, filename)[1]


@dataclass
class _Parsed:
    """The libcst module (names, arguments, source of values) and CPython's tree (line and column)."""

    module: cst.Module
    tree: ast.Module
    text: str
    lines: list[str]

    def start(self, node: ast.AST) -> tuple[int, int]:
        """1-based line and column (in characters) of an ast node."""
        line = self.lines[node.lineno - 1] if node.lineno <= len(self.lines) else ""
        return node.lineno, len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1

    def literal(self, node: ast.expr) -> Any:
        """The value of a literal expression, or its source text when it is not a literal."""
        try:
            return ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return ast.get_source_segment(self.text, node)


def _parse(text: str, filename: str) -> tuple[_Parsed | None, SourceIssue | None]:
    tree, issue = _compile(text, filename)
    if issue:
        return None, issue
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return None, SourceIssue(exc.raw_line, exc.raw_column + 1, f"invalid Python: {exc.message}")
    except RecursionError:
        return None, SourceIssue(1, 1, "invalid Python: nested too deeply")
    return _Parsed(module, tree, text, re.split(r"\r\n|\r|\n", text)), None


def _statements(cst_body, ast_body: list[ast.stmt]):
    """Pairs of (libcst statement, ast statement) of one block; a line like `a = 1; b = 2` holds two."""
    flat = []
    for stmt in cst_body:
        flat.extend(stmt.body if isinstance(stmt, cst.SimpleStatementLine) else [stmt])
    return zip(flat, ast_body)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


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
    """Fields and Meta of the model class; a reload re-reads only sources whose text changed."""
    return copy.deepcopy(_read_model(text, filename))


def read_classes(text: str, filename: str) -> ClassSource:
    """The first class in a module (its methods) and the module-level functions."""
    return copy.deepcopy(_read_classes(text, filename))


@functools.lru_cache(maxsize=256)
def _read_model(text: str, filename: str) -> ModelSource:
    out = ModelSource()
    parsed, issue = _parse(text, filename)
    if issue:
        out.issues.append(issue)
        return out
    module = parsed.module
    classes = [(s, a) for s, a in _statements(module.body, parsed.tree.body) if isinstance(s, cst.ClassDef)]
    model_class, model_node = next(
        ((c, a) for c, a in classes if any("Model" in _dotted(b.value) for b in c.bases)), (None, None))
    if model_class is None:
        out.issues.append(SourceIssue(1, 1, "no model class found; expected `class Name(NormalModel):`"))
        return out
    out.class_name = model_class.name.value
    for small, node in _statements(model_class.body.body, model_node.body):
        if isinstance(small, cst.ClassDef) and small.name.value == "Meta":
            out.meta = _meta(parsed, node)
            continue
        if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and isinstance(node, ast.Assign)):
            continue
        target = small.targets[0].target
        callee = _dotted(small.value.func)
        if not isinstance(target, cst.Name) or not callee.startswith("datatypes."):
            continue
        line, col = parsed.start(node)
        params = {kw.arg: parsed.literal(kw.value) for kw in node.value.keywords if kw.arg}
        model_field = ModelField(target.value, callee.split(".", 1)[1], params, line, col)
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


def _meta(parsed: _Parsed, meta: ast.ClassDef) -> dict[str, Any]:
    values = {}
    for stmt in meta.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            values[stmt.targets[0].id] = parsed.literal(stmt.value)
    return values


@functools.lru_cache(maxsize=256)
def _read_classes(text: str, filename: str) -> ClassSource:
    out = ClassSource()
    parsed, issue = _parse(text, filename)
    if issue:
        out.issues.append(issue)
        return out
    for stmt, node in _statements(parsed.module.body, parsed.tree.body):
        if isinstance(stmt, cst.FunctionDef):
            out.functions[stmt.name.value] = _method_info(stmt, node.lineno, drop_self=False)
        elif isinstance(stmt, cst.ClassDef) and out.class_name is None:
            out.class_name = stmt.name.value
            out.bases = [_dotted(b.value) for b in stmt.bases]
            for inner, inner_node in _statements(stmt.body.body, node.body):
                if isinstance(inner, cst.FunctionDef):
                    out.methods[inner.name.value] = _method_info(inner, inner_node.lineno, drop_self=True)
    return out



def function_source(text: str, qualname: str) -> str | None:
    """The text of function `qualname` ("fn", "Class.method", "Outer.Inner.method") as written: its decorators,
    signature, body and the comments indented under it, with \\n line endings; None when there is no such function
    or the text does not parse."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (cst.ParserSyntaxError, RecursionError):
        return None
    body = wrapper.module.body
    node = None
    for part in qualname.split("."):
        node = next((s for s in body if isinstance(s, (cst.ClassDef, cst.FunctionDef)) and s.name.value == part), None)
        if node is None:
            return None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    if not isinstance(node, cst.FunctionDef):
        return None
    positions = wrapper.resolve(PositionProvider)
    start = positions[node.decorators[0]].start.line if node.decorators else positions[node].start.line
    end = positions[node].end.line
    lines = re.split(r"\r\n|\r|\n", text)
    indent = positions[node].start.column
    # comments indented under the function after its last statement belong to it, as libcst's block footers say
    while end < len(lines) and _under(lines[end], indent):
        end += 1
    return "\n".join(lines[start - 1 : end]).rstrip() + "\n"


def _under(line: str, indent: int) -> bool:
    """A blank line, or a comment indented deeper than `indent`."""
    stripped = line.lstrip()
    return not stripped or (stripped.startswith("#") and len(line) - len(stripped) > indent)
