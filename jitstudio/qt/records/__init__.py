"""The execution-record browser: `QtRecordsPage`, and `open_records` to show it in the main window."""
from __future__ import annotations

import os

from .page import QtRecordsPage, records_key

__all__ = ["QtRecordsPage", "open_records", "records_key"]


def open_records(window, app_dir: str | os.PathLike, event: str | None = None) -> QtRecordsPage:
    """Show the records page of `event` (all events with None) as a tab of the main window, reusing an open
    one; its links to code open in the window's editor and its runs show in the Run output pane."""
    page = window.tabs.find(records_key(event))
    if page is None:
        page = QtRecordsPage(app_dir, event)
        page.sig_open_file.connect(lambda path, line: window.open_location(path, line))
        page.sig_runner_started.connect(window.run_output.attach)
        window.add_page(page)
    window.tabs.setCurrentWidget(page)
    window.centre.setCurrentWidget(window.tabs)
    return page
