"""The shape of the `+` Model / Service / Approval workflow / AI agent / AI assistant dialogs."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...project import OperationError, Project, check_name
from ..widgets.forms import form_layout, hint, row_label
from ._dialog import WizardDialog


class ElementWizard(WizardDialog):
    """The dialog every "+ element" form shares: name, title, the element's own rows, validation as you type.

    Each kind subclasses it with `build()` (its rows), `errors()` (its own checks) and
    `create(name, title) -> fullName`, which writes the element through `jitstudio.project.operations`."""

    family = ""
    noun = ""
    intro = ""
    example = ""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.created: str | None = None
        self.setWindowTitle(f"New {self.noun}")
        self.setObjectName(f"wizard_{self.family}")
        self.setMinimumWidth(600)
        self.name = QLineEdit(objectName="elementName", placeholderText=f"e.g. {self.example}")
        self.title_edit = QLineEdit(objectName="elementTitle", placeholderText="defaults to the name")
        self.form = form_layout()
        self.form.addRow(row_label("Name"), self.name)
        self.form.addRow(row_label("Title"), self.title_edit)
        self.message = QLabel(objectName="error", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.finish = self.buttons.addButton("Finish", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finish.setObjectName("finishButton")
        self.buttons.accepted.connect(self._finish)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(QLabel(f"New {self.noun}", objectName="pageTitle"))
        layout.addWidget(hint(self.intro))
        layout.addWidget(QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken))
        layout.addWidget(self.scrolled_body(self.form), 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.build()
        self.make_finish_the_default()
        self.name.textChanged.connect(self.validate)
        self.validate()

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(row_label(label), widget)
        return widget

    def build(self) -> None:
        """Add the element's own rows."""

    def errors(self) -> list[str]:
        return []

    def problems(self) -> list[str]:
        reason = check_name(self.project.root, self.family, self.name.text().strip())
        return (["Name: " + reason] if reason else []) + self.errors()

    def validate(self, *_args) -> bool:
        problems = self.problems()
        self.message.setText("\n".join(p for p in problems if p != "Name: give a name"))
        self.finish.setEnabled(not problems)
        return not problems

    def _finish(self) -> None:
        if not self.validate():
            return
        try:
            self.created = self.create(self.name.text().strip(), self.title_edit.text().strip() or None)
        except (OperationError, OSError) as exc:
            self.message.setText(str(exc))
            return
        self.accept()
