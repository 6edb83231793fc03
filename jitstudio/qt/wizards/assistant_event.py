"""New AI assistant event: the assistant, then an operate: run level, node level (node from the graph)
or one of the lifecycle operates."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from ...project import Project
from ...project.pysource import MethodInfo
from ...project.schemas import ASSISTANT_LIFECYCLE_OPERATES, EVENTFUL_NODE_TYPES
from ._base import EventWizard, TriggerForm
from ..widgets.forms import fill_combo, fits_count, hint, select_data

RUN_OPERATES = (("beforeRun", "Before assistant run (receives the user input)"), ("afterRun", "After assistant run (no arguments)"))
NODE_OPERATES = (
    ("beforeNodeRun", "Node arrival"), ("afterNodeRun", "After node execution"), ("approved", "Human action: approved"),
    ("rejected", "Human action: rejected"), ("replied", "Human action: replied"), ("edited", "Human action: edited"),
)
LIFECYCLE_LABELS = {
    "init": "Conversation initialised", "aiMessage": "AI message sent", "triggerEvent": "Event triggered",
    "error": "Error", "onLogicalCondition": "Logical condition reached", "onLogicalConditionResult": "Logical condition result",
    "analyticsEvent": "Analytics event", "turnEnd": "Turn ended",
}
LEVELS = (("run", "Assistant run"), ("node", "Node"), ("lifecycle", "Lifecycle"))


class AssistantTriggerForm(TriggerForm):
    kind = "assistant"
    title = "AI assistant event"
    intro = "Runs a function at a point of an AI assistant's run. Handlers should catch their own errors: an event never breaks the assistant."

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.assistant = QComboBox(objectName="assistant")
        self.level = QComboBox(objectName="operateLevel")
        for key, text in LEVELS:
            self.level.addItem(text, key)
        self.run_operate = QComboBox(objectName="runOperate")
        for key, text in RUN_OPERATES:
            self.run_operate.addItem(f"{text}", key)
        self.node = QComboBox(objectName="assistantNode")
        self.node_operate = QComboBox(objectName="nodeOperate")
        for key, text in NODE_OPERATES:
            self.node_operate.addItem(f"{text}  ({key})", key)
        self.lifecycle = QComboBox(objectName="lifecycleOperate")
        for key in ASSISTANT_LIFECYCLE_OPERATES:
            self.lifecycle.addItem(f"{LIFECYCLE_LABELS[key]}  ({key})", key)
        self.node_hint = hint()
        self.add_row("AI assistant", self.assistant)
        self.add_row("Operate", self.level)
        self.add_row("When", self.run_operate)
        self.add_row("Node", self.node)
        self.add_row("When", self.node_operate)
        self.add_row("", self.node_hint)
        self.add_row("Lifecycle operate", self.lifecycle)
        self.set_project(project)
        for combo in (self.assistant, self.level, self.run_operate, self.node, self.node_operate, self.lifecycle):
            combo.currentIndexChanged.connect(self._changed)
        self._changed()

    def set_project(self, project: Project) -> None:
        super().set_project(project)
        fill_combo(self.assistant, [(a.full_name, f"{a.title}  ({a.full_name})") for a in project.assistants])
        self._fill_nodes()

    def _config(self):
        assistant = self.project.get(self.assistant.currentData() or "")
        return assistant.config_spec if assistant is not None else None

    def _fill_nodes(self) -> None:
        config = self._config()
        nodes = [n for n in config.nodes.values() if n.type in EVENTFUL_NODE_TYPES or n.type == "humanaction"] if config else []
        fill_combo(self.node, [(n.id, f"{n.title or n.id}  ({n.id}, {n.type})") for n in nodes])

    def _changed(self, *_args) -> None:
        if self.sender() is self.assistant:
            self._fill_nodes()
        level = self.level.currentData()
        self.set_row_visible(self.run_operate, level == "run")
        self.set_row_visible(self.node, level == "node")
        self.set_row_visible(self.node_operate, level == "node")
        self.set_row_visible(self.node_hint, level == "node")
        self.set_row_visible(self.lifecycle, level == "lifecycle")
        node = self._node()
        if node is not None and node.type in EVENTFUL_NODE_TYPES:
            state = "on" if node.events.backend else "off — switch it on in the assistant, or the event never fires"
            self.node_hint.setText(f"Backend events of this node are {state}.")
        else:
            self.node_hint.setText("")
        self.sig_changed.emit()

    def _node(self):
        config = self._config()
        return config.nodes.get(self.node.currentData() or "") if config else None

    def operate(self) -> str | None:
        level = self.level.currentData()
        if level == "run":
            return self.run_operate.currentData()
        if level == "lifecycle":
            return self.lifecycle.currentData()
        node = self.node.currentData()
        return f"{node}.{self.node_operate.currentData()}" if node else None

    def _argument_count(self) -> int | None:
        op = self.operate() or ""
        if op == "beforeRun":
            return 1
        if op == "afterRun":
            return 0
        node = self._node()
        if self.level.currentData() == "node" and node is not None:
            if op.endswith("beforeNodeRun"):
                return len(node.events.arrivalOutputArgs)
            if op.endswith("afterNodeRun"):
                return len(node.events.afterRunOutputArgs)
        return None

    @property
    def fit_rule(self) -> str:
        count = self._argument_count()
        return "any parameters" if count is None else f"{count} positional parameter{'s' if count != 1 else ''}, or *args"

    def fits(self, method: MethodInfo) -> bool:
        return fits_count(self._argument_count())(method)

    def load(self, data: dict) -> None:
        select_data(self.assistant, data.get("sender"))
        self._fill_nodes()
        op = data.get("operate") or ""
        if op in dict(RUN_OPERATES):
            select_data(self.level, "run")
            select_data(self.run_operate, op)
        elif op in ASSISTANT_LIFECYCLE_OPERATES:
            select_data(self.level, "lifecycle")
            select_data(self.lifecycle, op)
        elif "." in op:
            node, what = op.split(".", 1)
            select_data(self.level, "node")
            select_data(self.node, node)
            select_data(self.node_operate, what)
        self._changed()

    def keys(self) -> dict:
        return {"sender": self.assistant.currentData(), "operate": self.operate()}


class AssistantEventWizard(EventWizard):
    form_class = AssistantTriggerForm
