"""Malformed files never crash the loader, and every problem they cause is located inside the app."""
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitstudio.project import load_project

GOLDEN_APP = Path(__file__).resolve().parent / "golden" / "app"
JSON_FILES = sorted(p.relative_to(GOLDEN_APP).as_posix() for p in GOLDEN_APP.rglob("*.json"))
EVENT_FILES = [p for p in JSON_FILES if p.startswith("events/")]
PY_FILES = ["models/Customer/model.py", "services/CustomerSvc/service.py", "events/RefundDecided/inner.py"]
ENUM_KEYS = ["type", "operate", "funcType", "stage", "handleType", "accessModifier", "backendLoadTime", "func", "sender"]
INTERESTING = list('"{}[],:\\ \n\t\r\'().=-0aé#@_') + ["\u2028", "\x00", "Q(", "NaN", "true", "def ", "class ", "    "]
FAST = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
edits = st.lists(
    st.tuples(st.sampled_from(["delete", "duplicate", "insert"]), st.integers(min_value=0), st.sampled_from(INTERESTING)),
    min_size=1, max_size=4,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    return shutil.copytree(GOLDEN_APP, tmp_path_factory.mktemp("fuzz") / "app")


def mutate(text: str, changes) -> str:
    for op, position, piece in changes:
        at = position % (len(text) + 1)
        if op == "delete":
            text = text[:at] + text[at + 1:]
        elif op == "duplicate":
            text = text[:at] + text[at:at + 1] * 2 + text[at + 1:]
        else:
            text = text[:at] + piece + text[at:]
    return text


def load_with(app: Path, rel: str, content: str | bytes) -> None:
    """Load the app with one file replaced; require located problems; put the file back."""
    path = app / rel
    original = path.read_bytes()
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        problems = load_project(app).problems
        for problem in problems:
            target = app / problem.path
            assert target.is_file(), problem
            text = target.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
            # JSON counts lines at \n only; Python, like CPython, at \r\n, \r and \n.
            lines = text.split("\n") if target.suffix == ".json" else re.split(r"\r\n|\r|\n", text)
            assert 1 <= problem.line <= len(lines) + 1, problem
            assert problem.col >= 1, problem
            if problem.line <= len(lines):
                assert problem.col <= len(lines[problem.line - 1]) + 1, (problem, lines[problem.line - 1])
            assert problem.message.strip() and "\n" not in problem.message, problem
            assert "Input should be" not in problem.message, problem
            assert problem.severity in ("error", "warning")
    finally:
        path.write_bytes(original)


@settings(max_examples=250, **FAST)
@given(rel=st.sampled_from(JSON_FILES), value=json_values)
def test_any_json_value_as_a_file(app, rel, value):
    load_with(app, rel, json.dumps(value, ensure_ascii=False, indent=2))


@settings(max_examples=500, **FAST)
@given(rel=st.sampled_from(JSON_FILES), changes=edits)
def test_mutated_json_text(app, rel, changes):
    load_with(app, rel, mutate((GOLDEN_APP / rel).read_text(encoding="utf-8"), changes))


@settings(max_examples=300, **FAST)
@given(rel=st.sampled_from(JSON_FILES), data=st.data())
def test_wrong_type_for_each_key(app, rel, data):
    document = json.loads((GOLDEN_APP / rel).read_text(encoding="utf-8"))
    key = data.draw(st.sampled_from(sorted(document) + ["enable", "asyncType", "fields", "filter"]))
    document[key] = data.draw(json_values)
    load_with(app, rel, json.dumps(document, ensure_ascii=False, indent=2))


@settings(max_examples=250, **FAST)
@given(rel=st.sampled_from(EVENT_FILES), key=st.sampled_from(ENUM_KEYS), value=st.text(max_size=30))
def test_random_strings_for_enums_and_references(app, rel, key, value):
    document = json.loads((GOLDEN_APP / rel).read_text(encoding="utf-8"))
    document[key] = value
    load_with(app, rel, json.dumps(document, ensure_ascii=False, indent=2))


@settings(max_examples=100, **FAST)
@given(value=st.text(alphabet="Q()',=&|~_.abcdefgilnorstuv0123456789[] <>!\\\"", max_size=40))
def test_random_filters(app, value):
    document = json.loads((GOLDEN_APP / "events/CustomerAudit/e.json").read_text(encoding="utf-8"))
    document["filter"] = value
    load_with(app, "events/CustomerAudit/e.json", json.dumps(document, ensure_ascii=False, indent=2))


@settings(max_examples=400, **FAST)
@given(rel=st.sampled_from(PY_FILES), changes=edits)
def test_mutated_python_sources(app, rel, changes):
    load_with(app, rel, mutate((GOLDEN_APP / rel).read_text(encoding="utf-8"), changes))


@settings(max_examples=200, **FAST)
@given(rel=st.sampled_from(PY_FILES), text=st.text(max_size=200))
def test_random_text_as_python_source(app, rel, text):
    load_with(app, rel, text)


@settings(max_examples=100, **FAST)
@given(rel=st.sampled_from(JSON_FILES + PY_FILES), content=st.binary(max_size=200))
def test_random_bytes_in_any_file(app, rel, content):
    load_with(app, rel, content)
