"""The element tree: elements grouped by family, a search box and the `+` menu."""
from .add_menu import NEW_ACTIONS, build_add_menu
from .element_tree import QtElementTree

__all__ = ["NEW_ACTIONS", "QtElementTree", "build_add_menu"]
