"""The main menus: File, Edit, Run, View and Help, each made of named sections that separators keep apart.

Whoever adds an entry names the menu and the section; the menus know nothing of what the entries do."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from .icons import icon

# menu → (title, its sections in order)
MAIN_MENUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "File": ("&File", ("open", "save", "preferences", "quit")),
    "Edit": ("&Edit", ("undo", "clipboard", "find")),
    "Run": ("&Run", ("run", "records")),
    "View": ("&View", ("pages", "docks")),
    "Help": ("&Help", ("about",)),
}


def make_action(parent: QWidget, text: str, slot=None, shortcut=None, icon_name: str | None = None) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(text)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


class QtMainMenus:
    def __init__(self, bar: QMenuBar):
        self.menus: dict[str, QMenu] = {}
        self._sections: dict[str, dict[str, list[QAction]]] = {}
        for name, (title, sections) in MAIN_MENUS.items():
            self.menus[name] = bar.addMenu(title)
            self._sections[name] = {section: [] for section in sections}

    def add(self, menu: str, section: str, item: QAction | QMenu, before: QAction | None = None) -> QAction:
        """Add an action (or a submenu) to a section, at its end or before another of its entries."""
        if menu not in self._sections:
            raise KeyError(f"no main menu {menu!r}; the menus are {', '.join(MAIN_MENUS)}")
        if section not in self._sections[menu]:
            raise KeyError(f"the {menu} menu has no section {section!r}; it has {', '.join(self._sections[menu])}")
        action = item.menuAction() if isinstance(item, QMenu) else item
        entries = self._sections[menu][section]
        entries.insert(entries.index(before) if before in entries else len(entries), action)
        self._lay_out(menu)
        return action

    def sections(self, menu: str) -> tuple[str, ...]:
        return tuple(self._sections[menu])

    def entries(self, menu: str, section: str) -> list[QAction]:
        return list(self._sections[menu][section])

    def _lay_out(self, name: str) -> None:
        menu = self.menus[name]
        for action in menu.actions():
            menu.removeAction(action)
            if action.isSeparator():
                action.deleteLater()
        filled = [entries for entries in self._sections[name].values() if entries]
        for index, entries in enumerate(filled):
            if index:
                menu.addSeparator()
            menu.addActions(entries)
