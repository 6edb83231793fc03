"""to_jsonable: the inputs and outputs of executions as bounded JSON data, whatever the handler used."""
from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import PurePosixPath

from pydantic import BaseModel

from jitstudio.runtime.values.jsonable import MAX_ITEMS, MAX_STRING, dumps, to_jsonable


class Color(enum.Enum):
    RED = "red"


class Item(BaseModel):
    name: str
    price: Decimal


@dataclass
class Point:
    x: int
    y: int


class WithToDict:
    def toDict(self):
        return {"a": 1}


class WithValue:
    def __init__(self, value):
        self.value = value


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


def test_plain_and_rich_values():
    value = {
        "dt": datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc), "d": date(2025, 3, 1), "t": time(8, 0),
        "td": timedelta(minutes=1), "dec": Decimal("12.50"), "exact": Decimal("0.1"), "big": Decimal("1e30"),
        "precise": Decimal("0.10000000000000000001"), "bytes": b"hi", "tuple": (1, 2), "set": {3, 1},
        "enum": Color.RED, "uuid": uuid.UUID(int=1), "path": PurePosixPath("/a/b"), "model": Item(name="x", price=1),
        "dc": Point(1, 2), "jit": WithToDict(), "row": WithValue({"id": 4}), 5: "int key", "nan": float("nan"),
        "err": ValueError("bad"), "huge": 2**70,
    }
    out = to_jsonable(value)
    json.dumps(out, allow_nan=False)
    assert out["dt"] == "2025-03-01T12:30:00+00:00" and out["d"] == "2025-03-01" and out["t"] == "08:00:00"
    assert out["td"] == 60.0 and out["dec"] == 12.5 and out["exact"] == 0.1 and out["big"] == 1e30
    assert out["precise"] == "0.10000000000000000001"
    assert out["bytes"] == "<2 bytes base64:aGk=>" and out["tuple"] == [1, 2] and out["set"] == [1, 3]
    assert out["enum"] == "red" and out["uuid"] == str(uuid.UUID(int=1)) and out["path"] == "/a/b"
    assert out["model"] == {"name": "x", "price": "1"} or out["model"] == {"name": "x", "price": 1}
    assert out["dc"] == {"x": 1, "y": 2} and out["jit"] == {"a": 1} and out["row"] == {"id": 4}
    assert out["5"] == "int key" and out["nan"] == "nan" and out["err"] == "ValueError: bad"
    assert out["huge"] == str(2**70)


def test_the_runtime_values_are_plain_data():
    from jitstudio.runtime.values import JitDict, RowData

    row = RowData({"id": 1, "amount": Decimal("3.5")})
    assert to_jsonable(row) == {"id": 1, "amount": 3.5}
    assert to_jsonable(JitDict.new({"variableList": [{"name": "k", "dataType": "Stext"}]}, {"k": "v"})) == {"k": "v"}


def test_never_raises_and_marks_truncation():
    cyclic: list = [1]
    cyclic.append(cyclic)
    assert to_jsonable(cyclic) == [1, "<cycle>"]
    assert "repr failed" in to_jsonable(BrokenRepr())
    long = to_jsonable("x" * (MAX_STRING + 10))
    assert long.startswith("x" * MAX_STRING) and long.endswith("…[truncated 10 more chars]")
    many = to_jsonable(list(range(MAX_ITEMS + 5)))
    assert len(many) == MAX_ITEMS + 1 and many[-1] == "…[5 more items]"
    keys = to_jsonable({str(i): i for i in range(MAX_ITEMS + 3)})
    assert keys["…"] == "[3 more keys]"
    deep: dict = {}
    node = deep
    for _ in range(50):
        node["d"] = {}
        node = node["d"]
    json.dumps(to_jsonable(deep))


def test_total_size_is_bounded():
    big = [{"name": "n" * 1000, "values": list(range(100))} for _ in range(500)]
    text = dumps(big, budget=20_000)
    assert len(text) < 40_000
    assert "more items" in text or "…[truncated" in text
    json.loads(text)
