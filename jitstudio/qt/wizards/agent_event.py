"""New agent tool event: the agent, the stage, the tool and the functions whose calls fire it, and whether the
event message carries the call's data (the switches live in the agent's config.json)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from ...project import AgentToolSwitch, EventDraft, Project
from ...project.schemas import AGENT_STAGES
from ._base import EventWizard, TriggerForm
from ..widgets.forms import CheckList, fill_combo, hint, select_data

STAGE_LABELS = {"preEvent": "Tool pre-call", "postEvent": "Tool post-call"}


class AgentTriggerForm(TriggerForm):
    """The tool functions are what the agent's config.json switches on for the stage: an event of an agent and a
    stage fires for every call of them, so the form shows them all and writes the switches back."""

    kind = "agent"
    title = "agent tool event"
    intro = "Runs a function before or after an AI agent calls one of its tools. The event is a hook: it should not raise."

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(project, parent)
        self.agent = QComboBox(objectName="agent")
        self.tool = QComboBox(objectName="tool")
        self.functions = CheckList(rows=5)
        self.functions.setObjectName("toolFunctions")
        self.functions_hint = hint()
        self.stage = QComboBox(objectName="stage")
        for stage in AGENT_STAGES:
            self.stage.addItem(f"{STAGE_LABELS[stage]}  ({stage})", stage)
        self.with_data = QCheckBox("Include data in event message", objectName="withData", checked=True)
        self.data_hint = hint()
        for label in (self.functions_hint, self.data_hint):  # under what they explain, however tall their row
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._toggled: dict[str, bool] = {}  # the user's own checks, kept when the stage changes
        self._data_clicked = False  # withData is written to every checked function only once the user sets it
        self.add_row("AI agent", self.agent)
        self.add_row("Tool", self.tool)
        self.add_row("Stage", self.stage)
        self.add_row("Tool functions", self.functions)
        self.add_row("", self.functions_hint)
        self.add_row("", self.with_data)
        self.add_row("", self.data_hint)
        self.set_project(project)
        self.agent.currentIndexChanged.connect(self._agent_changed)
        self.tool.currentIndexChanged.connect(self._tool_changed)
        self.stage.currentIndexChanged.connect(self._stage_changed)
        self.functions.itemChanged.connect(self._function_toggled)
        self.with_data.toggled.connect(self._changed)
        self.with_data.clicked.connect(self._data_set)
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

    def _tool_index(self) -> int | None:
        return int(self.tool.currentData()) if self.tool.currentData() is not None else None

    def _switches(self) -> dict[str, bool]:
        """The chosen tool's functions at the chosen stage, as config.json holds them: name -> withData."""
        tools, index, stage = self._tools(), self._tool_index(), self.stage.currentData()
        if index is None or not 0 <= index < len(tools):
            return {}
        return {name: switch.withData for name, config in tools[index].enableFunctionList.items()
                if (switch := getattr(config, stage, None)) is not None}

    def _agent_changed(self, *_args, emit: bool = True) -> None:
        fill_combo(self.tool, [(str(i), f"{t.name}  ({t.type})") for i, t in enumerate(self._tools())])
        self._tool_changed(emit=emit)

    def _tool_changed(self, *_args, emit: bool = True) -> None:
        tools, index = self._tools(), self._tool_index()
        names = []
        if index is not None and 0 <= index < len(tools):
            owner = self.project.get(tools[index].name)
            names = [f.name for f in (getattr(owner.spec, "functionList", None) or [])] if owner is not None else []
            names += [n for n in tools[index].enableFunctionList if n not in names]
        self._toggled = {}
        self._data_clicked = False
        self.functions.set_items([(n, n) for n in names], checked=[])
        self._stage_changed(emit=emit)

    def _stage_changed(self, *_args, emit: bool = True) -> None:
        """Check what config.json switches on for the stage, with the user's own checks on top."""
        switches = self._switches()
        on = {name for name in self.functions.values() if self._toggled.get(name, name in switches)}
        blocked = self.functions.blockSignals(True)
        self.functions.set_checked(sorted(on))
        self.functions.blockSignals(blocked)
        first_on = next((switches[n] for n in self.functions.values() if n in switches), None)
        if first_on is not None and not self._data_clicked:
            self.with_data.setChecked(first_on)
        if emit:
            self._changed()

    def _function_toggled(self, item) -> None:
        self._toggled[item.data(Qt.ItemDataRole.UserRole)] = item.checkState() == Qt.CheckState.Checked
        self._changed()

    def _data_set(self) -> None:
        self._data_clicked = True

    def _changed(self, *_args) -> None:
        stage = self.stage.currentData()
        what = "the tool's input arguments" if stage == "preEvent" else "the tool's return value"
        self.data_hint.setText(f"On: args carries {what}. Off: only toolName and stage are sent."
                               if self.with_data.isChecked() else "Only toolName and stage are sent.")
        self.functions_hint.setText(
            f"The event fires when the agent calls a checked function (its {stage} switch in the agent's config.json), "
            "as does every other event of this agent at this stage; eventOutData.toolName says which function.")
        self.sig_changed.emit()

    def load(self, data: dict) -> None:
        select_data(self.agent, data.get("sender"))
        self._agent_changed(emit=False)
        select_data(self.stage, data.get("stage"))
        for index, tool in enumerate(self._tools()):
            if any(getattr(config, self.stage.currentData(), None) for config in tool.enableFunctionList.values()):
                select_data(self.tool, str(index))
                break
        self._tool_changed(emit=False)
        self._changed()

    def keys(self) -> dict:
        return {"sender": self.agent.currentData(), "stage": self.stage.currentData()}

    def unfinished(self) -> list[str]:
        if self.functions.count() and not self.functions.checked():
            return ["Tool functions: check the functions whose calls fire the event"]
        return []

    def draft(self, **common) -> EventDraft:
        """The event and the tool switches it needs: the stage on for the checked functions, off for the others."""
        tool = None
        index = self._tool_index()
        if index is not None:
            checked, switches = self.functions.checked(), self._switches()
            written = [name for name in checked if self._data_clicked or name not in switches]
            first = written[0] if written else (checked[0] if checked else None)
            with_data = self.with_data.isChecked() if written else switches.get(first or "", True)
            off = tuple(name for name in switches if name not in checked)
            tool = AgentToolSwitch(index, first, with_data, also=tuple(written[1:]), switched_off=off)
        return EventDraft(self.kind, self.keys(), tool=tool, **common)


class AgentEventWizard(EventWizard):
    form_class = AgentTriggerForm
