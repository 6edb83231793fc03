"""QtRecordFilters: status, time range (presets or from–to), event, and text in the error."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QTime, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...runtime.records import Filters
from ._format import STATUS_LABELS, status_icon

TEXT_DEBOUNCE_MS = 300
PRESETS = (("all", "All time"), ("hour", "Last hour"), ("today", "Today"), ("week", "Last 7 days"),
           ("custom", "From – to…"))
ALL_EVENTS = ""
RANGE_FORMAT = "yyyy-MM-dd HH:mm:ss"


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


def to_the_second(value: QDateTime) -> datetime:
    """What a range edit shows (to the second) as a local datetime: the range is exactly what the user reads."""
    moment = value.toPython()
    assert isinstance(moment, datetime)
    return moment.replace(microsecond=0)


class QtRecordFilters(QWidget):
    """Emits `sig_changed(Filters)` whenever the user changes a filter (typing is debounced). A custom range
    shows on a row of its own: from, and to, which is "now" (open, so new runs keep appearing) until the user
    unticks it and enters an end. Its edits are made when one is first chosen (a date-time edit is slow to make)."""

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
        self.until_now: QCheckBox | None = None
        self.range_row: QWidget | None = None
        self.range_widgets: list[QWidget] = []
        self.event_box = QComboBox(objectName="eventFilter", editable=True)
        self.event_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.event_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event_box.setMinimumContentsLength(14)
        self.event_box.addItem("All events", ALL_EVENTS)
        self.event_box.lineEdit().setPlaceholderText("All events")
        self.text_edit = QLineEdit(objectName="textFilter", placeholderText="Text in the error…", clearButtonEnabled=True)
        self.text_edit.setMinimumWidth(110)
        self._debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)

        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(4)
        layout = self.row = QHBoxLayout()
        layout.setSpacing(6)
        self.rows.addLayout(layout)
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
        """The from and to edits of a custom range, on their own row (made on first use: from a day ago, to now)."""
        if self.since is None or self.until is None or self.until_now is None:
            now = QDateTime.currentDateTime()
            now.setTime(QTime(now.time().hour(), now.time().minute(), now.time().second()))
            self.since = QDateTimeEdit(now.addDays(-1), objectName="sinceFilter", calendarPopup=True)
            self.until = QDateTimeEdit(now, objectName="untilFilter", calendarPopup=True, visible=False)
            self.until_now = QCheckBox("now", objectName="untilNow", checked=True)
            self.until_now.setToolTip("Up to now: new executions keep appearing. Untick to end the range at a time.")
            self.range_row = QWidget(objectName="rangeRow")
            row = QHBoxLayout(self.range_row)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(6)
            self.range_widgets = [QLabel("From", objectName="hint"), self.since, QLabel("to", objectName="hint"),
                                  self.until_now]
            for widget in (*self.range_widgets, self.until):
                row.addWidget(widget)
            row.addStretch(1)
            self.rows.addWidget(self.range_row)
            self.range_row.setVisible(self.period_box.currentData() == "custom")
            for edit in (self.since, self.until):
                edit.setDisplayFormat(RANGE_FORMAT)
                edit.dateTimeChanged.connect(self._emit)
            self.until_now.toggled.connect(self._until_now_toggled)
        return self.since, self.until

    def _until_now_toggled(self, now: bool) -> None:
        assert self.until is not None
        if not now:
            self.until.blockSignals(True)
            self.until.setDateTime(QDateTime.currentDateTime())
            self.until.blockSignals(False)
        self.until.setVisible(not now)
        self._emit()

    def range_is_open(self) -> bool:
        """Whether a custom range runs up to now (it has no end)."""
        return self.until_now is None or self.until_now.isChecked()

    def _period_changed(self) -> None:
        custom = self.period_box.currentData() == "custom"
        if custom:
            self.range_edits()
        if self.range_row is not None:
            self.range_row.setVisible(custom)
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
        since: datetime | None
        until: datetime | None
        if preset == "custom":
            since_edit, until_edit = self.range_edits()
            since = to_the_second(since_edit.dateTime())
            until = None if self.range_is_open() else to_the_second(until_edit.dateTime())
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

    def set_range(self, since: datetime, until: datetime | None = None) -> None:
        """A custom range from `since` to `until` (None: up to now)."""
        since_edit, until_edit = self.range_edits()
        assert self.until_now is not None
        self.blockSignals(True)
        since_edit.setDateTime(QDateTime(since))
        self.until_now.setChecked(until is None)
        if until is not None:
            until_edit.setDateTime(QDateTime(until))
        self.blockSignals(False)
        self.set_period("custom")
        self._emit()

    def set_text(self, text: str) -> None:
        self.text_edit.setText(text)
        self._emit()
