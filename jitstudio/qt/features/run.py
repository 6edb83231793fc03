"""Running the app: Run app (F5) in a runtime process, Stop (Shift+F5), and the Run output dock that shows
what every runtime process prints, the app's and those the pages start."""
from __future__ import annotations

from ..docks import QtRunOutputPane
from ..pages.base import QtPage
from ..runner import APP_RUN_KILL_AFTER_MS, RuntimeRunner, has_cli_command
from .api import Feature, offering


class RunFeature(Feature):
    name = "run"

    def register(self) -> None:
        self.output = QtRunOutputPane()
        self.dock = self.api.add_dock("Run output", "runOutputDock", self.output)
        self.app_runner = RuntimeRunner(self, kill_after_ms=APP_RUN_KILL_AFTER_MS)
        self.api.add_action("run", "&Run app", self.run_app, menu="Run", section="run", shortcut="F5", icon_name="play")
        self.api.add_action("stop", "&Stop", self.stop, menu="Run", section="run", shortcut="Shift+F5", icon_name="stop")
        self.api.sig_page_added.connect(self._page_added)
        self.api.sig_window_closing.connect(self._closing)

    def _page_added(self, page: QtPage) -> None:
        runner = offering(page, "runner")
        if runner is not None:
            runner.sig_runner_started.connect(self.output.attach)

    def run_app(self) -> None:
        project = self.api.project
        if project is None:
            return
        if not has_cli_command("run"):
            self.api.show_status("This installation has no runtime (`jitstudio run` is missing).", 6000)
            return
        if self.app_runner.is_running():
            self.api.show_status("The app is already running; Stop it first.", 4000)
            return
        from ...cli._process import runtime_args

        self.app_runner.start(runtime_args(["run", str(project.root)]), cwd=project.root, app_dir=project.root)
        self.output.attach(self.app_runner, f"Run {project.title}")
        self.dock.raise_()

    def stop(self) -> None:
        """Stop the current page's test run, else the app, else what the Run output shows."""
        page = offering(self.api.current_page(), "test-run")
        if page is not None and page.stop_test():
            return
        if self.app_runner.is_running():
            self.app_runner.stop()
        elif self.output.runner is not None:
            self.output.runner.stop()

    def _closing(self) -> None:
        process = self.app_runner.process
        if process is not None and self.app_runner.is_running():
            self.app_runner.stop()
            process.waitForFinished(APP_RUN_KILL_AFTER_MS)
