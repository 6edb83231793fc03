"""+ Model: name, title and a fields table (id, createdAt and updatedAt are added for you)."""
from __future__ import annotations

from ...project import create_model
from ...project.pysource import DATATYPES, NOT_FIELD_TYPES
from ...project.rules import model_field_findings
from ._element_base import ElementWizard
from ._table import RowsTable

FIELD_TYPES = [t for t in DATATYPES if t not in NOT_FIELD_TYPES]


class NewModelWizard(ElementWizard):
    family, noun, example = "models", "model", "Invoice"
    intro = "A data model: a table of rows. Its fields become class attributes in model.py."

    def build(self) -> None:
        self.fields = RowsTable([("name", "Field name", None), ("title", "Title", None), ("datatype", "Type", FIELD_TYPES)],
                                add_text="Add field")
        self.fields.setObjectName("modelFields")
        self.fields.sig_changed.connect(self.validate)
        self.add_row("Fields", self.fields)

    def errors(self) -> list[str]:
        return [f.for_form() for f in model_field_findings(self.fields.rows())]

    def create(self, name: str, title: str | None) -> str:
        fields = [{"name": r["name"], "title": r["title"] or r["name"], "datatype": r["datatype"]} for r in self.fields.rows()]
        return create_model(self.project.root, name, title=title, fields=fields)
