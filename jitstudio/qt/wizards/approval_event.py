"""New approval event: workflow, timing (status change, node change, after processing), nodes or handle types."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QListWidget, QWidget

from ...project import Project
from ...project.schemas import WORKFLOW_OPERATE_LABELS, WORKFLOW_OPERATES
from ._base import EventWizard, TriggerForm
from ..widgets.forms import CheckList, fill_combo, hint, select_data

START_HANDLES = (("submit", "Submit"), ("manualEnd", "Cancel (manual end)"))
APPROVAL_HANDLES = (("agree", "Approve"), ("refuse", "Reject and end"), ("reject", "Send back"), ("transmit", "Transfer"))
TIMING_HINTS = {
    "Process": "Fires when the approval's overall status changes: In (in progress), Pass (approved) or Refuse (rejected).",
    "NodeChange": "Fires when the approval moves between nodes; pick the transitions below.",
    "NodeHandled": "Fires right after someone acts on a node; pick the node and the actions.",
}


def _show_rows(view: QListWidget, rows: int) -> None:
    """However tight the dialog, the list keeps room for `rows` of its items (or all of them when fewer)."""
    row = view.sizeHintForRow(0) if view.count() else view.fontMetrics().height() + 4
    shown = max(1, min(rows, view.count()))
    view.setMinimumHeight(min(row * shown + 2 * view.frameWidth(), view.maximumHeight()))


class ApprovalTriggerForm(TriggerForm):
    kind = "workflow"
    title = "approval event"
    intro = "Runs a function when an approval moves on: its status changes, it reaches a node, or someone acts on it."
    fit_rule = "one parameter such as eventOutData, or *args"

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.workflow = QComboBox(objectName="workflow")
        self.operate = QComboBox(objectName="timing")
        for op in WORKFLOW_OPERATES:
            self.operate.addItem(f"{WORKFLOW_OPERATE_LABELS[op]}  ({op})", op)
        self.timing_hint = hint()
        self.trigger_nodes = CheckList(rows=6)
        self.trigger_nodes.setObjectName("triggerNodes")
        self.handle_node = QComboBox(objectName="handleNode")
        self.handle_types = CheckList(rows=4)
        self.handle_types.setObjectName("handleTypes")
        self.add_row("Approval workflow", self.workflow)
        self.add_row("Trigger timing", self.operate)
        self.add_row("", self.timing_hint)
        self.add_row("Trigger nodes", self.trigger_nodes)
        self.add_row("Handled node", self.handle_node)
        self.add_row("Handle types", self.handle_types)
        self._write_workflow_key = True
        self.set_project(project)
        self.workflow.currentIndexChanged.connect(self._workflow_changed)
        self.operate.currentIndexChanged.connect(self._timing_changed)
        self.handle_node.currentIndexChanged.connect(self._handle_node_changed)
        self.trigger_nodes.sig_changed.connect(self.sig_changed)
        self.handle_types.sig_changed.connect(self.sig_changed)
        self._timing_changed()

    def set_project(self, project: Project) -> None:
        super().set_project(project)
        items = [(w.full_name, f"{w.title}  ({w.full_name}, model {w.spec.dataModel})") for w in project.workflows if w.spec]
        fill_combo(self.workflow, items)
        self._workflow_changed(emit=False)

    def _nodes(self):
        workflow = self.project.get(self.workflow.currentData() or "")
        config = workflow.config_spec if workflow is not None else None
        return list(config.nodeList) if config else []

    def _workflow_changed(self, *_args, emit: bool = True) -> None:
        transitions = []
        handled = []
        for node in self._nodes():
            label = node.title or node.name
            if node.type == 0:
                transitions += [("after.StartNode", f"After submission ({label})"), ("before.StartNode", f"Returned to the start ({label})")]
                handled.append((node.name, f"{label}  ({node.name}, start)"))
            elif node.type == 7:
                transitions.append((f"before.{node.name}", f"Before reaching '{label}'"))
            else:
                transitions += [(f"before.{node.name}", f"Before reaching '{label}'"), (f"after.{node.name}", f"After '{label}' approves")]
                if node.type == 1:
                    handled.append((node.name, f"{label}  ({node.name})"))
        self.trigger_nodes.set_items(transitions)
        _show_rows(self.trigger_nodes, 4)
        fill_combo(self.handle_node, handled)
        self._handle_node_changed(emit=False)
        if emit:
            self.sig_changed.emit()

    def _handle_node_changed(self, *_args, emit: bool = True) -> None:
        node = next((n for n in self._nodes() if n.name == self.handle_node.currentData()), None)
        self.handle_types.set_items(list(START_HANDLES if node is not None and node.type == 0 else APPROVAL_HANDLES))
        _show_rows(self.handle_types, 4)
        if emit:
            self.sig_changed.emit()

    def _timing_changed(self, *_args) -> None:
        op = self.operate.currentData()
        self.timing_hint.setText(TIMING_HINTS[op])
        self.set_row_visible(self.trigger_nodes, op == "NodeChange")
        self.set_row_visible(self.handle_node, op == "NodeHandled")
        self.set_row_visible(self.handle_types, op == "NodeHandled")
        self.sig_changed.emit()

    def load(self, data: dict) -> None:
        self._write_workflow_key = "workflow" in data
        wanted = data.get("workflow") or next((w.full_name for w in self.project.workflows if w.spec and w.spec.dataModel == data.get("model")), None)
        select_data(self.workflow, wanted)
        self._workflow_changed(emit=False)
        select_data(self.operate, data.get("operate"))
        self.trigger_nodes.set_checked(list(data.get("triggerNode") or []))
        select_data(self.handle_node, data.get("handleNode"))
        self._handle_node_changed(emit=False)
        handle = data.get("handleType") or []
        self.handle_types.set_checked([handle] if isinstance(handle, str) else list(handle))
        self._timing_changed()

    def keys(self) -> dict:
        workflow = self.project.get(self.workflow.currentData() or "")
        op = self.operate.currentData()
        keys = {"model": workflow.spec.dataModel if workflow else None, "operate": op}
        if self._write_workflow_key:
            keys["workflow"] = self.workflow.currentData()
        if op == "NodeChange":
            keys["triggerNode"] = self.trigger_nodes.checked()
        if op == "NodeHandled":
            keys["handleNode"] = self.handle_node.currentData()
            keys["handleType"] = self.handle_types.checked()
        return keys


class ApprovalEventWizard(EventWizard):
    form_class = ApprovalTriggerForm
