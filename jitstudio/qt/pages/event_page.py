"""QtEventPage: an event's header (title, fullName, type, enable and async switches, Execution records,
Test run), its trigger form editable in place, and its execution function: an inner function in the function
editor (cards or code), a service function shown read-only with a way to open it on its service's page."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSplitter, QStackedWidget, QToolButton, QVBoxLayout,
    QWidget,
)

from ...project import (
    EventDraft, EventElement, ModelElement, OperationError, Project, event_draft_problems, set_async, set_enable,
    update_event,
)
from ...project.elements import EVENT_KIND_TITLES
from ...project.files import TextFile
from ...project.pysource import function_source
from ...project.rules import async_problem
from ...project.templates import inner_py
from ..funceditor import QtFunctionEditor
from ..icons import icon
from ..widgets.code_editor import CodeEditor, Marker
from ..widgets.forms import FunctionChooser, form_layout, row_label
from ..widgets.toggle import ToggleSwitch
from ..wizards import TRIGGER_FORMS
from ._compact import labels_above
from .base import QtPage
from .header import ElidingLabel, PageHeader
from .payloads import row_payload, sample_payload
from .test_run import QtTestRunPanel


def _section(title: str) -> QLabel:
    return QLabel(title, objectName="sectionTitle")


class QtEventPage(QtPage):
    sig_open_records = Signal(str)
    sig_open_record = Signal(str, int)  # the event's fullName, an execution record's id
    sig_open_element = Signal(str)
    sig_open_function = Signal(str, str)
    sig_runner_started = Signal(object, str)

    icon_name = "event"
    capabilities = frozenset({"open-element", "open-function", "records", "test-run", "runner"})

    def __init__(self, project: Project, full_name: str, parent: QWidget | None = None):
        super().__init__(full_name, parent)
        self.project = project
        event = self.event = project.get(full_name)
        kind_title = EVENT_KIND_TITLES.get(event.kind, "Event").rstrip("s")
        self.header = PageHeader(icon("event"), event.title, f"{full_name}  ·  {kind_title}  ·  {event.type}")
        self.enable_switch = ToggleSwitch("Enabled")
        self.enable_switch.setObjectName("enableSwitch")
        self.async_switch = ToggleSwitch("Async")
        self.async_switch.setObjectName("asyncSwitch")
        self.enable_switch.setToolTip(
            "Enabled: the runtime fires this event when its trigger happens.\n"
            "Off: the trigger is ignored (a new event starts off). Written to e.json at once.")
        self.async_switch.setToolTip(
            "Async: the function runs on a worker after the triggering operation commits; a failure is recorded "
            "but never undoes the operation.\nOff (synchronous): it runs inside the operation, and raising stops "
            "or rolls back the operation. Written to e.json at once.")
        self.records_button = QPushButton(icon("records"), "Execution records", objectName="recordsButton")
        self.test_button = QPushButton(icon("play"), "Test run", objectName="testRunButton")
        for widget in (self.enable_switch, self.async_switch):
            self.header.add(widget)
        self.header.add_separator()
        self.header.add(self.records_button)
        self.header.add(self.test_button)

        self.title_edit = QLineEdit(objectName="eventTitle")
        self.form = TRIGGER_FORMS[event.kind](project)
        self.function = FunctionChooser()
        self.save_button = QPushButton("Save", objectName="saveButton", enabled=False)
        self.revert_button = QPushButton("Revert", enabled=False)
        self.status = QLabel(objectName="hint", wordWrap=True)
        top = form_layout()
        top.addRow(row_label("Title"), self.title_edit)
        bottom = form_layout()
        bottom.addRow(row_label("Execution function"), self.function)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 10, 12, 10)
        left_layout.addWidget(_section("Trigger"))
        left_layout.addLayout(top)
        left_layout.addWidget(self.form)
        left_layout.addLayout(bottom)
        left_layout.addStretch(1)
        self.trigger_pane = QScrollArea(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        self.trigger_pane.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.trigger_pane.setWidget(left)
        labels_above(left)
        self.trigger_pane.setMinimumWidth(left.minimumSizeHint().width() + self.trigger_pane.verticalScrollBar().sizeHint().width())

        self.editor = CodeEditor()
        self.editor.setObjectName("serviceMethodView")
        self.editor.setReadOnly(True)
        self.function_editor: QtFunctionEditor | None = None
        self.code_stack = QStackedWidget()
        self.code_stack.addWidget(self.editor)
        self.trigger_button = QToolButton(objectName="triggerToggle", checkable=True, checked=True, autoRaise=True)
        self.trigger_button.toggled.connect(self._show_trigger)
        self.code_title = _section("Execution function")
        self.code_note = ElidingLabel(objectName="hint")
        self.open_service_button = QPushButton(icon("service"), "Open service")
        self.open_service_button.clicked.connect(self._open_service)
        code_head = QHBoxLayout()
        code_head.addWidget(self.trigger_button)
        code_head.addWidget(self.code_title)
        code_head.addWidget(self.code_note, 1)
        code_head.addWidget(self.open_service_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 10, 12, 6)
        right_layout.addLayout(code_head)
        right_layout.addWidget(self.code_stack, 1)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.trigger_pane)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([340, 760])
        self.test_panel = QtTestRunPanel(project.root, full_name)
        self.test_panel.setObjectName("testPanel")
        self.test_panel.hide()
        self.vsplit = QSplitter(Qt.Orientation.Vertical)
        self.vsplit.addWidget(self.split)
        self.vsplit.addWidget(self.test_panel)
        self.vsplit.setStretchFactor(0, 3)
        self.vsplit.setStretchFactor(1, 2)
        actions = QHBoxLayout()
        actions.setContentsMargins(16, 6, 12, 8)
        actions.addWidget(self.status, 1)
        self.header.add_at_end(self.revert_button)
        self.header.add_at_end(self.save_button)
        self.outer.addWidget(self.header)
        self.outer.addWidget(self.vsplit, 1)
        self.outer.addLayout(actions)

        self._baseline = None
        self._disk = ("", "")
        self._show_trigger(True)
        self.reload_from_disk(project)

        self.enable_switch.toggled.connect(self._toggle_enable)
        self.async_switch.toggled.connect(self._toggle_async)
        self.records_button.clicked.connect(lambda: self.sig_open_records.emit(self.key))
        self.test_button.clicked.connect(self.show_test_run)
        self.test_panel.sig_runner_started.connect(self.sig_runner_started)
        self.test_panel.sig_open_record.connect(lambda record_id: self.sig_open_record.emit(self.key, record_id))
        self.test_panel.sig_open_event_record.connect(self.sig_open_record)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        for signal in (self.title_edit.textChanged, self.form.sig_changed, self.function.sig_changed):
            signal.connect(self._form_edited)
        self.form.sig_changed.connect(self._refresh_functions)
        self.function.sig_changed.connect(self._show_function)

    # -- loading
    def _data(self) -> dict:
        doc = self.event.ejson.doc
        return dict(doc.data) if doc is not None and isinstance(doc.data, dict) else {}

    def _disk_texts(self) -> tuple[str, str]:
        inner = self.event.inner_path
        ejson = self.event.ejson.path
        return (TextFile.read(ejson).text if ejson.is_file() else "", TextFile.read(inner).text if inner.is_file() else "")

    def reload_from_disk(self, project: Project | None = None) -> None:
        super().reload_from_disk(project)
        if project is not None:
            self.project = project
            event = project.get(self.key)
            if not isinstance(event, EventElement) or event.event_spec is None and event.ejson.doc is None:
                self.status.setText("This event no longer exists on disk or its e.json does not parse; see Problems.")
                return
            self.event = event
        data = self._data()
        self.form.set_project(self.project)
        widgets = (self.title_edit, self.form, self.function, self.enable_switch, self.async_switch)
        blocked = [w.blockSignals(True) for w in widgets]
        self.title_edit.setText(str(data.get("title", "")))
        self.header.title_label.setText(self.event.title)
        self.form.load(data)
        self._refresh_functions()
        spec = self.event.event_spec
        self.function.set_service(None if spec is None or spec.is_inner else spec.func)
        self.enable_switch.set_checked_quietly(bool(data.get("enable", 1)))
        self.async_switch.set_checked_quietly(bool(data.get("asyncType", False)))
        for widget, was in zip(widgets, blocked):
            widget.blockSignals(was)
        self._disk = self._disk_texts()
        if self.function_editor is not None:
            self._reload_function_editor()
        self._show_function()
        self._baseline = self._form_state()
        self._update_dirty()
        self._show_problems()

    def _refresh_functions(self) -> None:
        self.function.set_project(self.project, self.form.fits, self.form.fit_rule)

    def _show_function(self) -> None:
        """Follow the chooser: the inner function in the function editor, or the service method read-only."""
        if self.function.is_inner():
            self.code_title.setText("Execution function")
            self.code_note.setText("customFunc in inner.py runs when the event fires.")
            self.open_service_button.hide()
            self._show_function_editor()
            return
        self.code_stack.setCurrentWidget(self.editor)
        func = self.function.func() or ""
        service, _declared, method = self.project.service_function(func)
        self.code_title.setText(f"Execution function — {func.rpartition('.')[2] or 'none'}")
        self.open_service_button.setVisible(service is not None)
        source = None
        if method is not None and service is not None:
            text = TextFile.read(service.directory / "service.py").text
            source = function_source(text, f"{service.source.class_name}.{method.name}")
        if source is not None:
            self.code_note.setText(f"A function of {service.name}: edit it on the service's page.")
            self.editor.set_text(source)
        else:
            self.code_note.setText("")
            self.editor.set_text(f"# {func or 'No service function'} does not exist; see Problems.\n")

    def _model_fields(self) -> list[str]:
        sender = self.project.get(str(self._data().get("sender") or ""))
        return sender.field_names if isinstance(sender, ModelElement) else []

    def _show_function_editor(self) -> None:
        if self.function_editor is None:
            editor = self.function_editor = QtFunctionEditor(
                self.project, self.event.inner_path, event_kind=self.event.event_type, model_fields=self._model_fields(),
                default_text=inner_py(self.event.kind or "normal", self.event.title))
            editor.setObjectName("innerFunctionEditor")
            editor.save_button.hide()
            editor.sig_dirty_changed.connect(lambda _dirty: self._update_dirty())
            self.code_stack.addWidget(editor)
        self.code_stack.setCurrentWidget(self.function_editor)

    def _reload_function_editor(self) -> None:
        editor = self.function_editor
        editor.set_project(self.project, self.event.event_type, self._model_fields())
        if not editor.is_dirty() and self.event.inner_path.is_file() and editor.text() != self._disk[1]:
            editor.reload_from_disk()

    def _inner_editor(self) -> QtFunctionEditor | None:
        """The function editor when the event runs its inner function, else None."""
        return self.function_editor if self.function.is_inner() else None

    def _show_problems(self) -> None:
        inner_rel = self.event.rel(self.event.inner_path)
        if self.function_editor is not None:
            # the editor marks syntax errors in what is typed; the project's other checks come from the disk
            self.function_editor.set_extra_markers([Marker(p.line, p.message, p.severity, p.col) for p in self.project.problems
                                                    if p.path == inner_rel and not p.message.startswith("invalid Python")])
        others = [p for p in self.project.problems if p.path == self.event.rel(self.event.ejson.path)]
        if others:
            self.status.setText("⚠ " + "; ".join(p.message for p in others[:2]))

    def _show_trigger(self, shown: bool) -> None:
        self.trigger_pane.setVisible(shown)
        self.trigger_button.setArrowType(Qt.ArrowType.LeftArrow if shown else Qt.ArrowType.RightArrow)
        self.trigger_button.setToolTip("Hide the trigger form" if shown else "Show the trigger form")

    # -- edits
    def _form_state(self):
        # an agent event's tool switches live in the agent's config.json, not in keys()
        return (self.title_edit.text(), self.form.keys(), self.function.is_inner(), self.function.func(),
                self.form.draft().tool)

    def _form_edited(self, *_args) -> None:
        self._update_dirty()
        problems = self._problems()
        self.status.setObjectName("error" if problems else "hint")
        self.status.setText("\n".join(problems))
        self.status.style().polish(self.status)

    def _draft(self) -> EventDraft:
        return self.form.draft(title=self.title_edit.text(), inner=self.function.is_inner(), func=self.function.func(),
                               is_async=self.async_switch.isChecked())

    def _problems(self) -> list[str]:
        return event_draft_problems(self.project, self._draft()) + self.form.unfinished()

    def _update_dirty(self) -> None:
        inner = self._inner_editor()
        dirty = self._baseline is not None and (self._form_state() != self._baseline or (inner is not None and inner.is_dirty()))
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.set_dirty(dirty)

    def disk_differs(self) -> bool:
        ejson, inner = self._disk_texts()
        # a function editor watches inner.py itself and offers its own reload
        return ejson != self._disk[0] or (self.function_editor is None and inner != self._disk[1])

    def save(self) -> bool:
        """Write e.json and inner.py together (and the agent's tool switch), through the project."""
        problems = self._problems()
        if problems:
            self._form_edited()
            return False
        inner = self._inner_editor()
        inner_text = None
        if inner is not None and (inner.is_dirty() or not inner.path.is_file()):
            inner.flush_typing()
            inner_text = inner.text()
        try:
            update_event(self.project, self.key, self._draft(), inner_text=inner_text)
        except (OSError, ValueError) as exc:
            self.status.setText(f"Could not save: {exc}")
            return False
        if inner_text is not None:
            inner.mark_saved(inner_text)
        self.reload_from_disk(self.project.reload())
        self.status.setText("Saved.")
        return True

    def _revert(self) -> None:
        """Drop every unsaved edit: the trigger form's and the function's."""
        editor = self.function_editor
        if editor is not None:
            if editor.path.is_file():
                editor.reload_from_disk()
            else:
                self.code_stack.removeWidget(editor)
                editor.deleteLater()
                self.function_editor = None
        self.reload_from_disk(self.project.reload())
    def _toggle_enable(self, on: bool) -> None:
        set_enable(self.event, on)
        self._disk = (self._disk_texts()[0], self._disk[1])
        self.sig_status.emit(f"{self.key} {'enabled' if on else 'disabled'}")

    def _toggle_async(self, on: bool) -> None:
        try:
            problem = async_problem(self.event.kind, self.form.keys().get("operate")) if on else None
            if problem:
                raise OperationError(problem)
            set_async(self.event, on)
        except OperationError as exc:
            self.async_switch.set_checked_quietly(not on)
            self.status.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self._disk = (self._disk_texts()[0], self._disk[1])
        self.sig_status.emit(f"{self.key} now runs {'asynchronously' if on else 'synchronously'}")

    # -- test run, navigation
    def show_test_run(self) -> None:
        if self.test_panel.isHidden():
            self.test_panel.set_payload(sample_payload(self.project, self.event))
            self.test_panel.show()
            height = max(self.vsplit.height(), 600)
            self.vsplit.setSizes([height * 3 // 5, height * 2 // 5])

    def show_test_run_with_row(self, row: dict) -> None:
        """Open the Test run with a payload made from a stored row (edit postData, then Run)."""
        self.show_test_run()
        self.test_panel.set_payload(row_payload(self.project, self.event, row))
        self.test_panel.status.setText("Payload made from a row: edit postData to test a change, then Run.")

    def run_test(self) -> None:
        self.show_test_run()
        self.test_panel.run()

    def stop_test(self) -> bool:
        if not self.test_panel.runner.is_running():
            return False
        self.test_panel.stop()
        return True

    def _open_service(self) -> None:
        service, _declared, method = self.project.service_function(self.function.func() or "")
        if service is not None and method is not None:
            self.sig_open_function.emit(service.full_name, method.name)
        elif service is not None:
            self.sig_open_element.emit(service.full_name)

    def go_to(self, path: str, line: int, col: int = 1) -> bool:
        inner = self._inner_editor()
        if inner is not None and Path(path).resolve() == self.event.inner_path.resolve():
            inner.go_to(line, col)
            return True
        return False

    def shutdown(self) -> None:
        self.test_panel.shutdown()
