"""Bad input to the data commands exits 2 with a message naming the field and what it takes, on SQLite as
PostgreSQL would answer it: unknown fields, lists where one value goes, text past maxLen, whole numbers out
of range, filter operands of the wrong shape. And an event chain the loop guard stops is said, not hidden."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from _runtime_support import make_app
from jitstudio.cli import main


@pytest.fixture(autouse=True)
def _default_database(monkeypatch):
    monkeypatch.delenv("JITSTUDIO_DB_URL", raising=False)


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(("row", "says"), [
    ({"name": "a", "colour": "red"}, "models.Customer has no field 'colour'; fields: id, name, email"),
    ({"name": ["a"]}, "models.Customer.name (Stext) holds one value, not a list: ['a']; it takes text"),
    ({"name": "a", "level": {"x": 1}}, "models.Customer.level (Dropdown) holds one value, not a dict"),
    ({"name": "x" * 101}, "models.Customer.name (Stext): 101 characters; it takes at most 100 (maxLen)"),
    ({"name": "a", "creditLimit": "lots"}, "models.Customer.creditLimit (Money): 'lots' is not a number"),
])
def test_a_value_that_does_not_fit_exits_2_naming_the_field(shop, capsys, row, says):
    status, out, err = run(capsys, "data", shop, "create", "Customer", json.dumps(row))
    assert status == 2 and out == ""
    assert says in err and "SQL" not in err and "Traceback" not in err


def test_a_primary_key_out_of_range_is_a_clear_error(shop, capsys):
    status, _, err = run(capsys, "data", shop, "get", "Customer", str(10 ** 30))
    assert status == 2 and "models.Customer.id (AutoInt)" in err and "out of range" in err


@pytest.mark.parametrize(("q", "says"), [
    ("Q(Q('id', 'in', 5))", "'in' takes a list of values, e.g. Q('id', 'in', [1, 2])"),
    ("Q(Q('id', 'range', [1]))", "'range' takes two values, low and high"),
    ("Q(Q('createdAt', 'year', 'abc'))", "'year' takes a whole number"),
    ("Q(Q('name', 'isnull', 5))", "'isnull' takes True (empty) or False (not empty)"),
    ("Q(Q('id', '=', 'abc'))", "filter value 'abc' does not fit field 'id': it takes a whole number"),
])
def test_a_filter_operand_of_the_wrong_shape_exits_2(shop, capsys, q, says):
    status, _, err = run(capsys, "data", shop, "list", "Customer", "--filter", q)
    assert status == 2 and says in err


BUMP = """
def customFunc(eventOutData):
    row = eventOutData.postData
    app.getElement("models.Counter").updateByPK(row.id.value, {"n": row.n.value + 1})
"""


def test_a_chain_the_loop_guard_stops_is_reported_and_the_row_printed_as_stored(tmp_path, capsys):
    spec = {"type": "events.ModelType", "sender": "models.Counter", "operate": "UpdateAfter", "funcType": "Inner"}
    app = make_app(tmp_path / "app", models={"Counter": 'n = datatypes.Numeric(name="n", decimal=0)'},
                   runtime={"eventChainDepth": 4}, events={"Bump": (spec, BUMP)})
    assert run(capsys, "data", app, "create", "Counter", '{"n": 0}')[0] == 0
    done = subprocess.run([sys.executable, "-m", "jitstudio", "data", str(app), "update", "Counter", "1", '{"n": 1}'],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "event chain stopped at depth 4" in done.stderr and "events.Bump → events.Bump" in done.stderr
    assert json.loads(done.stdout)["n"] == 5  # as stored after the handlers that ran, not as first written
