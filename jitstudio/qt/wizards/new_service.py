"""+ Service: name, title, its functions (name, title, parameters) and the events it declares (eventDescs)."""
from __future__ import annotations

from ...project import create_service
from ...project.rules import service_findings
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

    def _lists(self) -> tuple[list[dict], list[dict]]:
        functions = [{"name": r["name"], "title": r["title"] or r["name"],
                      "args": [{"name": p, "title": p, "dataType": "Stext"} for p in _params(r["args"])]}
                     for r in self.functions.rows()]
        events = [{"name": r["name"], "title": r["title"] or r["name"], **({"desc": r["desc"]} if r["desc"] else {})}
                  for r in self.events.rows()]
        return functions, events

    def errors(self) -> list[str]:
        return [f.for_form() for f in service_findings(*self._lists())]

    def create(self, name: str, title: str | None) -> str:
        functions, events = self._lists()
        return create_service(self.project.root, name, title=title, functions=functions, event_descs=events)
