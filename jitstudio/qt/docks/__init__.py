"""The bottom panes: Problems, Messages and Run output."""
from .messages import QtMessagesPane
from .problems import QtProblemsPane
from .run_output import QtRunOutputPane

__all__ = ["QtMessagesPane", "QtProblemsPane", "QtRunOutputPane"]
