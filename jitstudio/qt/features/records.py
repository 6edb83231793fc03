"""Execution records: the record browser as pages keyed `records:EVENT` (`records:*` for all events), opened
from View, from Run for the current event, from pages that offer their records, and from the count of recent
failures in the status bar, which also badges the failing events in the tree. The browser is imported and the
failures watched once the window has loaded the rest."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..pages.base import QtPage
from ..records import records_key
from ..records.failures import QtFailureIndicator
from .api import Feature, offering

if TYPE_CHECKING:
    from ..records.page import QtRecordsPage

PREFIX = "records"


def import_records_browser() -> None:
    """The record browser and the record store under it (the store's database library is slow to import)."""
    from ..records import page  # noqa: F401


def event_of(key: str) -> str | None:
    event = key.partition(":")[2]
    return None if event in ("", "*") else event


class RecordsFeature(Feature):
    name = "records"

    def register(self) -> None:
        self.api.add_page_kind(PREFIX, self._create_page)
        self.api.add_action("records", "Execution &records of this event", self.records_current, menu="Run",
                            section="records", icon_name="records", enabled_when="records")
        self.api.add_action("all_records", "&Execution records (all events)", lambda: self.open_records(None),
                            menu="View", section="pages", shortcut="Ctrl+Shift+E", icon_name="records")
        self.failures = QtFailureIndicator(self)
        self.api.add_status_widget(self.failures.button)
        self.failures.sig_counts_changed.connect(self.api.mark_failing_elements)
        self.failures.sig_open_failures.connect(lambda: self.open_records(None, status="fail"))
        self.api.sig_page_added.connect(self._page_added)
        self.api.sig_app_opened.connect(self._app_opened)
        self.api.sig_app_closed.connect(self.failures.stop)
        self.api.sig_window_closing.connect(self.failures.stop)
        self.api.add_loading_step("records", import_records_browser)

    def _app_opened(self, root: Path) -> None:
        self.failures.watch(root)
        self.api.when_loaded(self.failures.start)

    def _create_page(self, key: str) -> QtRecordsPage | None:
        from ..records.page import QtRecordsPage

        root = self.api.app_root
        return QtRecordsPage(root, event_of(key)) if root is not None else None

    def _page_added(self, page: QtPage) -> None:
        event_page = offering(page, "records")
        if event_page is not None:
            event_page.sig_open_records.connect(self.open_records)
            event_page.sig_open_record.connect(self.open_record)

    def open_records(self, event_full_name: str | None = None, status: str | None = None) -> QtRecordsPage | None:
        """Open the record browser, filtered to one event or showing all events (reusing an open one)."""
        from ..records.page import QtRecordsPage

        if self.api.project is None:
            return None
        page = self.api.open_page(records_key(event_full_name))
        if not isinstance(page, QtRecordsPage):
            return None
        if status is not None:
            page.filter_bar.set_status(status)
        return page

    def open_record(self, event_full_name: str | None, record_id: int) -> QtRecordsPage | None:
        """Open the record browser of an event on one of its executions (selected once its row is loaded)."""
        page = self.open_records(event_full_name)
        if page is not None:
            page.reveal_record(record_id)
        return page

    def records_current(self) -> None:
        page = offering(self.api.current_page(), "records")
        if page is not None:
            self.open_records(page.key)
