"""+ Service: name, title, its functions (name, title, parameters) and the events it declares (eventDescs)."""
from __future__ import annotations

from ...project import create_service
from ._element_base import ElementWizard
from ._table import RowsTable


def _params(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


class NewServiceWizard(ElementWizard):
    family, noun, example = "services", "service", "BillingSvc"
    intro = "A service: functions other elements call, and the custom events it publishes."

    def build(self) -> None:
        self.functions = RowsTable([("name", "Function", None), ("title", "Title", None), ("args", "Parameters (comma separated)", None)],
                                   add_text="Add function")
        self.functions.setObjectName("serviceFunctions")
        self.events = RowsTable([("name", "Event name", None), ("title", "Title", None), ("desc", "Description", None)],
                                add_text="Declare event")
        self.events.setObjectName("eventDescs")
        for table in (self.functions, self.events):
            table.sig_changed.connect(self.validate)
        self.add_row("Functions", self.functions)
        self.add_row("Declared events", self.events)

    def errors(self) -> list[str]:
        names = set()
        for row in self.functions.rows():
            if not row["name"].isidentifier():
                return [f"Functions: '{row['name']}' is not a valid function name."]
            if row["name"] in names:
                return [f"Functions: '{row['name']}' appears twice."]
            names.add(row["name"])
            bad = [p for p in _params(row["args"]) if not p.isidentifier()]
            if bad:
                return [f"Functions: parameter '{bad[0]}' of {row['name']} is not a valid name."]
        events = set()
        for row in self.events.rows():
            if not row["name"].isidentifier():
                return [f"Declared events: '{row['name']}' is not a valid event name."]
            if row["name"] in events:
                return [f"Declared events: '{row['name']}' is declared twice."]
            events.add(row["name"])
        return []

    def create(self, name: str, title: str | None) -> str:
        functions = [{"name": r["name"], "title": r["title"] or r["name"],
                      "args": [{"name": p, "title": p, "dataType": "Stext"} for p in _params(r["args"])]}
                     for r in self.functions.rows()]
        events = [{"name": r["name"], "title": r["title"] or r["name"], **({"desc": r["desc"]} if r["desc"] else {})}
                  for r in self.events.rows()]
        return create_service(self.project.root, name, title=title, functions=functions, event_descs=events)
