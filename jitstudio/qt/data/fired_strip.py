"""QtFiredStrip: what one write (or one Test run) fired — its executions, sync and async, nested ones under the
execution that started them, each with status and time. Activating one opens its record."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..records._format import status_text_color

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


def duration_text(ms: float | None) -> str:
    if ms is None:
        return ""
    return f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"


class QtFiredStrip(QWidget):
    sig_open_record = Signal(str, int)  # event fullName, record id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel("What the last write fired", objectName="hint")
        self.title.setWordWrap(True)
        self.tree = QTreeWidget(objectName="firedStrip", uniformRowHeights=True)
        self.tree.setHeaderLabels(["Execution", "Status", "Kind", "Time", "Error"])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        self.request = ""
        self.records: list[dict] = []

    def show_write(self, what: str, request: str, records: list[dict], settled: bool, events: bool = True) -> None:
        """The executions of the write `what` (request id `request`) so far."""
        self.request = request
        self.set_records(records)
        if not events:
            self.title.setText(f"{what}: events were off for this write (triggerEvent=0); nothing fired.")
            return
        waiting = "" if settled else " — waiting for async executions…"
        count = len(records)
        self.title.setText(f"{what}: fired {count} execution{'s' if count != 1 else ''}{waiting}"
                           if count else f"{what}: no event fired{waiting}")

    def update_request(self, request: str, records: list[dict], settled: bool) -> None:
        """Later news of the shown write's executions (async ones finishing)."""
        if request != self.request:
            return
        what = self.title.text().partition(":")[0]
        self.show_write(what, request, records, settled)

    def set_records(self, records: list[dict]) -> None:
        self.records = records
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for record in sorted(records, key=lambda r: (r.get("startedUs") or 0, r["id"])):
            item = QTreeWidgetItem([
                f"{record['event']}  #{record['id']}", record["status"], "async" if record.get("isAsync") else "sync",
                duration_text(record.get("durationMs")), record.get("error") or "",
            ])
            item.setForeground(1, status_text_color(record["status"]))
            item.setData(0, RECORD_ROLE, (record["event"], record["id"]))
            item.setToolTip(0, "Open this execution's record and its execution path")
            if record.get("error"):
                item.setToolTip(4, record["error"])
            parent = items.get(record.get("parentId") or -1)
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            items[record["id"]] = item
        self.tree.expandAll()

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, RECORD_ROLE)
        if target:
            self.sig_open_record.emit(target[0], int(target[1]))
