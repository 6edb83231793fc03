"""New custom event: subscribe to an event a service declares in its eventDescs."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from ...project import Project
from ...project.pysource import MethodInfo
from ._base import EventWizard, TriggerForm
from ..widgets.forms import fill_combo, hint, select_data


class CustomTriggerForm(TriggerForm):
    kind = "normal"
    title = "custom event"
    intro = "Runs a function when a service publishes one of its declared events (JitEvent.publish)."
    fit_rule = "*args, or one parameter for the published value"

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.declared = QComboBox(objectName="declaredEvent")
        self.declared.setMinimumContentsLength(30)
        self.description = hint()
        self.add_row("Declared event", self.declared)
        self.add_row("", self.description)
        self.set_project(project)
        self.declared.currentIndexChanged.connect(self._changed)
        self._changed()

    def _declared(self) -> list[tuple[str, str, str]]:
        found = []
        for service in self.project.services:
            for desc in service.spec.eventDescs if service.spec else []:
                found.append((f"{service.full_name}.{desc.name}", f"{desc.title}  ({service.name}.{desc.name})", desc.desc or ""))
        return found

    def set_project(self, project: Project) -> None:
        super().set_project(project)
        fill_combo(self.declared, [(sender, text) for sender, text, _ in self._declared()])

    def _changed(self, *_args) -> None:
        sender = self.declared.currentData()
        desc = next((d for s, _, d in self._declared() if s == sender), "")
        self.description.setText(f"sender {sender}" + (f" — {desc}" if desc else "") if sender else "")
        self.sig_changed.emit()

    def fits(self, method: MethodInfo) -> bool:
        return method.has_var_args or len(method.params) == 1

    def load(self, data: dict) -> None:
        if not select_data(self.declared, data.get("sender")) and data.get("sender"):
            self.declared.addItem(f"{data['sender']} (not declared)", data["sender"])
            self.declared.setCurrentIndex(self.declared.count() - 1)
        self._changed()

    def keys(self) -> dict:
        return {"sender": self.declared.currentData()}


class CustomEventWizard(EventWizard):
    form_class = CustomTriggerForm
