"""+ AI agent: name, title, description, its LLM, the services it may call as tools, and its prompt."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from ...project import create_agent
from ._element_base import ElementWizard
from ..widgets.forms import CheckList

PROVIDERS = (("openai", "OpenAI-compatible (OpenAI, Ollama, vLLM…)"), ("replay", "Replay recorded responses (offline)"))


class NewAgentWizard(ElementWizard):
    family, noun, example = "aiagents", "AI agent", "SupportAgent"
    intro = "An AI agent: an LLM that answers with the help of tools (service functions)."

    def build(self) -> None:
        self.description = QLineEdit(objectName="agentDescription", placeholderText="what the agent does")
        self.provider = QComboBox(objectName="provider")
        for key, text in PROVIDERS:
            self.provider.addItem(text, key)
        self.model = QLineEdit("gpt-4o-mini", objectName="llmModel")
        self.tools = CheckList(rows=4)
        self.tools.setObjectName("agentTools")
        self.tools.set_items([(s.full_name, f"{s.title}  ({s.full_name})") for s in self.project.services])
        self.prompt = QPlainTextEdit(objectName="prompt", placeholderText="You are … Answer the user: {user_input}")
        self.prompt.setFixedHeight(80)
        self.add_row("Description", self.description)
        self.add_row("LLM provider", self.provider)
        self.add_row("Model", self.model)
        self.add_row("Tools", self.tools)
        self.add_row("Prompt", self.prompt)

    def create(self, name: str, title: str | None) -> str:
        tools = []
        for full_name in self.tools.checked():
            service = self.project.get(full_name)
            tools.append({"type": "service", "name": full_name, "enableFunctionList": {fn: {} for fn in service.functions}})
        llm = {"provider": self.provider.currentData(), "model": self.model.text().strip() or "gpt-4o-mini"}
        if llm["provider"] == "openai":
            llm["apiKeyEnv"] = "OPENAI_API_KEY"
        else:
            llm["replay"] = []
        return create_agent(self.project.root, name, title=title, description=self.description.text().strip(),
                            tools=tools, llm_config=llm, prompt=self.prompt.toPlainText())
