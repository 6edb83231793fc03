"""The on/off switch of event pages: superqt's QToggleSwitch, sized and coloured for page headers."""
from __future__ import annotations

from PySide6.QtGui import QColor
from superqt import QToggleSwitch

from ..theme import ACCENT


class ToggleSwitch(QToggleSwitch):
    """A real sliding switch; `toggled(bool)` fires on user clicks and on setChecked."""

    def __init__(self, text: str = "", parent=None, checked: bool = False):
        super().__init__(text, parent)
        self.switchWidth, self.switchHeight, self.handleSize = 34, 18, 14
        self.onColor = QColor(ACCENT)
        self.handleColor = QColor("#ffffff")
        self.set_checked_quietly(checked)

    def set_checked_quietly(self, on: bool) -> None:
        """Show a state read from disk: no toggled signal, no animation."""
        duration = self.animationDuration()
        self.setAnimationDuration(0)
        blocked = self.blockSignals(True)
        self.setChecked(on)
        self.blockSignals(blocked)
        self.setAnimationDuration(duration)
