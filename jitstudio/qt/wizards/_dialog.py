"""What every wizard dialog does beyond its form: Enter finishes (when the wizard can be finished, and
nothing else), and the dialog grows to fit its contents, up to the screen, then scrolls them; it never
squashes them."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton, QDialog, QFrame, QLayout, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WizardDialog(QDialog):
    """A dialog whose `finish` button is the one Enter presses, from any field, and that is at least as tall as
    its contents need at its width: a wrapped hint or error that gains a line makes the dialog taller, rather
    than taking the height of the rows around it (Qt leaves that to the window: a layout's minimum size does
    not count the lines of wrapped text). Past the screen's height the rows scroll (`scrolled_body`)."""

    finish: QPushButton
    body: QWidget
    body_column: QVBoxLayout
    body_scroll: QScrollArea

    def make_finish_the_default(self) -> None:
        """Call once `finish` sits in the dialog: only then does Qt take it as the dialog's default button.
        Without that Qt makes the first button the default, such as the filter builder's "+ Condition"."""
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.finish)
        self.finish.setDefault(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in _ENTER_KEYS:
            super().keyPressEvent(event)
            return
        focused = self.focusWidget()
        if isinstance(focused, QAbstractButton) and focused is not self.finish:
            focused.click()  # Enter on a focused button presses that button
        elif self.finish.isEnabled():
            self.finish.click()
        event.accept()

    def scrolled_body(self, *parts: QLayout | QWidget) -> QScrollArea:
        """The wizard's rows in a scroll area: as tall as they need, and scrolled only when the screen is not."""
        self.body = QWidget(objectName="wizardBody")
        column = self.body_column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        for part in parts:
            if isinstance(part, QLayout):
                column.addLayout(part)
            else:
                column.addWidget(part)
        column.addStretch(1)
        self.body_scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # its height is the minimum fit_contents gives it (and what is left over), not a guess of its own
        self.body_scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.body_scroll.setWidget(self.body)
        self.body.installEventFilter(self)  # a scroll area does not pass its contents' growth on to the dialog
        return self.body_scroll

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.body and event.type() == QEvent.Type.LayoutRequest:
            self.fit_contents()
        return super().eventFilter(watched, event)

    def setVisible(self, visible: bool) -> None:
        if visible and not self.isVisible():
            self._forget_wrapped_heights()
            self.fit_contents()
            self.resize(self.width(), self.minimumHeight())  # it opens as tall as its contents, no taller
        super().setVisible(visible)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Show:
            self._forget_wrapped_heights()
            self._layout().activate()
        if event.type() in (QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.fit_contents()
        return handled

    def _forget_wrapped_heights(self) -> None:
        """Form layouts keep the heights of wrapped text they worked out before the dialog had its width."""
        for layout in self.findChildren(QLayout):
            layout.invalidate()

    def _layout(self) -> QLayout:
        layout = self.layout()
        assert layout is not None, "a wizard lays out its rows in its constructor"
        return layout

    def _height_for_width(self, layout: QLayout, width: int) -> int:
        least = layout.totalMinimumSize().height()
        return max(least, layout.totalHeightForWidth(width)) if layout.hasHeightForWidth() else least

    def _around_body(self, width: int) -> int:
        """The height of everything but the scroll area (heading, hints, message, buttons), wrapped text at
        `width`. Counted here: a box layout's own figure leaves out what the scroll area needs."""
        layout = self._layout()
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        total = margins.top() + margins.bottom()
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None or item.widget() is self.body_scroll or item.isEmpty():
                continue
            total += (item.heightForWidth(inner) if item.hasHeightForWidth() else item.minimumSize().height()) + layout.spacing()
        return total

    def fit_contents(self) -> None:
        """At least as tall as the contents at the dialog's width, up to the screen; the rows scroll past that."""
        screen = self.screen()
        room = screen.availableGeometry().height() - 40 if screen is not None else 10_000  # the title bar stays on it
        margins = self._layout().contentsMargins()
        body_height = self._height_for_width(self.body_column, self.width() - margins.left() - margins.right())
        others = self._around_body(self.width())
        scroll_height = max(80, min(body_height, room - others))
        if self.body_scroll.minimumHeight() != scroll_height:
            self.body_scroll.setMinimumHeight(scroll_height)
        needed = others + scroll_height
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)
