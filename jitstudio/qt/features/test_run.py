"""Test run this event (Ctrl+F5): runs the current page's test run, on pages that offer one."""
from __future__ import annotations

from .api import Feature, offering


class EventTestRunFeature(Feature):
    name = "test-run"
    requires = ("run",)  # its runs show in Run output, its action before Stop

    def register(self) -> None:
        self.api.add_action("test_run", "&Test run this event", self.run_current, menu="Run", section="run",
                            shortcut="Ctrl+F5", icon_name="play", enabled_when="test-run", before="stop")

    def run_current(self) -> None:
        page = offering(self.api.current_page(), "test-run")
        if page is not None:
            page.run_test()
