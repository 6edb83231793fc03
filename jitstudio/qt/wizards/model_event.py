"""New model event: target model, the seven timings, trigger fields, filter conditions."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QRadioButton, QVBoxLayout, QWidget

from ...project import EventDraft, Project
from ...project.schemas import MODEL_OPERATE_LABELS, MODEL_OPERATES
from ._base import EventWizard, TriggerForm
from ..widgets.forms import CheckList, fill_combo, hint, select_data
from .qbuilder import QtFilterBuilder


class ModelTriggerForm(TriggerForm):
    kind = "model"
    title = "model event"
    intro = "Runs a function when rows of a model are created, updated or deleted."

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.model = QComboBox(objectName="targetModel")
        self.operate = QComboBox(objectName="timing")
        for op in MODEL_OPERATES:
            self.operate.addItem(f"{MODEL_OPERATE_LABELS[op]}  ({op})", op)
        self.operate.setCurrentIndex(MODEL_OPERATES.index("AddAfter"))
        self.all_fields = QRadioButton("All fields", objectName="allFields", checked=True)
        self.some_fields = QRadioButton("Specific fields", objectName="someFields")
        group = QButtonGroup(self)
        group.addButton(self.all_fields)
        group.addButton(self.some_fields)
        self.fields = CheckList(rows=5)
        self.fields.setObjectName("triggerFields")
        fields_box = QWidget()
        radios = QHBoxLayout()
        radios.setContentsMargins(0, 0, 0, 0)
        radios.addWidget(self.all_fields)
        radios.addWidget(self.some_fields)
        radios.addStretch(1)
        box = QVBoxLayout(fields_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(radios)
        box.addWidget(self.fields)
        self.filter = QtFilterBuilder()
        self.add_row("Target model", self.model)
        self.add_row("Trigger timing", self.operate)
        self.timing_hint = self.add_row("", hint())
        self.add_row("Trigger fields", fields_box)
        self.add_row("Filter conditions", self.filter)
        self.set_project(project)
        self.model.currentIndexChanged.connect(self._model_changed)
        self.operate.currentIndexChanged.connect(self._timing_changed)
        group.buttonToggled.connect(self._fields_mode)
        self.fields.sig_changed.connect(self.sig_changed)
        self.filter.sig_changed.connect(self.sig_changed)
        self._fields_mode()
        self._timing_changed()

    def set_project(self, project: Project) -> None:
        super().set_project(project)
        fill_combo(self.model, [(m.full_name, f"{m.title}  ({m.full_name})") for m in project.models])
        self._model_changed(emit=False)

    def _model(self):
        return self.project.get(self.model.currentData() or "")

    def _model_changed(self, *_args, emit: bool = True) -> None:
        model = self._model()
        names = model.field_names if model else []
        labels = [(f.name, f"{f.title}  ({f.name})" if f.title != f.name else f.name) for f in model.fields] if model else []
        self.fields.set_items(labels)
        self.filter.set_fields(names)
        if emit:
            self.sig_changed.emit()

    def _fields_mode(self, *_args) -> None:
        self.fields.setEnabled(self.some_fields.isChecked())
        self.sig_changed.emit()

    def _timing_changed(self, *_args) -> None:
        op = self.operate.currentData()
        text = {"Before": "Runs before the write, inside its transaction: it can fill fields, and raising stops the write.",
                "After": "Runs after the write; with synchronous execution a failure rolls the write back."}
        self.timing_hint.setText(text["Before" if op.endswith("Before") else "After"])
        self.sig_changed.emit()

    def load(self, data: dict) -> None:
        select_data(self.model, data.get("sender"))
        self._model_changed(emit=False)
        select_data(self.operate, data.get("operate"))
        fields = data.get("fields") or []
        (self.some_fields if fields else self.all_fields).setChecked(True)
        self.fields.set_checked(fields)
        self.filter.set_text(data.get("filter") or "")

    def keys(self) -> dict:
        return {
            "sender": self.model.currentData(),
            "operate": self.operate.currentData(),
            "fields": self.fields.checked() if self.some_fields.isChecked() else [],
            "filter": self.filter.text(),
        }

    def draft(self, **common) -> EventDraft:
        return EventDraft(self.kind, self.keys(), some_fields=self.some_fields.isChecked(), **common)

    def unfinished(self) -> list[str]:
        row = self.filter.unfinished()
        return [f"Filter conditions: {row}"] if row else []


class ModelEventWizard(EventWizard):
    form_class = ModelTriggerForm
