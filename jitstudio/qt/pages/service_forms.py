"""Forms that extend an existing service from its page: a function (functionList entry and method together) and
a declared event (eventDescs). What they may hold is `jitstudio.project.service_edits`' to say; a form shows its
problems as you type and stays open with the reason when the write is refused."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from ...project import ServiceElement
from ...project.pysource import DATATYPES
from ...project.service_edits import RETURN_TYPES, event_desc_problems, function_problems, new_entry
from ..widgets.forms import form_layout, hint, row_label
from ..wizards._table import RowsTable

# A form's submit writes what it holds and returns why it could not, or None when it did.
Submit = Callable[[dict], "str | None"]
YES_NO = ["yes", "no"]


class _EntryForm(QDialog):
    """Rows over an error line and OK/Cancel; OK runs `submit` and closes only when it succeeded. Until a name is
    typed, OK is off without saying why."""

    name_field = ""

    def __init__(self, heading: str, intro: str, ok_text: str, submit: Submit, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.setMinimumWidth(640)
        self.submit = submit
        self.form = form_layout()
        self.message = QLabel(objectName="error", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(QLabel(heading, objectName="pageTitle"))
        layout.addWidget(hint(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(row_label(label), widget)
        return widget

    def value(self) -> dict:
        return {}

    def problems(self) -> list[str]:
        return []

    def validate(self, *_args) -> bool:
        problems = self.problems()
        name_edit = self.findChild(QLineEdit, self.name_field)
        name_given = bool(name_edit and name_edit.text().strip())
        self.message.setText("\n".join(p for p in problems if name_given or not p.startswith("Name:")))
        self.ok_button.setEnabled(not problems)
        return not problems

    def confirm(self) -> None:
        if not self.validate():
            return
        reason = self.submit(self.value())
        if reason:
            self.message.setText(reason)
            return
        self.accept()


class FunctionForm(_EntryForm):
    """Name, title, parameters (name, title, data type, required), return type and description of one function.

    `entry` is the functionList entry to edit (None for a new function); `fixed_name` keeps the name as it is
    (declaring a method that service.py already has)."""

    name_field = "functionName"

    def __init__(self, service: ServiceElement, submit: Submit, entry: dict | None = None, *,
                 fixed_name: str | None = None, parent: QWidget | None = None):
        old_name = (entry or {}).get("name")
        if fixed_name:
            heading, ok_text = f"Add {fixed_name} to functionList", "Add to functionList"
            intro = f"Declares the method {fixed_name} of service.py, so that events, agents and the API can call it."
        elif entry is None:
            heading, ok_text = f"New function of {service.name}", "Add function"
            intro = "Adds the function to functionList and its method to service.py, together."
        else:
            heading, ok_text = f"Function {old_name}", "Save"
            intro = ("Renaming also renames the method in service.py and the events, agents and assistants that "
                     "name it; its parameters follow the method's when they matched.")
        super().__init__(heading, intro, ok_text, submit, parent)
        self.service, self.old_name = service, old_name
        self.own_name = old_name or fixed_name  # the name that is no duplicate of itself
        self.setObjectName("functionForm")
        self.name_edit = QLineEdit(objectName="functionName", placeholderText="e.g. shipOrder")
        self.title_edit = QLineEdit(objectName="functionTitle", placeholderText="defaults to the name")
        self.args = RowsTable([("name", "Parameter", None), ("title", "Title", None), ("dataType", "Data type", list(DATATYPES)),
                               ("required", "Required", YES_NO)], add_text="Add parameter")
        self.args.setObjectName("functionArgs")
        self.return_type = QComboBox(objectName="returnType")
        self.return_type.addItems(list(RETURN_TYPES))
        self.desc_edit = QLineEdit(objectName="functionDesc", placeholderText="what it does (agents read this)")
        self.add_row("Name", self.name_edit)
        self.add_row("Title", self.title_edit)
        self.add_row("Parameters", self.args)
        self.add_row("Returns", self.return_type)
        self.add_row("Description", self.desc_edit)
        source = dict(entry or {})
        if fixed_name:
            method = service.methods.get(fixed_name)
            source = {"name": fixed_name, "args": [{"name": p, "title": p, "dataType": "Stext", "required": True}
                                                   for p in (method.params if method else [])]}
        self.name_edit.setText(str(source.get("name") or ""))
        self.name_edit.setReadOnly(bool(fixed_name))
        self.title_edit.setText(str(source.get("title") or ""))
        for arg in source.get("args") or []:
            self.args.add_row({"name": arg.get("name", ""), "title": arg.get("title", ""),
                               "dataType": arg.get("dataType") or "Stext", "required": "yes" if arg.get("required") else "no"})
        self.return_type.setCurrentText(str(source.get("returnType") or "None"))
        self.desc_edit.setText(str(source.get("desc") or ""))
        self._entry_keys = set(source)
        for signal in (self.name_edit.textChanged, self.title_edit.textChanged, self.desc_edit.textChanged,
                       self.args.sig_changed, self.return_type.currentIndexChanged):
            signal.connect(self.validate)
        self.validate()

    def value(self) -> dict:
        args = [{"name": r["name"], "title": r["title"], "dataType": r["dataType"], "required": r["required"] == "yes"}
                for r in self.args.rows()]
        entry = new_entry(self.name_edit.text().strip(), self.title_edit.text(), args, self.return_type.currentText(),
                          self.desc_edit.text())
        if self.old_name is not None and "returnType" not in self._entry_keys and entry["returnType"] == "None":
            del entry["returnType"]  # an entry that never said keeps not saying
        return entry

    def problems(self) -> list[str]:
        return function_problems(self.service, self.value(), old_name=self.own_name)


class EventDescForm(_EntryForm):
    """Name, title and description of one event the service declares (and publishes)."""

    name_field = "eventName"

    def __init__(self, service: ServiceElement, submit: Submit, desc: dict | None = None, parent: QWidget | None = None):
        old_name = (desc or {}).get("name")
        if desc is None:
            heading, ok_text = f"New event of {service.name}", "Declare event"
        else:
            heading, ok_text = f"Event {old_name}", "Save"
        intro = (f"Custom events subscribe to it as {service.full_name}.<name>; publish it from a function with "
                 f"app.event.publish(sender=\"{service.full_name}.<name>\", args=(...,)).")
        super().__init__(heading, intro, ok_text, submit, parent)
        self.service, self.old_name = service, old_name
        self.setObjectName("eventDescForm")
        self.name_edit = QLineEdit(objectName="eventName", placeholderText="e.g. orderShipped")
        self.title_edit = QLineEdit(objectName="eventTitle")
        self.desc_edit = QLineEdit(objectName="eventDesc", placeholderText="when it is published, and with what")
        self.add_row("Name", self.name_edit)
        self.add_row("Title", self.title_edit)
        self.add_row("Description", self.desc_edit)
        self.name_edit.setText(str((desc or {}).get("name") or ""))
        self.title_edit.setText(str((desc or {}).get("title") or ""))
        self.desc_edit.setText(str((desc or {}).get("desc") or ""))
        for edit in (self.name_edit, self.title_edit, self.desc_edit):
            edit.textChanged.connect(self.validate)
        self.validate()

    def value(self) -> dict:
        return {"name": self.name_edit.text().strip(), "title": self.title_edit.text().strip(),
                "desc": self.desc_edit.text().strip()}

    def problems(self) -> list[str]:
        return event_desc_problems(self.service, self.value(), old_name=self.old_name)
