"""Turning JSON syntax errors and pydantic validation errors into located, plain-worded problems."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .files import TextFile, cannot_read
from .jsondoc import JsonDocument, JsonSyntaxError, pointer_of
from .problems import Problem, allowed_list
from .schemas import Spec


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    return {list: "a list", str: "a string", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _expected(error: dict) -> str:
    """What a type error wanted, e.g. 'a valid integer' (without pydantic's explanation of the failure)."""
    return error["msg"].removeprefix("Input should be ").split(", ", 1)[0]


def _describe(errors: list[dict], path: tuple) -> str:
    """One plain sentence for the errors pydantic reported at one place (several for a union of types)."""
    error = errors[0]
    key = str(path[-1]) if path else "the file"
    where = ".".join(str(p) for p in path) if path else "the file"
    value = error.get("input")
    kind = error["type"]
    if kind == "missing":
        return f"{where} is required"
    if kind in ("literal_error", "enum"):
        allowed = [a.strip().strip("'") for a in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return f"{key} {_shown(value)} is not one of {allowed_list(allowed)}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{where} is {_shown(value)}; it {error['msg'].lower().removeprefix('input ')}"
    if kind == "extra_forbidden":
        return f"unknown key {key!r}"
    expected = " or ".join(dict.fromkeys(_expected(e) for e in errors))
    return f"{where} should be {expected}, not {_shown(value)}"


def _data_path(loc: tuple, data, missing: bool) -> tuple:
    """The part of a pydantic location that names members of the data; union member tags are dropped."""
    path, node = [], data
    for index, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif missing and index == len(loc) - 1:
            pass
        else:
            continue
        path.append(part)
    return tuple(path)


def read_json(root: Path, path: Path, spec_cls: type[Spec] | None, problems: list[Problem]):
    """Read and validate one JSON file; append its problems; return (document or None, spec or None)."""
    rel = path.relative_to(root).as_posix()
    try:
        text = TextFile.read(path).text
    except OSError as exc:
        problems.append(Problem(rel, 1, 1, cannot_read(exc), code="io"))
        return None, None
    try:
        doc = JsonDocument.parse(text)
    except JsonSyntaxError as exc:
        problems.append(Problem(rel, exc.line, exc.col, f"invalid JSON: {exc.message}", code="json-syntax"))
        return None, None
    except RecursionError:
        problems.append(Problem(rel, 1, 1, "invalid JSON: nested too deeply", code="json-syntax"))
        return None, None
    if not isinstance(doc.data, dict):
        line, col = doc.locate("")
        problems.append(Problem(rel, line, col, f"expected a JSON object {{…}} at the top, found {_json_kind(doc.data)}", code="json-shape"))
        return doc, None
    if spec_cls is None:
        return doc, None
    return doc, validate(doc, spec_cls, rel, problems)


def describe_errors(exc: ValidationError, data) -> list[tuple[tuple, bool, str, str]]:
    """(path in the data, whether the member is missing, plain message, pydantic error type) per place."""
    grouped: dict[tuple, list[dict]] = {}
    for error in exc.errors(include_url=False):
        path = _data_path(error["loc"], data, error["type"] == "missing")
        located_key = getattr((error.get("ctx") or {}).get("error"), "key", None)
        node = _member(data, path)
        if located_key and isinstance(node, dict) and located_key in node:
            path += (located_key,)
        grouped.setdefault((path, error["type"] == "missing"), []).append(error)
    return [(path, missing, _describe(errors, path), errors[0]["type"]) for (path, missing), errors in grouped.items()]


def _member(data, path: tuple):
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def validate(doc: JsonDocument, spec_cls: type[Spec], rel: str, problems: list[Problem]) -> Spec | None:
    try:
        return spec_cls.model_validate(doc.data)
    except ValidationError as exc:
        for path, missing, message, kind in describe_errors(exc, doc.data):
            pointer = pointer_of(path)
            line, col = doc.locate(pointer.rsplit("/", 1)[0] if missing else pointer)
            problems.append(Problem(rel, line, col, message, pointer=pointer, code=kind))
        return None
