"""Which field datatypes the runtime can store, without SQLAlchemy: `jitstudio check` reports the rest."""
from __future__ import annotations

from ...project import ModelElement, Problem

UNSUPPORTED = {
    "SubTable": "SubTable fields are not stored by the local runtime yet; use a separate model with a parent id field",
}


def field_problems(model: ModelElement) -> list[Problem]:
    """Fields whose datatype the runtime cannot store (the project layer reports unknown names)."""
    problems = []
    path = model.rel(model.directory / "model.py")
    for f in model.fields:
        if f.datatype in UNSUPPORTED:
            problems.append(Problem(path, f.line, f.col, f"field '{f.name}': {UNSUPPORTED[f.datatype]}", "warning", code="runtime-type"))
    return problems
