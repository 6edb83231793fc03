"""+ AI assistant: name, title and, optionally, the agent its graph starts with."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from ...project import create_assistant
from ._element_base import ElementWizard
from ..widgets.forms import fill_combo


class NewAssistantWizard(ElementWizard):
    family, noun, example = "aiassistants", "AI assistant", "HelpDesk"
    intro = "An AI assistant: a graph of nodes (start, agents, functions, branches, end) run per conversation."

    def build(self) -> None:
        self.agent = QComboBox(objectName="assistantAgent")
        fill_combo(self.agent, [("", "No agent: start → end")] + [(a.full_name, f"{a.title}  ({a.full_name})") for a in self.project.agents])
        self.add_row("First agent", self.agent)

    def create(self, name: str, title: str | None) -> str:
        return create_assistant(self.project.root, name, title=title, agent=self.agent.currentData() or None)
