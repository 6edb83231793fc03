"""The one undo history of the function editor: every step, from the form or from typing, is a pair of
whole module texts (before, after), so undoing restores the exact source whichever view made the change."""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtGui import QUndoCommand

TYPING_ID = 0x7157  # commands with this id are typing in the code view and merge with each other
TYPING_MERGE_SECONDS = 2.0


class SourceCommand(QUndoCommand):
    """Replace the module text. A command pushed for a change already on screen skips its first redo."""

    def __init__(self, apply: Callable[[str], None], label: str, before: str, after: str, *,
                 typing: bool = False, applied: bool = True):
        super().__init__(label)
        self._apply = apply
        self.before = before
        self.after = after
        self.typing = typing
        self._skip_redo = applied
        self.last_change = time.monotonic()

    def id(self) -> int:
        return TYPING_ID if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SourceCommand) and other.typing and self.typing):
            return False
        if other.last_change - self.last_change > TYPING_MERGE_SECONDS:
            return False
        self.after = other.after
        self.last_change = other.last_change
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)
