"""Pages of the centre tabs: one per open element or file.

`QtPage` is what every page is; the pages themselves (and the function editor, the code editors and the
project model they are built on) are imported when first asked for, so the window can paint before them."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .base import QtPage

if TYPE_CHECKING:
    from .element_pages import page_for
    from .event_page import QtEventPage
    from .file_page import QtFilePage

_MODULE_OF = {"page_for": ".element_pages", "QtEventPage": ".event_page", "QtFilePage": ".file_page"}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_MODULE_OF[name], __name__), name)


__all__ = ["QtEventPage", "QtFilePage", "QtPage", "page_for"]
