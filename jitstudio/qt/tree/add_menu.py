"""The `+` menu: Event → its five kinds, then the other element families."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMenu, QWidget

from ..icons import icon

EVENT_ACTIONS = (
    ("event:model", "Model event"),
    ("event:workflow", "Approval event"),
    ("event:normal", "Custom event"),
    ("event:assistant", "AI assistant event"),
    ("event:agent", "Agent tool event"),
)
ELEMENT_ACTIONS = (
    ("model", "Model", "model"),
    ("service", "Service", "service"),
    ("workflow", "Approval workflow", "workflow"),
    ("agent", "AI agent", "agent"),
    ("assistant", "AI assistant", "assistant"),
)
NEW_ACTIONS = [key for key, _ in EVENT_ACTIONS] + [key for key, _, _ in ELEMENT_ACTIONS]


def build_add_menu(parent: QWidget, trigger: Callable[[str], object]) -> QMenu:
    """The menu; choosing an entry calls trigger(key), key one of NEW_ACTIONS."""
    menu = QMenu(parent)
    events = menu.addMenu(icon("event"), "Event")
    events.setObjectName("eventMenu")
    for key, text in EVENT_ACTIONS:
        action = events.addAction(icon("event"), text)
        action.setObjectName(key)
        action.triggered.connect(lambda _=False, k=key: trigger(k))
    menu.addSeparator()
    for key, text, icon_name in ELEMENT_ACTIONS:
        action = menu.addAction(icon(icon_name), text)
        action.setObjectName(key)
        action.triggered.connect(lambda _=False, k=key: trigger(k))
    return menu
