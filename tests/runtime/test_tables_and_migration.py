"""Tables from models, every datatype stored, and migrations that keep the rows (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from _runtime_support import db_url, make_app, write  # noqa: F401 - db_url is a fixture
from jitstudio.runtime import DataError, MigrationError, QueryError, Runtime
from jitstudio.runtime.data.storable import UNSUPPORTED
from jitstudio.runtime.data.tables import SQL_TYPES

BEFORE = '''name = datatypes.Stext(name="name", maxLen=50)
qty = datatypes.Numeric(name="qty", decimal=0)
note = datatypes.Ltext(name="note")
old = datatypes.Phone(name="old")
code = datatypes.Numeric(name="code", decimal=0)'''


def model_py(fields: str) -> str:
    body = "\n".join("    " + line for line in fields.splitlines())
    return ("from datatypes.Meta import datatypes\nfrom models.NormalType import NormalModel\n\n\n"
            f"class Item(NormalModel):\n    id = datatypes.AutoInt(name=\"id\", primaryKey=1)\n{body}\n")


def test_adding_dropping_renaming_and_retyping_fields_keeps_rows(tmp_path, db_url):
    app = make_app(tmp_path / "app", models={"Item": BEFORE})
    with Runtime(app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        items.create({"name": "a", "qty": 1, "note": "first", "old": "gone", "code": 42})
        items.create({"name": "b", "qty": 2, "note": "second", "old": "gone", "code": 7})
    after = '''title = datatypes.Stext(name="title", maxLen=50)
qty = datatypes.Numeric(name="qty", decimal=0)
remark = datatypes.Ltext(name="remark", renamedFrom="note")
code = datatypes.Stext(name="code")
price = datatypes.Money(name="price", default=9.5)'''
    write(app / "models" / "Item" / "model.py", model_py(after))
    with Runtime(app, db_url, async_worker=False, allow_data_loss=True) as rt:  # "old" holds values
        assert sorted(rt.schema_changes) == sorted([
            "models.Item: added field price", "models.Item: dropped field old",
            "models.Item: renamed field name to title", "models.Item: renamed field note to remark",
            "models.Item: changed the type of field code"])
        rows = rt.app.models.Item.query(orderList=[["id", 1]])["rowDatas"].value
        assert [(r["title"], r["qty"], r["remark"], r["code"], r["price"]) for r in rows] == [
            ("a", 1, "first", "42", Decimal("9.50")), ("b", 2, "second", "7", Decimal("9.50"))]
        assert "old" not in rows[0]
    with Runtime(app, db_url, async_worker=False) as rt:
        assert rt.schema_changes == []


def test_an_ambiguous_rename_is_a_drop_and_an_add(tmp_path):
    app = make_app(tmp_path / "app", models={"Item": 'a = datatypes.Stext(name="a")\nb = datatypes.Stext(name="b")'})
    with Runtime(app, async_worker=False) as rt:
        rt.app.models.Item.create({"a": "1", "b": "2"})
    write(app / "models" / "Item" / "model.py", model_py('c = datatypes.Stext(name="c")\nd = datatypes.Stext(name="d")'))
    with pytest.raises(MigrationError, match="dropping field a would lose the values of 1 row"):
        Runtime(app, async_worker=False)
    with Runtime(app, async_worker=False, allow_data_loss=True) as rt:
        assert rt.app.models.Item.count() == 1
        assert rt.app.models.Item.query()["rowDatas"].value[0] == {"id": 1, "c": None, "d": None}


def test_every_field_datatype_is_stored_and_read_back(tmp_path, db_url):
    fields = '''s = datatypes.Stext(name="s")
n = datatypes.Numeric(name="n", decimal=2)
f = datatypes.Numeric(name="f")
m = datatypes.Money(name="m")
c = datatypes.Checkbox(name="c")
d = datatypes.Date(name="d")
dt = datatypes.Datetime(name="dt")
t = datatypes.Time(name="t")
multi = datatypes.MultiDropdown(name="multi")
addr = datatypes.Address(name="addr")
rel = datatypes.RelateData(name="rel")
rich = datatypes.RichText(name="rich")'''
    app = make_app(tmp_path / "app", models={"Item": fields})
    with Runtime(app, db_url, async_worker=False) as rt:
        row = rt.app.models.Item.create({
            "s": "x", "n": "1.25", "f": 0.5, "m": 3, "c": 1, "d": "2024-05-06", "dt": "2024-05-06T07:08:09",
            "t": "10:11:12", "multi": ["a", "b"], "addr": {"province": "Zhejiang", "city": "Hangzhou"}, "rel": 4,
            "rich": "<b>x</b>"}).value
        assert row["n"] == Decimal("1.25") and row["f"] == 0.5 and row["m"] == Decimal("3.00") and row["c"] is True
        assert (row["d"], row["dt"], row["t"]) == (date(2024, 5, 6), datetime(2024, 5, 6, 7, 8, 9), time(10, 11, 12))
        assert row["multi"] == ["a", "b"] and row["addr"]["city"] == "Hangzhou" and row["rel"] == 4
        items = rt.app.models.Item
        assert items.count("Q(Q('dt', 'year', 2024), Q.AND, Q('d', '>=', '2024-05-01'))") == 1
        assert items.count("Q(Q('addr', 'city', 'hangzhou'))") == 1
        assert items.count("Q(s__in=['x', 'y']) & Q(n__range=[1, 2])") == 1
        assert items.count("Q(Q('s', '!=', 'x'))") == 0 and items.count("Q(Q('rich', 'isnull', 0))") == 1
    assert set(SQL_TYPES) | set(UNSUPPORTED) >= {"Stext", "Ltext", "Numeric", "Money", "SubTable", "MultiMember"}


def test_an_unsupported_datatype_is_a_problem_not_a_crash(tmp_path):
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")\nlines = datatypes.SubTable(name="lines")'})
    with Runtime(app, async_worker=False) as rt:
        [problem] = rt.problems
        assert problem.path == "models/Item/model.py" and problem.line == 8 and "SubTable" in problem.message
        assert rt.app.models.Item.create({"name": "ok"}).name.value == "ok"


def test_queries_page_order_and_refuse_unknown_fields(tmp_path, db_url):
    app = make_app(tmp_path / "app", models={"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)'})
    with Runtime(app, db_url, async_worker=False) as rt:
        items = rt.app.models.Item
        items.createOrUpdateMany([{"name": f"n{i}", "qty": i % 3} for i in range(10)])
        page = items.query("Q(Q('qty', '>', 0))", fieldList=["name"], orderList=[["qty", -1], ["id", 1]], page=2, size=3)
        assert page["totalCount"] == 6 and page.totalCount.value == 6
        assert [r["name"] for r in page["rowDatas"]] == ["n1", "n4", "n7"]
        assert items.get("Q(name__startswith='N9')").qty.value == 0
        with pytest.raises(QueryError, match="unknown field 'nope'"):
            items.query("Q(Q('nope', '=', 1))")
        with pytest.raises(DataError, match="has no field 'color'"):
            items.create({"name": "x", "color": "red"})
        with pytest.raises(DataError, match="no row with id = 999"):
            items.updateByPK(999, {"name": "x"})
