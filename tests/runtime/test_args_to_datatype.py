"""argsToDatatype: service functions that ask for it receive datatype objects from `Runtime.call` and from
`app.services.X.fn(...)`, whether the caller passed raw values or objects; others, and Global event
handlers, receive what was passed."""
from __future__ import annotations

import pytest

from _runtime_support import make_app, records_of
from jitstudio.runtime import DatatypeArgumentError, Runtime
from jitstudio.runtime.values import JitDict, JitList, JitValue, RowData, RowList, datatypes

MODELS = {"Item": 'name = datatypes.Stext(name="name")\nqty = datatypes.Numeric(name="qty", decimal=0)'}
TYPED = {"name": "describe", "argsToDatatype": 1, "args": [
    {"name": "item", "dataType": "RowData", "generic": "models.Item"},
    {"name": "tags", "dataType": "JitList", "generic": "Stext"},
    {"name": "size", "dataType": "Numeric"},
    {"name": "options", "dataType": "JitDict"}]}
SERVICE = """
def describe(self, item, tags=None, size=None, options=None, **extra):
    return {"types": [type(v).__name__ for v in (item, tags, size, options)],
            "extra": {k: type(v).__name__ for k, v in extra.items()},
            "name": item.name.value, "model": getattr(item._model, "full_name", None),
            "tags": tags.value if tags is not None else None, "size": size.value if size is not None else None}

def plain(self, item, size=None):
    return [type(item).__name__, type(size).__name__]

def relay(self, item):
    return app.services.Catalog.describe(item, ["via", "app"], size=3)

def audit(self, eventOutData):
    return type(eventOutData).__name__

def onPublished(self, item):
    return type(item).__name__
"""


@pytest.fixture
def rt(tmp_path):
    functions = [TYPED, {"name": "plain", "args": [{"name": "item", "dataType": "RowData"}]},
                 {"name": "relay", "args": [{"name": "item", "dataType": "JitDict"}]},
                 {"name": "audit", "argsToDatatype": True, "args": [{"name": "eventOutData", "dataType": "JitDict"}]},
                 {"name": "onPublished", "argsToDatatype": 1, "args": [{"name": "item", "dataType": "RowData"}]}]
    service = {"functionList": functions, "eventDescs": [{"name": "published", "title": "Published"}]}
    app = make_app(tmp_path / "app", models=MODELS, services={"Catalog": (service, SERVICE)}, events={
        "Audit": ({"type": "events.ModelType", "sender": "models.Item", "operate": "AddAfter",
                   "funcType": "Global", "func": "services.Catalog.audit"}, None),
        "OnPublished": ({"type": "events.NormalType", "sender": "services.Catalog.published",
                         "funcType": "Global", "func": "services.Catalog.onPublished"}, None)})
    with Runtime(app, async_worker=False) as runtime:
        yield runtime


def test_raw_arguments_arrive_as_the_declared_datatypes(rt):
    result = rt.call("services.Catalog.describe", [{"name": "bolt", "qty": 2}, ["a", "b"]], {"size": 4, "options": {"x": 1}})
    assert result["types"] == ["RowData", "JitList", "Numeric", "JitDict"]
    assert (result["name"], result["model"], result["tags"], result["size"]) == ("bolt", "models.Item", ["a", "b"], 4)


def test_objects_are_passed_as_they_are_and_undeclared_arguments_get_the_type_of_their_value(rt):
    row = RowData({"name": "nut"}, rt.model("models.Item"))
    size = datatypes.Numeric.new({}, 7)
    result = rt.call("services.Catalog.describe", [row], {"size": size, "note": "hello", "count": 3})
    assert result["types"][0] == "RowData" and result["types"][2] == "Numeric" and result["size"] == 7
    assert result["extra"] == {"note": "Stext", "count": "Numeric"}
    assert result["types"][1] == result["types"][3] == "NoneType", "arguments not passed stay defaults"


def test_app_services_convert_too_and_record_the_raw_input(rt):
    assert rt.call("services.Catalog.relay", [{"name": "washer"}])["types"] == ["RowData", "JitList", "Numeric", "NoneType"]
    [record] = records_of(rt, "services.Catalog.relay")
    assert record.input == {"args": [{"name": "washer"}], "kwargs": {}}


def test_functions_without_the_flag_get_what_was_passed(rt):
    assert rt.call("services.Catalog.plain", [{"name": "x"}], {"size": 1}) == ["dict", "int"]


def test_global_handlers_get_the_event_arguments_unconverted(rt):
    rt.app.models.Item.create({"name": "bolt"})
    [record] = records_of(rt, "events.Audit")
    assert record.status == "success" and record.output == "JitDict"
    [outcome] = rt.publish("services.Catalog.published", [{"name": "bolt"}])
    assert outcome.value == "dict", "a published dict reaches the subscriber as it was published"


def test_an_argument_that_cannot_be_its_datatype_is_refused_with_its_name(rt):
    with pytest.raises(DatatypeArgumentError, match=r"services\.Catalog\.describe: argument 'item' is a RowData"):
        rt.call("services.Catalog.describe", [[1, 2]])
    with pytest.raises(DatatypeArgumentError, match="'tags' is a JitList"):
        rt.call("services.Catalog.describe", [{"name": "x"}], {"tags": "not a list"})


def test_the_objects_behave_as_jitai_values(rt):
    result = rt.call("services.Catalog.describe", [{"name": "bolt"}], {"tags": ["t"]})
    assert result["tags"] == ["t"]
    assert isinstance(JitList.new({}, ["t"]), JitValue) and isinstance(JitDict.new({}, {}), JitValue)
    assert isinstance(RowList([{"name": "a"}]), JitValue)
