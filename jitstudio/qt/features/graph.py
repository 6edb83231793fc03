"""Graph editors: a Graph tab, first on the page of every approval workflow and AI assistant, drawing its
config.json (the page's JSON tab) and editing it. From a node, "+ Event" opens the event wizard filled in for
the node; a problem badge opens the problem in the JSON tab."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

import shiboken6

from .api import Feature

if TYPE_CHECKING:
    from ..graph.editor import QtGraphEditor
    from ..pages.base import QtPage
    from .new_elements import NewElementsFeature
    from .records import RecordsFeature
    from .run import RunFeature


class GraphFeature(Feature):
    name = "graph"
    requires = ("new_elements", "run", "records")

    def register(self) -> None:
        self.editors: list[QtGraphEditor] = []
        self.api.sig_page_added.connect(self._page_added)
        self.api.sig_project_changed.connect(self._project_changed)

    def _page_added(self, page: QtPage) -> None:
        from ...project import AssistantElement, WorkflowElement
        from ...project.graph import ASSISTANT, WORKFLOW

        if hasattr(page, "sig_show_run"):
            page.sig_show_run.connect(self.show_run_of_record)
        element = getattr(page, "element", None)
        kind = WORKFLOW if isinstance(element, WorkflowElement) else ASSISTANT if isinstance(element, AssistantElement) else None
        config = next((f for f in getattr(page, "files", []) if f.path.name == "config.json"), None)
        tabs = getattr(page, "tabs", None)
        if kind is None or config is None or tabs is None or self.api.project is None:
            return
        from ..graph.editor import QtGraphEditor

        editor = QtGraphEditor(kind, config)
        editor.set_project(self.api.project, element)
        editor.sig_status.connect(page.sig_status)
        editor.sig_open_event.connect(self.api.open_element)
        editor.sig_open_location.connect(lambda path, line, col: self._open_in_json_tab(page, path, line, col))
        editor.sig_new_event.connect(lambda key, prefill, node: self._new_event(editor, key, prefill, node))
        records = cast("RecordsFeature", self.api.get_feature("records"))
        editor.runs.sig_open_record.connect(lambda event, record: records.open_record(event or None, record))
        editor.runs.sig_runner.connect(self._show_output)
        tabs.insertTab(0, editor, "Graph")
        tabs.setCurrentIndex(0)
        self.editors.append(editor)
        editor.destroyed.connect(lambda *_: self.editors.remove(editor) if editor in self.editors else None)

    def _show_output(self, runner) -> None:
        """A live turn's runtime process in Run output, where Stop stops it."""
        cast("RunFeature", self.api.get_feature("run")).output.attach(runner, "Run assistant")

    def show_run_of_record(self, record_id: int) -> None:
        """Open the graph of the approval or assistant turn an execution is part of, with that run drawn on it."""
        from ..graph.runs import run_of_record_in
        from ..workers import Worker

        project = self.api.project
        if project is None:
            return
        self.api.show_status(f"Finding the run of execution #{record_id}…")
        root = project.root
        worker = Worker(lambda: run_of_record_in(root, record_id))
        worker.signals.returned.connect(lambda run: self._show_run(record_id, run) if shiboken6.isValid(self) else None)
        worker.signals.errored.connect(lambda error: self.api.show_status(f"Could not read the run of #{record_id}: {error}", 8000))
        worker.start()

    def _show_run(self, record_id: int, run) -> None:
        if run is None:
            self.api.show_status(f"Execution #{record_id} is not part of an approval or an assistant turn", 6000)
            return
        page = self.api.open_element(run.element)
        editor = next((e for e in self.editors if e.element is not None and e.element.full_name == run.element
                       and page is not None and page.isAncestorOf(e)), None)
        if editor is None:
            self.api.show_status(f"{run.element} has no drawing to show the run on", 6000)
            return
        tabs = getattr(page, "tabs", None)
        if tabs is not None:
            tabs.setCurrentWidget(editor)
        editor.runs.show_run(run)

    def _project_changed(self, project) -> None:
        for editor in self.editors:
            element = project.get(editor.element.full_name) if editor.element is not None else None
            if element is not None:
                editor.set_project(project, element)

    def _open_in_json_tab(self, page: QtPage, path: str, line: int, col: int) -> None:
        go_to = getattr(page, "go_to", None)
        if go_to is not None:
            go_to(path, line, col)

    def _new_event(self, editor: QtGraphEditor, key: str, prefill: dict, node: str) -> None:
        wizards = cast("NewElementsFeature", self.api.get_feature("new_elements"))
        created = wizards.new_element(key, prefill)
        if created and key == "event:assistant":
            editor.event_created(created, node)
