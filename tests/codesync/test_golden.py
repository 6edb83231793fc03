"""Golden before/after files: each edit changes exactly the lines shown in after.py, nothing else."""
import json
from pathlib import Path

import pytest

from jitstudio.codesync import FIELD_NAMES, CardKind, FunctionDocument

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def _find(doc: FunctionDocument, ref: dict | None) -> str | None:
    if ref is None:
        return None
    matches = [c for c in doc.walk() if c.kind == ref["kind"]
               and all(c.fields.get(k) == v for k, v in ref["fields"].items())]
    assert matches, f"no card matches {ref}"
    return matches[0].id


def _apply(doc: FunctionDocument, edit: dict) -> None:
    op = edit["op"]
    if op == "set_field":
        doc.set_field(_find(doc, edit["card"]), edit["name"], edit["value"])
    elif op == "insert_card":
        doc.insert_card(edit["kind"], edit["fields"], _find(doc, edit["parent"]), edit["index"])
    elif op == "move_card":
        doc.move_card(_find(doc, edit["card"]), _find(doc, edit["parent"]), edit["index"])
    elif op == "delete_card":
        doc.delete_card(_find(doc, edit["card"]))
    else:
        raise AssertionError(op)


def _shape(doc: FunctionDocument) -> list:
    return [(c.kind, c.line_span, {k: dict(v) if hasattr(v, "items") else v for k, v in c.fields.items()})
            for c in doc.walk()]


@pytest.mark.parametrize("case", CASES)
def test_golden_edit(case):
    folder = GOLDEN / case
    spec = json.loads((folder / "edit.json").read_text())
    before = (folder / "before.py").read_text()
    doc = FunctionDocument.from_source(before, spec["function"], spec["class_name"])
    for edit in spec["edits"]:
        _apply(doc, edit)
    assert doc.source == (folder / "after.py").read_text()
    # the incrementally updated cards equal the cards of the edited text parsed afresh
    fresh = FunctionDocument.from_source(doc.source, spec["function"], spec["class_name"])
    assert _shape(doc) == _shape(fresh)


def test_golden_cases_cover_every_kind_and_edit():
    specs = [json.loads((GOLDEN / c / "edit.json").read_text()) for c in CASES]
    edits = [e for s in specs for e in s["edits"]]
    assert {e["op"] for e in edits} == {"set_field", "insert_card", "move_card", "delete_card"}
    inserted = {e["kind"] for e in edits if e["op"] == "insert_card"}
    edited = {e["card"]["kind"] for e in edits if e["op"] == "set_field"}
    every = {k.value for k in CardKind}
    without_fields = {k.value for k in CardKind if not FIELD_NAMES[k]}
    assert every - {"branch"} <= inserted
    assert every - without_fields <= edited | {"branch"} and "branch" in inserted
