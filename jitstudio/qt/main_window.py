"""MainWindow: the element tree on the left, pages in the centre, Problems / Messages / Run output below."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QProgressBar, QStackedWidget, QWidget,
)

from .. import __version__
from ..cli._process import runtime_args
from ..project import Project
from .docks import QtMessagesPane, QtProblemsPane, QtRunOutputPane
from .icons import icon
from .menus import build_menus
from .pages import QtEventPage, QtFilePage, QtPage, page_for
from .failures import QtFailureIndicator
from .records import open_records as open_records_page
from .runner import APP_RUN_KILL_AFTER_MS, RuntimeRunner, has_cli_command
from .session import ProjectSession
from .settings import Settings
from .tabs import QtPageTabs
from .tree import QtElementTree
from .welcome import QtWelcomePage
from .wizards import WIZARDS

EXAMPLE = "shop"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.session: ProjectSession | None = None
        self.app_runner = RuntimeRunner(self, kill_after_ms=APP_RUN_KILL_AFTER_MS)
        self.setWindowTitle("jitstudio")
        self.setWindowIcon(icon("app"))
        self.resize(1400, 880)
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)

        self.welcome = QtWelcomePage()
        self.tabs = QtPageTabs()
        self.empty = QLabel("Open an element from the tree, or add one with +.", objectName="hint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.centre = QStackedWidget()
        for widget in (self.welcome, self.tabs, self.empty):
            self.centre.addWidget(widget)
        self.setCentralWidget(self.centre)

        self.tree = QtElementTree()
        self.problems = QtProblemsPane()
        self.messages = QtMessagesPane()
        self.run_output = QtRunOutputPane()
        self.tree_dock = self._dock("Elements", "elementsDock", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.messages_dock = self._dock("Messages", "messagesDock", self.messages, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.output_dock = self._dock("Run output", "runOutputDock", self.run_output, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.problems_dock, self.messages_dock)
        self.tabifyDockWidget(self.messages_dock, self.output_dock)
        self.problems_dock.raise_()
        self.resizeDocks([self.tree_dock], [290], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)

        self.progress = QProgressBar(maximumWidth=140, textVisible=False)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.problem_count = QLabel()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.problem_count)

        self.failures = QtFailureIndicator(self.tree, self.statusBar(), self)
        self.failures.sig_open_failures.connect(lambda: self.open_records(None, status="fail"))
        self.actions_by_name = build_menus(self)
        for dock in (self.tree_dock, self.problems_dock, self.messages_dock, self.output_dock):
            self.view_menu.addAction(dock.toggleViewAction())

        self.tree.sig_open_element.connect(self.open_element)
        self.tree.sig_new_element.connect(self.new_element)
        self.problems.sig_open_location.connect(self.open_location)
        self.problems.sig_count_changed.connect(self._show_counts)
        self.welcome.sig_open_app.connect(lambda p: self.open_app(Path(p)))
        self.welcome.sig_open_dialog.connect(self.open_dialog)
        self.welcome.sig_new_from_example.connect(self.new_from_example_dialog)
        self.tabs.currentChanged.connect(self._current_changed)
        self._restore_layout()
        self.show_welcome()

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    # -- the open app
    @property
    def project(self) -> Project | None:
        return self.session.project if self.session else None

    def show_welcome(self) -> None:
        self.welcome.set_recent(self.settings.recent_apps())
        self._refresh_recent_menu()
        self.centre.setCurrentWidget(self.welcome)
        for dock in (self.tree_dock, self.problems_dock, self.messages_dock, self.output_dock):
            dock.setVisible(False)
        self.setWindowTitle("jitstudio")

    def open_app(self, root: Path, wait: bool = False) -> bool:
        root = Path(root).resolve()
        if not root.is_dir():
            QMessageBox.warning(self, "Open app", f"{root} is not a folder.")
            return False
        if self.session is not None and not self.close_app():
            return False
        self.session = ProjectSession(root, self)
        self.session.sig_project_changed.connect(self._project_changed)
        self.session.sig_loading.connect(self._loading)
        self.session.sig_load_failed.connect(lambda text: self.statusBar().showMessage("Loading failed: " + text.strip().splitlines()[-1]))
        self.settings.add_recent(root)
        self._refresh_recent_menu()
        for dock in (self.tree_dock, self.problems_dock, self.messages_dock, self.output_dock):
            dock.setVisible(True)
        self.problems_dock.raise_()
        self.centre.setCurrentWidget(self.empty)
        self.messages.set_root(root)
        self.failures.watch(root)
        if wait:
            self.session.load_now()
        else:
            self.session.reload_async()
        return True

    def close_app(self) -> bool:
        if not self.tabs.confirm_close_all():
            return False
        self.tabs.close_all()
        self.failures.stop()
        if self.session is not None:
            self.session.deleteLater()
        self.session = None
        self.messages.stop()
        self.show_welcome()
        return True

    def reload_project(self) -> None:
        if self.session is not None:
            self.session.reload_async()

    def _loading(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if busy:
            self.statusBar().showMessage("Loading app…")
        else:
            self.statusBar().clearMessage()

    def _project_changed(self, project: Project) -> None:
        self.setWindowTitle(f"{project.title} — jitstudio")
        self.tree.set_project(project)
        self.problems.set_problems(project.root, project.problems)
        for page in self.tabs.pages():
            page.project_changed(project)
        if self.centre.currentWidget() is self.empty and self.tabs.count():
            self.centre.setCurrentWidget(self.tabs)

    def _show_counts(self, errors: int, warnings: int) -> None:
        self.problem_count.setText(f"{errors} errors · {warnings} warnings")
        self.problems_dock.setWindowTitle(f"Problems ({errors + warnings})" if errors + warnings else "Problems")

    # -- pages
    def add_page(self, page: QtPage) -> QtPage:
        page.sig_status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        if hasattr(page, "sig_open_element"):
            page.sig_open_element.connect(self.open_element)
        if hasattr(page, "sig_open_function"):
            page.sig_open_function.connect(self.open_function)
        if isinstance(page, QtEventPage):
            page.sig_open_records.connect(self.open_records)
            page.sig_runner_started.connect(self._runner_started)
        self.tabs.add_page(page)
        self.centre.setCurrentWidget(self.tabs)
        return page

    def open_element(self, full_name: str) -> QtPage | None:
        page = self.tabs.find(full_name)
        if page is None:
            if self.project is None or self.project.get(full_name) is None:
                return None
            page = self.add_page(page_for(self.project, full_name))
        self.tabs.setCurrentWidget(page)
        self.centre.setCurrentWidget(self.tabs)
        self.tree.select(full_name)
        return page

    def open_function(self, owner: str, function: str) -> QtPage | None:
        """Open a service's page on one of its functions in the function editor."""
        page = self.open_element(owner)
        if page is not None and hasattr(page, "edit_function"):
            page.edit_function(function)
        return page

    def open_location(self, path: str, line: int, col: int = 1) -> QtPage | None:
        """Open the file (absolute, or relative to the app) at the line: in its element's page when that page
        edits it, else in a file page."""
        if self.project is None:
            return None
        path = str(Path(path) if Path(path).is_absolute() else self.project.root / path)
        for page in self.tabs.pages():
            if page.go_to(path, line, col):
                self.tabs.setCurrentWidget(page)
                return page
        owner = next((e for e in self.project.elements.values() if Path(path).parent == e.directory), None)
        if owner is not None and Path(path).name != "e.json":
            page = self.open_element(owner.full_name)
            if page is not None and page.go_to(path, line, col):
                return page
        page = self.tabs.find(str(Path(path).resolve())) or self.add_page(QtFilePage(self.project, Path(path)))
        self.tabs.setCurrentWidget(page)
        page.go_to(path, line, col)
        return page

    def current_page(self) -> QtPage | None:
        return self.tabs.currentWidget() if self.centre.currentWidget() is self.tabs else None

    def _current_changed(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        is_event = isinstance(page, QtEventPage)
        self.actions_by_name["test_run"].setEnabled(is_event)
        self.actions_by_name["records"].setEnabled(is_event)
        if page is not None and page.key and self.project is not None and self.project.get(page.key):
            self.tree.select(page.key)
        if self.tabs.count() == 0 and self.session is not None:
            self.centre.setCurrentWidget(self.empty)

    def save_current(self) -> bool:
        page = self.current_page()
        return page.save() if page is not None and page.is_dirty() else True

    def save_all(self) -> bool:
        return all(page.save() for page in self.tabs.pages() if page.is_dirty())

    def close_current(self) -> None:
        page = self.current_page()
        if page is not None:
            self.tabs.close_page(page)

    # -- new elements
    def show_new_menu(self) -> None:
        if self.project is not None:
            self.tree.plus.menu().popup(self.tree.plus.mapToGlobal(QPoint(0, self.tree.plus.height())))

    def create_wizard(self, key: str):
        return WIZARDS[key](self.project, self)

    def new_element(self, key: str) -> str | None:
        if self.project is None:
            return None
        wizard = self.create_wizard(key)
        if not wizard.exec() or not wizard.created:
            return None
        return self.element_created(wizard.created)

    def element_created(self, full_name: str) -> str:
        self.session.load_now()
        self.open_element(full_name)
        self.statusBar().showMessage(f"Created {full_name}", 5000)
        return full_name

    # -- running, records
    def open_records(self, event_full_name: str | None = None, status: str | None = None) -> QWidget | None:
        """Open the record browser, filtered to one event or showing all events."""
        if self.project is None:
            return None
        page = open_records_page(self, self.project.root, event_full_name)
        if status is not None:
            page.filter_bar.set_status(status)
        return page

    def _runner_started(self, runner: RuntimeRunner, title: str) -> None:
        self.run_output.attach(runner, title)

    def test_run_current(self) -> None:
        page = self.current_page()
        if isinstance(page, QtEventPage):
            page.show_test_run()
            page.test_panel.run()

    def records_current(self) -> None:
        page = self.current_page()
        if isinstance(page, QtEventPage):
            self.open_records(page.key)

    def run_app(self) -> None:
        if self.project is None:
            return
        if not has_cli_command("run"):
            self.statusBar().showMessage("This installation has no runtime (`jitstudio run` is missing).", 6000)
            return
        if self.app_runner.is_running():
            self.statusBar().showMessage("The app is already running; Stop it first.", 4000)
            return
        self.app_runner.start(runtime_args(["run", str(self.project.root)]), cwd=self.project.root)
        self.run_output.attach(self.app_runner, f"Run {self.project.title}")
        self.output_dock.raise_()

    def stop_run(self) -> None:
        page = self.current_page()
        if isinstance(page, QtEventPage) and page.test_panel.runner.is_running():
            page.test_panel.stop()
        elif self.app_runner.is_running():
            self.app_runner.stop()
        elif self.run_output.runner is not None:
            self.run_output.runner.stop()

    # -- files and folders
    def open_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open app folder")
        if folder:
            self.open_app(Path(folder))

    def new_from_example_dialog(self) -> None:
        folder, _ = QFileDialog.getSaveFileName(self, "New app from the Shop example: choose its folder", str(Path.home() / "shop"))
        if folder:
            self.new_from_example(Path(folder))

    def new_from_example(self, target: Path) -> bool:
        from ..cli._project import examples_dir

        target = Path(target)
        if target.exists() and any(target.iterdir()):
            QMessageBox.warning(self, "New app", f"{target} exists and is not empty; choose a new folder.")
            return False
        shutil.copytree(examples_dir() / EXAMPLE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".jitstudio", "__pycache__"))
        return self.open_app(target)

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_apps():
            action = self.recent_menu.addAction(icon("app"), str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_app(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def find_in_tree(self) -> None:
        self.tree_dock.show()
        self.tree_dock.raise_()
        self.tree.focus_search()

    def about(self) -> None:
        QMessageBox.about(self, "About jitstudio", f"<b>jitstudio {__version__}</b><p>A desktop IDE and local runtime for event-driven low-code apps laid out the JitAI way.</p>")

    # -- layout and closing
    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:
        if not self.tabs.confirm_close_all():
            event.ignore()
            return
        if self.session is not None:
            self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.tabs.close_all()
        self.messages.stop()
        if self.app_runner.is_running():
            self.app_runner.stop()
            self.app_runner.process.waitForFinished(APP_RUN_KILL_AFTER_MS)
        event.accept()
