"""Test support for the approval, agent and assistant engines: small apps on disk and a host that records
what the engines ask of it, over a real SQLite database and the runtime's real units of work."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, insert, select, update

from jitstudio.project import load_project
from jitstudio.runtime.data import units
from jitstudio.runtime.data.db import make_engine
from jitstudio.runtime.execution import Outcome
from jitstudio.runtime.values import RowData, native

ORDER_MODEL = '''from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class Order(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    status = datatypes.Stext(name="status", title="Status")
    amount = datatypes.Money(name="amount", title="Amount")
'''


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def make_app(root: Path, *, app: dict | None = None, workflows: dict | None = None, agents: dict | None = None,
             assistants: dict | None = None, events: dict | None = None, services: dict | None = None) -> Path:
    write_json(root / "app.json", {"name": "testapp", "title": "Test app", **(app or {})})
    write_json(root / "models/Order/e.json", {"title": "Order", "type": "models.NormalType", "backendBundleEntry": "."})
    (root / "models/Order/model.py").write_text(ORDER_MODEL, encoding="utf-8")
    for name, config in (workflows or {}).items():
        write_json(root / f"workflows/{name}/e.json", {"title": name, "type": "workflows.NormalType", "dataModel": "models.Order"})
        write_json(root / f"workflows/{name}/config.json", config)
    for name, (ejson, config) in (agents or {}).items():
        write_json(root / f"aiagents/{name}/e.json", {"title": name, "type": "aiagents.ReActType", **ejson})
        write_json(root / f"aiagents/{name}/config.json", config)
        (root / f"aiagents/{name}/prompt.md").write_text(ejson.get("prompt", "You help with orders."), encoding="utf-8")
    for name, (ejson, config) in (assistants or {}).items():
        write_json(root / f"aiassistants/{name}/e.json", {"title": name, "type": "aiassistants.NormalType", **ejson})
        write_json(root / f"aiassistants/{name}/config.json", config)
    for name, functions in (services or {}).items():
        write_json(root / f"services/{name}/e.json", {"title": name, "type": "services.NormalType", "functionList": functions})
    for name, ejson in (events or {}).items():
        write_json(root / f"events/{name}/e.json", {"title": name, "enable": 1, "backendBundleEntry": ".", **ejson})
    return root


class FakeOrders:
    """A model over a real table: RowData bound to it saves through the current unit of work."""

    full_name = "models.Order"
    primary_key = "id"
    datatypes = {"id": "AutoInt", "status": "Stext", "amount": "Money"}

    def __init__(self, engine):
        self.engine = engine
        meta = MetaData()
        self.table = Table("orders", meta, Column("id", Integer, primary_key=True), Column("status", String),
                           Column("amount", Float))
        meta.create_all(engine)

    def create(self, **values) -> int:
        with units.write(self.engine) as conn:
            return conn.execute(insert(self.table).values(**values)).inserted_primary_key[0]

    def getByPK(self, pk) -> RowData | None:
        with units.reading(self.engine) as conn:
            row = conn.execute(select(self.table).where(self.table.c.id == int(pk))).first()
        return RowData(dict(row._mapping), self) if row else None

    def save(self, row, triggerEvent: int = 1) -> RowData:
        data = native(row)
        with units.write(self.engine) as conn:
            conn.execute(update(self.table).where(self.table.c.id == data["id"]).values(
                **{k: v for k, v in data.items() if k != "id"}))
        return RowData(data, self)


class FakeHost:
    """Runs registered Python callables as event handlers and functions, recording every request."""

    def __init__(self, root: Path, db_path: Path | None = None):
        self.project = load_project(root)
        self.engine = make_engine(f"sqlite:///{db_path or root / 'runtime.db'}")
        self.orders = FakeOrders(self.engine)
        self.handlers: dict[str, Callable[..., Any]] = {}
        self.functions: dict[str, Callable[..., Any]] = {}
        self.calls: list[tuple[str, tuple, dict]] = []
        self.function_calls: list[tuple[str, tuple, dict]] = []
        self.records: list[dict[str, Any]] = []
        self.steps: list[tuple[str, str]] = []

    def run_event(self, event, args, kwargs, *, trigger):
        self.calls.append((event.full_name, args, kwargs))
        if event.is_async:
            return Outcome(event.full_name, "queued")
        handler = self.handlers.get(event.full_name)
        try:
            return Outcome(event.full_name, "success", handler(*args, **kwargs) if handler else None)
        except Exception as exc:  # noqa: BLE001 - the outcome carries the handler's failure
            return Outcome(event.full_name, "fail", error=str(exc))

    def call_function(self, path, args=(), kwargs=None):
        self.function_calls.append((path, tuple(args), dict(kwargs or {})))
        if path not in self.functions:
            raise LookupError(f"no function {path}")
        return self.functions[path](*args, **(kwargs or {}))

    def get_row(self, model, pk):
        return self.orders.getByPK(pk)

    @contextmanager
    def transaction(self):
        with units.write(self.engine) as conn:
            yield conn

    def record(self, element, element_type, operate, payload, call):
        entry = {"element": element, "type": element_type, "operate": operate, "input": payload}
        self.records.append(entry)
        try:
            entry["output"] = call()
            entry["status"] = "success"
            return entry["output"]
        except Exception as exc:
            entry["status"], entry["error"] = "fail", str(exc)
            raise

    @contextmanager
    def step(self, kind, title, **info):
        self.steps.append((kind, title))
        yield

    def fired(self) -> list[str]:
        return [name for name, _, _ in self.calls]
