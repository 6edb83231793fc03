"""The function editor: an event's or a service's function as cards and as code, in sync both ways."""
from .editor import QtFunctionEditor

__all__ = ["QtFunctionEditor"]
