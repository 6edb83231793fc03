"""+ Approval workflow: name, title, the model it approves and the approvers of its approval node."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from ...project import create_workflow
from ...project.rules import workflow_findings
from ._element_base import ElementWizard
from ..widgets.forms import fill_combo


class NewWorkflowWizard(ElementWizard):
    family, noun, example = "workflows", "approval workflow", "PurchaseApproval"
    intro = "An approval workflow over a model's rows: submit, approve, end. Edit its nodes on its page."

    def build(self) -> None:
        self.model = QComboBox(objectName="dataModel")
        fill_combo(self.model, [(m.full_name, f"{m.title}  ({m.full_name})") for m in self.project.models])
        self.approvers = QLineEdit(objectName="approvers", placeholderText="user names, comma separated")
        self.add_row("Data model", self.model)
        self.add_row("Approvers", self.approvers)

    def errors(self) -> list[str]:
        return [f.for_form() for f in workflow_findings(self.model.currentData())]

    def create(self, name: str, title: str | None) -> str:
        approvers = [a.strip() for a in self.approvers.text().split(",") if a.strip()]
        return create_workflow(self.project.root, name, title=title, data_model=self.model.currentData(), approvers=approvers)
