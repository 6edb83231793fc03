"""New elements: the "+" wizards (Event → model, approval, custom, AI assistant, agent tool events; model,
service, approval workflow, AI agent, AI assistant), from File → New, Ctrl+N and the element tree's + button.
A created element is loaded at once and opened. The wizards are imported once the window has loaded the rest."""
from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QKeySequence

from ..icons import icon
from ..tree import build_add_menu
from .api import Feature


def import_wizards() -> None:
    from .. import wizards  # noqa: F401


class NewElementsFeature(Feature):
    name = "new_elements"

    def register(self) -> None:
        menu = build_add_menu(self.api.dialog_parent, self.new_element)
        menu.setTitle("&New")
        menu.setIcon(icon("plus"))
        self.api.add_menu_item("File", "open", menu, before="new_app")
        self.api.add_action("new", "", self.show_new_menu, shortcut=QKeySequence.StandardKey.New)
        self.api.element_tree.sig_new_element.connect(self.new_element)
        self.api.add_loading_step("wizards", import_wizards)

    def show_new_menu(self) -> None:
        """The tree's + menu, under its button."""
        if self.api.project is not None:
            plus = self.api.element_tree.plus
            plus.menu().popup(plus.mapToGlobal(QPoint(0, plus.height())))

    def new_element(self, key: str, prefill: dict | None = None) -> str | None:
        """Run the wizard of `key` (one of the tree's NEW_ACTIONS), an event wizard's trigger filled in from
        `prefill` (e.json keys); the fullName it created, or None."""
        from ..wizards import WIZARDS

        project = self.api.project
        if project is None:
            return None
        wizard = WIZARDS[key](project, self.api.dialog_parent)
        load = getattr(getattr(wizard, "form", None), "load", None)
        if prefill and load is not None:
            load(prefill)
        if not wizard.exec() or not wizard.created:
            return None
        self.api.reload_now()
        self.api.open_element(wizard.created)
        self.api.show_status(f"Created {wizard.created}")
        return wizard.created
