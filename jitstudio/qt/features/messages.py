"""Messages: the notifications the running app sent, in a dock, read while an app is open (from when the
window has loaded the rest)."""
from __future__ import annotations

from pathlib import Path

from ..docks import QtMessagesPane
from .api import Feature


class MessagesFeature(Feature):
    name = "messages"

    def register(self) -> None:
        self.pane = QtMessagesPane()
        self.dock = self.api.add_dock("Messages", "messagesDock", self.pane)
        self.api.sig_app_opened.connect(self._app_opened)
        self.api.sig_app_closed.connect(self.pane.stop)
        self.api.sig_window_closing.connect(self.pane.stop)

    def _app_opened(self, root: Path) -> None:
        self.pane.set_root(root)
        self.api.when_loaded(self.pane.start_polling)
