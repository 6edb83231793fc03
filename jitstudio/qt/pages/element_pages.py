"""Pages of models, services, workflows, agents and assistants: an overview of what the element's files
declare (tables over the JSON and the code), its title editable, each file in a code editor, and for a
service, any of its functions in the function editor."""
from __future__ import annotations

from pathlib import Path

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QTabWidget, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from ...project import (
    AgentElement, AssistantElement, Element, EventElement, ModelElement, Project, ServiceElement, WorkflowElement,
    update_element,
)
from ...project.schemas import WORKFLOW_NODE_TYPES
from ..funceditor import QtFunctionEditor
from ..icons import family_icon
from ..widgets.forms import form_layout, row_label
from ...project.references import subscribers
from ._service_function import ServiceFunctionTab
from ._service_panels import EventDescsPanel, FunctionsPanel
from .base import QtPage, scrolling
from .event_page import QtEventPage
from .file_page import FileEditor
from .header import PageHeader

FAMILY_NOUNS = {"models": "Model", "services": "Service", "workflows": "Approval workflow", "aiagents": "AI agent", "aiassistants": "AI assistant"}
FULL_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def table(headers: list[str], rows: list[list[str]], keys: list[str] | None = None) -> QTreeWidget:
    view = QTreeWidget(rootIsDecorated=False, uniformRowHeights=True, alternatingRowColors=True)
    view.setHeaderLabels(headers)
    for index, row in enumerate(rows):
        item = QTreeWidgetItem([str(c) for c in row])
        if keys:
            item.setData(0, FULL_NAME_ROLE, keys[index])
        view.addTopLevelItem(item)
    view.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.header().setStretchLastSection(True)
    view.setMinimumHeight(90)
    return view


def _section(text: str) -> QLabel:
    return QLabel(text, objectName="sectionTitle")


def overview_sections(project: Project, element: Element) -> list[tuple[str, QWidget]]:
    """(title, table) per thing the element declares; a service's functions and events are `_service_panels`'."""
    sections = []
    if isinstance(element, ModelElement):
        sections.append(("Fields", table(["Field", "Type", "Title", "Parameters"],
                                          [[f.name, f.datatype, f.title, ", ".join(f"{k}={v}" for k, v in f.params.items() if k not in ("name", "title"))] for f in element.fields])))
    elif isinstance(element, WorkflowElement) and element.config_spec:
        config = element.config_spec
        sections.append(("Nodes", table(["Node", "Title", "Type"], [[n.name, n.title, WORKFLOW_NODE_TYPES.get(n.type, n.type)] for n in config.nodeList])))
        sections.append(("Links", table(["From", "To", "Condition"], [[l.from_, l.to, l.condition or ""] for l in config.linkList])))
    elif isinstance(element, AgentElement) and element.config_spec:
        config = element.config_spec
        rows = []
        for tool in config.tools:
            for fn, cfg in tool.enableFunctionList.items():
                stages = [f"{s} (withData={getattr(cfg, s).withData})" for s in ("preEvent", "postEvent") if getattr(cfg, s) is not None]
                rows.append([tool.name, tool.type, fn, ", ".join(stages) or "no events"])
        sections.append(("Tools", table(["Tool", "Type", "Function", "Tool events"], rows)))
    elif isinstance(element, AssistantElement) and element.config_spec:
        config = element.config_spec
        rows = [[n.id, n.type, n.title, n.agent or n.function or "", "on" if n.events.backend else "off"] for n in config.nodes.values()]
        sections.append(("Nodes", table(["Node", "Type", "Title", "Runs", "Backend events"], rows)))
        sections.append(("Edges", table(["From", "To", "Condition"], [[e.sourceNode, e.targetNode, e.condition or ("else" if e.else_ else "")] for e in config.edges])))
    events = subscribers(project, element)
    if events:
        sections.append(("Events subscribed to it", table(["Event", "Title", "Enabled"], [[e.name, e.title, "yes" if e.enabled else "no"] for e in events], [e.full_name for e in events])))
    return sections


class QtElementPage(QtPage):
    sig_open_element = Signal(str)

    capabilities = frozenset({"open-element", "edit-function"})

    def __init__(self, project: Project, full_name: str, parent: QWidget | None = None):
        super().__init__(full_name, parent)
        self.project = project
        self.element = project.get(full_name)
        self.icon_name = {"models": "model", "services": "service", "workflows": "workflow", "aiagents": "agent", "aiassistants": "assistant"}.get(self.element.family, "code")
        noun = FAMILY_NOUNS.get(self.element.family, self.element.family)
        self.header = PageHeader(family_icon(self.element.family), self.element.title, f"{full_name}  ·  {noun}  ·  {self.element.type}")
        self.save_button = self.header.add_at_end(QPushButton("Save", objectName="saveButton", enabled=False))
        self.save_button.clicked.connect(self.save)
        self.tabs = QTabWidget(documentMode=True)
        self.overview = QWidget()
        self.overview_layout = QVBoxLayout(self.overview)
        self.overview_layout.setContentsMargins(16, 10, 16, 10)
        self.title_edit = QLineEdit(objectName="elementTitle")
        self.title_edit.textChanged.connect(self._update_dirty)
        form = form_layout()
        form.addRow(row_label("Title"), self.title_edit)
        self.overview_layout.addLayout(form)
        self.sections = QWidget()
        self.sections_layout = QVBoxLayout(self.sections)
        self.sections_layout.setContentsMargins(0, 0, 0, 0)
        self.overview_layout.addWidget(self.sections, 1)
        self.tabs.addTab(scrolling(self.overview), "Overview")
        self.files: list[FileEditor] = []
        for path in self.element.files():
            if path.name == "__init__.py":
                continue
            editor = FileEditor(project.root, path)
            editor.editor.sig_modified.connect(lambda _m: self._update_dirty())
            self.files.append(editor)
            self.tabs.addTab(editor, path.name)
        self.function_tab = ServiceFunctionTab(self.tabs)
        self.function_tab.sig_dirty_changed.connect(self._update_dirty)
        self.outer.addWidget(self.header)
        self.outer.addWidget(self.tabs, 1)
        self._title = ""
        self.reload_from_disk(project)

    def _fill_overview(self) -> None:
        functions, events = getattr(self, "functions_panel", None), getattr(self, "events_panel", None)
        selected = (functions.selected()[0] if functions else None, events.selected() if events else None)
        while self.sections_layout.count():
            widget = self.sections_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.functions_panel: FunctionsPanel | None = None
        self.events_panel: EventDescsPanel | None = None
        if isinstance(self.element, ServiceElement):
            self.functions_panel, self.events_panel = FunctionsPanel(self), EventDescsPanel(self)
            self.sections_layout.addWidget(self.functions_panel, 2)
            self.sections_layout.addWidget(self.events_panel, 1)
            self.functions_panel.select(selected[0] or "")
            self.events_panel.select(selected[1] or "")
        for title, view in overview_sections(self.project, self.element):
            self.sections_layout.addWidget(_section(title))
            self.sections_layout.addWidget(view, 1)
            view.itemActivated.connect(self._activated)
        problems = [p for p in self.project.problems if p.path.startswith(self.element.rel(self.element.directory) + "/")]
        if problems:
            self.sections_layout.addWidget(_section("Problems"))
            self.sections_layout.addWidget(table(["Problem", "File", "Line"], [[p.message, p.path, p.line] for p in problems]))

    # -- what the service forms ask of the page (`_service_panels.ServiceHost`)

    def ask(self, parent: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def run_form(self, form: QDialog) -> bool:
        return form.exec() == QDialog.DialogCode.Accepted

    def report(self, message: str) -> None:
        self.sig_status.emit(message)

    def apply_service_edit(self, write: Callable[[Project], list[str]]) -> str | None:
        """Run one write of the service forms and show its result; why it was refused, or None."""
        if self.is_dirty():
            return "this page has unsaved edits; save or undo them first, then change the service"
        try:
            written = write(self.project)
        except (OSError, ValueError) as exc:
            return str(exc)
        self.reload_from_disk(self.project.reload())
        self.report(f"{self.key}: wrote {', '.join(written)}" if written else f"{self.key}: nothing to change")
        return None

    def _activated(self, item: QTreeWidgetItem | None, _col: int) -> None:
        if item is None:
            return
        full_name = item.data(0, FULL_NAME_ROLE)
        if full_name:
            self.sig_open_element.emit(full_name)

    def edit_function(self, name: str) -> QtFunctionEditor | None:
        """Open one of the service's functions in the function editor tab."""
        if not isinstance(self.element, ServiceElement):
            return None
        return self.function_tab.open(self.project, self.element, name)

    def _update_dirty(self, *_args) -> None:
        dirty = self.title_edit.text() != self._title or any(f.editor.is_modified() for f in self.files) \
            or self.function_tab.is_dirty()
        self.save_button.setEnabled(dirty)
        self.set_dirty(dirty)

    def save(self) -> bool:
        function = self.function_tab.editor if self.function_tab.is_dirty() else None
        if function is not None and any(f.path == function.path and f.editor.is_modified() for f in self.files):
            self.sig_status.emit(f"{function.path.name} has unsaved edits in its own tab and in the {function.function} "
                                 "tab; keep one of them (undo the other) before saving.")
            return False
        files = {editor: editor.editor.text() for editor in self.files if editor.editor.is_modified()}
        if function is not None:
            function.flush_typing()
            files[function] = function.text()
        title = self.title_edit.text() if self.title_edit.text() != self._title else None
        try:
            update_element(self.project, self.key, title=title, texts={editor.path: text for editor, text in files.items()})
        except (OSError, ValueError) as exc:
            self.sig_status.emit(f"Could not save {self.key}: {exc}")
            return False
        for editor, text in files.items():
            editor.mark_saved(text)
        self.reload_from_disk(self.project.reload())
        return True

    def disk_differs(self) -> bool:
        return any(f.read_disk() != f.disk_text for f in self.files)

    def reload_from_disk(self, project: Project | None = None) -> None:
        super().reload_from_disk(project)
        if project is not None:
            element = project.get(self.key)
            if element is None:
                return
            self.project, self.element = project, element
        for editor in self.files:
            if editor.read_disk() != editor.disk_text or editor.editor.is_modified():
                editor.load()
            editor.show_problems(self.project)
        self.function_tab.reload(self.project)
        self._title = str(self.element.ejson.doc.data.get("title", "")) if self.element.ejson.doc and isinstance(self.element.ejson.doc.data, dict) else ""
        blocked = self.title_edit.blockSignals(True)
        self.title_edit.setText(self._title)
        self.title_edit.blockSignals(blocked)
        self.header.title_label.setText(self.element.title)
        self._fill_overview()
        self._update_dirty()

    def go_to(self, path: str, line: int, col: int = 1) -> bool:
        for editor in self.files:
            if Path(path).resolve() == editor.path.resolve():
                self.tabs.setCurrentWidget(editor)
                editor.editor.go_to_line(line, col)
                return True
        return False


def page_for(project: Project, full_name: str) -> QtPage:
    element = project.get(full_name)
    if isinstance(element, EventElement) and element.kind:
        return QtEventPage(project, full_name)
    return QtElementPage(project, full_name)
