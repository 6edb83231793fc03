"""Turning JSON syntax errors and pydantic validation errors into located, plain-worded problems."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .files import TextFile
from .jsondoc import JsonDocument, JsonSyntaxError, pointer_of
from .problems import Problem, allowed_list
from .schemas import Spec


def _describe(error: dict) -> str:
    loc = [str(p) for p in error["loc"] if p not in ("function-after",)]
    key = loc[-1] if loc else "the file"
    where = ".".join(loc) if loc else "the file"
    value = error.get("input")
    kind = error["type"]
    if kind == "missing":
        return f"{where} is required"
    if kind in ("literal_error", "enum"):
        allowed = [a.strip().strip("'") for a in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        return f"{key} {value!r} is not one of {allowed_list(allowed)}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{where} is {value!r}; it {error['msg'].lower().removeprefix('input ')}"
    if kind == "extra_forbidden":
        return f"unknown key {key!r}"
    expected = error["msg"].removeprefix("Input should be ").removeprefix("input should be ")
    return f"{where} should be {expected}, not {value!r}"


def _loc_to_pointer(loc) -> str:
    return pointer_of(p for p in loc if not (isinstance(p, str) and "[" in p))


def read_json(root: Path, path: Path, spec_cls: type[Spec] | None, problems: list[Problem]):
    """Read and validate one JSON file; append its problems; return (document or None, spec or None)."""
    rel = path.relative_to(root).as_posix()
    try:
        text = TextFile.read(path).text
    except OSError as exc:
        problems.append(Problem(rel, 1, 1, f"cannot read file: {exc.strerror}", code="io"))
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
        problems.append(Problem(rel, 1, 1, f"expected a JSON object at the top, found {type(doc.data).__name__}", code="json-shape"))
        return doc, None
    if spec_cls is None:
        return doc, None
    return doc, validate(doc, spec_cls, rel, problems)


def validate(doc: JsonDocument, spec_cls: type[Spec], rel: str, problems: list[Problem]) -> Spec | None:
    try:
        return spec_cls.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(p for p in error["loc"] if p != "function-after")
            pointer = _loc_to_pointer(loc)
            missing = error["type"] == "missing"
            line, col = doc.locate(pointer if not missing else pointer.rsplit("/", 1)[0])
            problems.append(Problem(rel, line, col, _describe(error), pointer=pointer, code=error["type"]))
        return None
