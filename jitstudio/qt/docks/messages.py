"""QtMessagesPane: notifications the app's message service sent, read from the runtime's records store (on a
worker thread: the GUI thread never imports the store)."""
from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..icons import icon
from ..workers import run_in_thread

POLL_MS = 1500
MAX_ROWS = 5000
COLUMNS = ("Time", "Level", "To", "Title", "Message")


def records_db(root: Path) -> Path:
    return Path(root) / ".jitstudio" / "records.db"


def store_available() -> bool:
    return importlib.util.find_spec("jitstudio.runtime.records") is not None


def open_store(root: Path):
    """The runtime's RecordStore of the app (imported lazily: the pane works before any run happened)."""
    records = importlib.import_module("jitstudio.runtime.records")
    return records.RecordStore(app_dir=root)


def row_texts(message: Any) -> list[str]:
    created = getattr(message, "created_at", "")
    receivers = getattr(message, "receivers", []) or []
    return [
        created.strftime("%Y-%m-%d %H:%M:%S") if isinstance(created, datetime) else str(created),
        str(getattr(message, "level", "") or ""),
        ", ".join(str(r) for r in receivers) if isinstance(receivers, (list, tuple)) else str(receivers),
        str(getattr(message, "title", "") or ""),
        str(getattr(message, "content", "") or ""),
    ]


class QtMessagesPane(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.root: Path | None = None
        self.last_id = 0
        self._busy = False
        self.store_missing = False
        self.status = QLabel(objectName="hint")
        self.table = QTreeWidget(rootIsDecorated=False, uniformRowHeights=True, alternatingRowColors=True)
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.store = None
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)

    def set_root(self, root: Path) -> None:
        """Show the messages of the app in `root`, read from `start_polling()` on."""
        self.stop()
        self.root = Path(root)
        self.last_id = 0
        self.table.clear()
        self._update_status()

    def start_polling(self) -> None:
        if self.root is not None:
            self.timer.start()

    def _update_status(self) -> None:
        if self.store_missing:
            self.status.setText("Messages appear here once the runtime's records store is installed.")
        elif self.root is None or not records_db(self.root).is_file():
            self.status.setText("No messages yet: messages the app sends while it runs appear here.")
        else:
            count = self.table.topLevelItemCount()
            self.status.setText(f"{count} message{'s' if count != 1 else ''}")

    def poll(self) -> None:
        if self._busy or self.root is None or self.store_missing or not records_db(self.root).is_file():
            self._update_status()
            return
        self._busy = True
        root, after = self.root, self.last_id

        def read() -> list[Any] | None:
            if not store_available():
                return None
            if self.store is None:
                self.store = open_store(root)
            return self.store.messages(after_id=after, limit=MAX_ROWS)

        run_in_thread(read, self._received, self._failed)

    def _received(self, rows: list[Any] | None) -> None:
        self._busy = False
        self.store_missing = rows is None
        for row in rows or []:
            self.add_row(row)
        self._update_status()

    def _failed(self, text: str) -> None:
        self._busy = False
        self.status.setText("Could not read messages: " + text.strip().splitlines()[-1])

    def stop(self) -> None:
        """Stop polling and release the store (when the app closes)."""
        self.timer.stop()
        self.root = None
        if self.store is not None:
            store, self.store = self.store, None
            store.close()

    def add_row(self, message: Any) -> None:
        row_id = getattr(message, "id", None)
        if isinstance(row_id, int):
            self.last_id = max(self.last_id, row_id)
        item = QTreeWidgetItem(row_texts(message))
        item.setIcon(0, icon("warning" if getattr(message, "level", "") in ("warning", "error") else "message"))
        item.setToolTip(4, item.text(4))
        self.table.addTopLevelItem(item)
        while self.table.topLevelItemCount() > MAX_ROWS:
            self.table.takeTopLevelItem(0)
        self.table.scrollToBottom()
