"""Model data: a Data tab on every model page, backed by one data session (a runtime process) per open app.
The session restarts when the app's files change, so writes run the handlers as they are on disk. A row can
seed a model event's Test run; an execution the Data tab shows opens in the record browser."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer

from .api import Feature

if TYPE_CHECKING:
    from ..data.client import QtDataClient
    from ..data.tab import QtDataTab
    from ..pages.base import QtPage
    from .records import RecordsFeature
    from .run import RunFeature

RESTART_DELAY_MS = 400


class DataFeature(Feature):
    name = "data"
    requires = ("run", "records")

    def register(self) -> None:
        self.client: QtDataClient | None = None
        self.tabs: list[QtDataTab] = []
        self._restart = QTimer(self, singleShot=True, interval=RESTART_DELAY_MS)
        self._restart.timeout.connect(self._restart_session)
        self.api.sig_page_added.connect(self._page_added)
        self.api.sig_app_opened.connect(self._app_opened)
        self.api.sig_app_closed.connect(self.stop)
        self.api.sig_window_closing.connect(self.stop)
        self.api.sig_project_changed.connect(lambda _project: self._project_changed())

    def _app_opened(self, root: Path) -> None:
        from ..data.client import QtDataClient

        self.stop()
        self.client = QtDataClient(root, self)
        self.client.sig_output.connect(cast("RunFeature", self.api.get_feature("run")).output.append)

    def stop(self) -> None:
        if self.client is not None:
            self.client.stop()
            self.client.deleteLater()
            self.client = None

    def _project_changed(self) -> None:
        if self.client is not None and self.client.process is not None:
            self._restart.start()
        for tab in list(self.tabs):
            tab.model_events = self.model_events(tab.model_name)

    def _restart_session(self) -> None:
        if self.client is not None:
            self.client.restart()

    def model_events(self, model: str) -> list[tuple[str, str]]:
        """(fullName, operate) of the model events subscribed to `model`: those a row can seed a Test run of."""
        from ...project.references import subscribers

        project = self.api.project
        element = project.get(model) if project is not None else None
        if element is None:
            return []
        return sorted((event.full_name, str(getattr(event.event_spec, "operate", "")))
                      for event in subscribers(project, element) if event.kind == "model")

    def _page_added(self, page: QtPage) -> None:
        from ...project import ModelElement

        if not isinstance(getattr(page, "element", None), ModelElement) or not hasattr(page, "tabs") or self.client is None:
            return
        from ..data.tab import QtDataTab

        tab = QtDataTab(self.client, page.key)
        tab.setObjectName("dataTab")
        tab.model_events = self.model_events(page.key)
        records = cast("RecordsFeature", self.api.get_feature("records"))
        tab.sig_open_record.connect(lambda event, record: records.open_record(event, record))
        tab.sig_test_row.connect(self.test_with_row)
        tab.sig_status.connect(page.sig_status)
        page.tabs.insertTab(1, tab, "Data")
        page.tabs.currentChanged.connect(lambda _i: tab.load() if page.tabs.currentWidget() is tab else None)
        self.tabs.append(tab)
        self.client.start()  # ready by the time the Data tab is looked at
        tab.destroyed.connect(lambda *_: self.tabs.remove(tab) if tab in self.tabs else None)

    def test_with_row(self, event: str, row: dict) -> None:
        """Open the event's page with its Test run payload made from `row`."""
        page = self.api.open_element(event)
        if page is not None and hasattr(page, "show_test_run_with_row"):
            page.show_test_run_with_row(row)
