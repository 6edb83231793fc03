"""Pages of the centre tabs: one per open element or file."""
from .base import QtPage
from .element_pages import page_for
from .event_page import QtEventPage
from .file_page import QtFilePage

__all__ = ["QtEventPage", "QtFilePage", "QtPage", "page_for"]
