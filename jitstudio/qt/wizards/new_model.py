"""+ Model: name, title and a fields table (id, createdAt and updatedAt are added for you)."""
from __future__ import annotations

import keyword

from ...project import create_model
from ...project.pysource import DATATYPES, NOT_FIELD_TYPES, RESERVED_FIELD_NAMES
from ._element_base import ElementWizard
from ._table import RowsTable

FIELD_TYPES = [t for t in DATATYPES if t not in NOT_FIELD_TYPES]
STANDARD = ("id", "createdAt", "updatedAt")


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
        seen = set()
        for row in self.fields.rows():
            name = row["name"]
            if not name:
                return ["Fields: every field needs a name."]
            if not name.isidentifier() or keyword.iskeyword(name):
                return [f"Fields: '{name}' is not a valid field name."]
            if name in RESERVED_FIELD_NAMES or name in STANDARD:
                return [f"Fields: '{name}' is reserved" + (" (added for you)." if name in STANDARD else ".")]
            if name in seen:
                return [f"Fields: '{name}' appears twice."]
            seen.add(name)
        return []

    def create(self, name: str, title: str | None) -> str:
        fields = [{"name": r["name"], "title": r["title"] or r["name"], "datatype": r["datatype"]} for r in self.fields.rows()]
        return create_model(self.project.root, name, title=title, fields=fields)
