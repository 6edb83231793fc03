"""New agent tool event: the agent, the tool and function whose calls to watch, the stage, and whether the
event message carries the call's data (written to the agent's config.json)."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from ...project import AgentToolSwitch, EventDraft, Project
from ...project.schemas import AGENT_STAGES
from ._base import EventWizard, TriggerForm
from ..widgets.forms import fill_combo, hint, select_data

STAGE_LABELS = {"preEvent": "Tool pre-call", "postEvent": "Tool post-call"}


class AgentTriggerForm(TriggerForm):
    kind = "agent"
    title = "agent tool event"
    intro = "Runs a function before or after an AI agent calls one of its tools. The event is a hook: it should not raise."

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.agent = QComboBox(objectName="agent")
        self.tool = QComboBox(objectName="tool")
        self.function = QComboBox(objectName="toolFunction")
        self.stage = QComboBox(objectName="stage")
        for stage in AGENT_STAGES:
            self.stage.addItem(f"{STAGE_LABELS[stage]}  ({stage})", stage)
        self.with_data = QCheckBox("Include data in event message", objectName="withData", checked=True)
        self.data_hint = hint()
        self.add_row("AI agent", self.agent)
        self.add_row("Tool", self.tool)
        self.add_row("Tool function", self.function)
        self.add_row("Stage", self.stage)
        self.add_row("", self.with_data)
        self.add_row("", self.data_hint)
        self.set_project(project)
        self.agent.currentIndexChanged.connect(self._agent_changed)
        self.tool.currentIndexChanged.connect(self._tool_changed)
        for signal in (self.function.currentIndexChanged, self.stage.currentIndexChanged, self.with_data.toggled):
            signal.connect(self._changed)
        self._changed()

    def set_project(self, project: Project) -> None:
        super().set_project(project)
        fill_combo(self.agent, [(a.full_name, f"{a.title}  ({a.full_name})") for a in project.agents])
        self._agent_changed(emit=False)

    def _agent(self):
        return self.project.get(self.agent.currentData() or "")

    def _tools(self):
        agent = self._agent()
        return list(agent.config_spec.tools) if agent is not None and agent.config_spec else []

    def _agent_changed(self, *_args, emit: bool = True) -> None:
        fill_combo(self.tool, [(str(i), f"{t.name}  ({t.type})") for i, t in enumerate(self._tools())])
        self._tool_changed(emit=emit)

    def _tool_changed(self, *_args, emit: bool = True) -> None:
        tools = self._tools()
        index = int(self.tool.currentData()) if self.tool.currentData() is not None else -1
        names = []
        if 0 <= index < len(tools):
            owner = self.project.get(tools[index].name)
            names = [f.name for f in (getattr(owner.spec, "functionList", None) or [])] if owner is not None else []
            names += [n for n in tools[index].enableFunctionList if n not in names]
        fill_combo(self.function, [(n, n) for n in names])
        if emit:
            self._changed()

    def _changed(self, *_args) -> None:
        stage = self.stage.currentData()
        what = "the tool's input arguments" if stage == "preEvent" else "the tool's return value"
        self.data_hint.setText(f"On: args carries {what}. Off: only toolName and stage are sent."
                               if self.with_data.isChecked() else "Only toolName and stage are sent.")
        self.sig_changed.emit()

    def load(self, data: dict) -> None:
        select_data(self.agent, data.get("sender"))
        self._agent_changed(emit=False)
        stage = data.get("stage")
        select_data(self.stage, stage)
        for index, tool in enumerate(self._tools()):
            for fn, cfg in tool.enableFunctionList.items():
                switch = getattr(cfg, stage, None) if stage else None
                if switch is not None:
                    select_data(self.tool, str(index))
                    self._tool_changed(emit=False)
                    select_data(self.function, fn)
                    self.with_data.setChecked(switch.withData)
                    self._changed()
                    return
        self._changed()

    def keys(self) -> dict:
        return {"sender": self.agent.currentData(), "stage": self.stage.currentData()}

    def default_inner(self) -> bool:
        return False

    def draft(self, **common) -> EventDraft:
        """The event and the tool switch it needs: the stage switched on for the chosen tool function."""
        tool = None
        if self.tool.currentData() is not None:
            tool = AgentToolSwitch(int(self.tool.currentData()), self.function.currentData(), self.with_data.isChecked())
        return EventDraft(self.kind, self.keys(), tool=tool, **common)


class AgentEventWizard(EventWizard):
    form_class = AgentTriggerForm
