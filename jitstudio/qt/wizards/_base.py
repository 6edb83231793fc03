"""The shape every "New … event" wizard shares: name and title, the kind's trigger form, the execution
function and sync/async, inline validation with Finish disabled until the input is valid. What is valid is the
project's to say (`jitstudio.project.rules`); the wizard shows it."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...project import EventDraft, OperationError, Project, create_event_from, event_draft_problems
from ...project.pysource import MethodInfo
from ..widgets.forms import AsyncChoice, FunctionChooser, form_layout, hint, row_label
from ._dialog import WizardDialog


class TriggerForm(QWidget):
    """What an event of one kind subscribes to: the e.json keys beyond title/func/async/enable."""

    kind = ""
    title = ""
    intro = ""
    fit_rule = "one parameter such as eventOutData, or *args"
    sig_changed = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.form = form_layout(self)
        self.form.setContentsMargins(0, 0, 0, 0)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        if isinstance(widget, QComboBox):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(16)
        self.form.addRow(row_label(label), widget)
        return widget

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    def set_project(self, project: Project) -> None:
        self.project = project

    def load(self, data: dict) -> None:
        """Show the values of an existing e.json."""

    def keys(self) -> dict:
        return {}

    def draft(self, **common) -> EventDraft:
        """The event as the form and `common` (title, function, async, name) hold it."""
        return EventDraft(self.kind, self.keys(), **common)

    def unfinished(self) -> list[str]:
        """Input a widget cannot turn into a value yet (a filter row without its value)."""
        return []

    def fits(self, method: MethodInfo) -> bool:
        return method.has_var_args or len(method.params) == 1


class EventWizard(WizardDialog):
    """One dialog per event kind; `created` holds the new event's fullName after Finish."""

    form_class: type[TriggerForm] = TriggerForm

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.created: str | None = None
        form = self.form = self.form_class(project)
        self.setWindowTitle(f"New {form.title}")
        self.setObjectName(f"wizard_{form.kind}")
        self.setMinimumWidth(640)

        heading = QLabel(f"New {form.title}", objectName="pageTitle")
        intro = hint(form.intro)
        self.name = QLineEdit(objectName="eventName", placeholderText="e.g. OrderPaidNotify")
        self.title_edit = QLineEdit(objectName="eventTitle", placeholderText="shown in the element tree (defaults to the name)")
        top = form_layout()
        top.addRow(row_label("Event name"), self.name)
        top.addRow(row_label("Title"), self.title_edit)
        self.function = FunctionChooser()
        self.execution = AsyncChoice()
        bottom = form_layout()
        bottom.addRow(row_label("Execution function"), self.function)
        bottom.addRow(row_label("Execution"), self.execution)
        self.message = QLabel(objectName="error", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.finish = self.buttons.addButton("Finish", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finish.setObjectName("finishButton")
        self.buttons.accepted.connect(self._finish)
        self.buttons.rejected.connect(self.reject)

        line = QFrame(frameShape=QFrame.Shape.HLine, frameShadow=QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(line)
        layout.addWidget(self.scrolled_body(top, form, bottom), 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.make_finish_the_default()

        self.function.set_project(project, form.fits, form.fit_rule)  # a new event runs its inner function
        form.sig_changed.connect(lambda: self.function.set_project(project, form.fits, form.fit_rule))
        for signal in (self.name.textChanged, self.title_edit.textChanged, form.sig_changed, self.function.sig_changed, self.execution.sig_changed):
            signal.connect(self.validate)
        self.validate()

    def draft(self) -> EventDraft:
        return self.form.draft(name=self.name.text().strip(), title=self.title_edit.text(), inner=self.function.is_inner(),
                               func=self.function.func(), is_async=self.execution.is_async())

    def problems(self) -> list[str]:
        return event_draft_problems(self.project, self.draft()) + self.form.unfinished()

    def validate(self) -> bool:
        problems = self.problems()
        # an empty name is the starting state, not something to shout about
        shown = [p for p in problems if p != "Event name: give a name"]
        self.message.setText("\n".join(shown))
        self.finish.setEnabled(not problems)
        return not problems

    def _finish(self) -> None:
        if not self.validate():
            return
        try:
            self.created = create_event_from(self.project, self.draft())
        except (OperationError, OSError) as exc:
            self.message.setText(str(exc))
            return
        self.accept()
