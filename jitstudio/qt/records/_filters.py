"""QtRecordFilters: status, time range (presets or from–to), event, and text in the error."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from ...runtime.records import Filters
from ._format import STATUS_LABELS, status_icon

TEXT_DEBOUNCE_MS = 300
PRESETS = (("all", "All time"), ("hour", "Last hour"), ("today", "Today"), ("week", "Last 7 days"),
           ("custom", "From – to…"))
ALL_EVENTS = ""


def preset_range(preset: str, now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
    """(since, until) in local time for a preset; None means open."""
    now = now or datetime.now()
    if preset == "hour":
        return now - timedelta(hours=1), None
    if preset == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0), None
    if preset == "week":
        return now - timedelta(days=7), None
    return None, None


class QtRecordFilters(QWidget):
    """Emits `sig_changed(Filters)` whenever the user changes a filter (typing is debounced). The from and to
    edits of a custom range are made when one is first chosen (a date-time edit is slow to make)."""

    sig_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.status_box = QComboBox(objectName="statusFilter")
        self.status_box.addItem("Any status", None)
        for status in ("success", "fail", "running"):
            self.status_box.addItem(status_icon(status), STATUS_LABELS[status], status)
        self.period_box = QComboBox(objectName="periodFilter")
        for key, label in PRESETS:
            self.period_box.addItem(label, key)
        self.since: QDateTimeEdit | None = None
        self.until: QDateTimeEdit | None = None
        self.range_widgets: list[QWidget] = []
        self.event_box = QComboBox(objectName="eventFilter", editable=True)
        self.event_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.event_box.setMinimumContentsLength(18)
        self.event_box.addItem("All events", ALL_EVENTS)
        self.event_box.lineEdit().setPlaceholderText("All events")
        self.text_edit = QLineEdit(objectName="textFilter", placeholderText="Text in the error…", clearButtonEnabled=True)
        self.text_edit.setMinimumWidth(160)
        self._debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)

        layout = self.row = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for label, widget in (("Status", self.status_box), ("Time", self.period_box)):
            layout.addWidget(QLabel(label, objectName="hint"))
            layout.addWidget(widget)
        layout.addWidget(QLabel("Event", objectName="hint"))
        layout.addWidget(self.event_box, 1)
        layout.addWidget(self.text_edit, 1)

        self.status_box.currentIndexChanged.connect(self._emit)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.event_box.activated.connect(self._emit)
        self.event_box.lineEdit().editingFinished.connect(self._emit)
        self.text_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.text_edit.returnPressed.connect(self._emit)

    def range_edits(self) -> tuple[QDateTimeEdit, QDateTimeEdit]:
        """The from and to edits of a custom range (made on first use: from a day ago to now)."""
        if self.since is None or self.until is None:
            now = QDateTime.currentDateTime()
            self.since = QDateTimeEdit(now.addDays(-1), objectName="sinceFilter", calendarPopup=True)
            self.until = QDateTimeEdit(now, objectName="untilFilter", calendarPopup=True)
            self.range_widgets = [QLabel("from", objectName="hint"), self.since, QLabel("to", objectName="hint"), self.until]
            after_period = self.row.indexOf(self.period_box) + 1
            for offset, widget in enumerate(self.range_widgets):
                widget.setVisible(self.period_box.currentData() == "custom")
                self.row.insertWidget(after_period + offset, widget)
            for edit in (self.since, self.until):
                edit.setDisplayFormat("yyyy-MM-dd HH:mm")
                edit.dateTimeChanged.connect(self._emit)
        return self.since, self.until

    def _period_changed(self) -> None:
        custom = self.period_box.currentData() == "custom"
        if custom:
            self.range_edits()
        for widget in self.range_widgets:
            widget.setVisible(custom)
        self._emit()

    def _emit(self) -> None:
        self._debounce.stop()
        self.sig_changed.emit(self.filters())

    # -- reading and setting -------------------------------------------------------------------------------

    def event_name(self) -> str | None:
        text = self.event_box.currentText().strip()
        index = self.event_box.findText(text)
        value = self.event_box.itemData(index) if index >= 0 else text
        return value or None

    def filters(self) -> Filters:
        preset = self.period_box.currentData()
        if preset == "custom":
            since_edit, until_edit = self.range_edits()
            since = since_edit.dateTime().toPython()
            until = until_edit.dateTime().toPython()
        else:
            since, until = preset_range(preset)
        return Filters(event=self.event_name(), status=self.status_box.currentData(), since=since, until=until,
                       text=self.text_edit.text().strip() or None)

    def set_events(self, names: list[str]) -> None:
        """Offer these events in the event filter, keeping what is chosen or typed."""
        current = self.event_box.currentText()
        self.event_box.blockSignals(True)
        self.event_box.clear()
        self.event_box.addItem("All events", ALL_EVENTS)
        for name in sorted(set(names)):
            self.event_box.addItem(name, name)
        self.event_box.setCurrentText(current)
        self.event_box.blockSignals(False)

    def set_event(self, name: str | None) -> None:
        if name and self.event_box.findData(name) < 0:
            self.event_box.addItem(name, name)
        self.event_box.setCurrentIndex(self.event_box.findData(name or ALL_EVENTS))
        self._emit()

    def set_status(self, status: str | None) -> None:
        self.status_box.setCurrentIndex(self.status_box.findData(status))

    def set_period(self, preset: str) -> None:
        self.period_box.setCurrentIndex(self.period_box.findData(preset))

    def set_range(self, since: datetime, until: datetime) -> None:
        since_edit, until_edit = self.range_edits()
        self.blockSignals(True)
        since_edit.setDateTime(QDateTime(since))
        until_edit.setDateTime(QDateTime(until))
        self.blockSignals(False)
        self.set_period("custom")
        self._emit()

    def set_text(self, text: str) -> None:
        self.text_edit.setText(text)
        self._emit()
