"""MainWindow: the frame the IDE's features join: the element tree on the left, pages in the centre (or the
welcome page), docks below, the main menus, the open app and the saved layout.

It paints first: the app's project loads once the frame is on screen, and what the pages, the highlighters
and the features need is imported after that, in `loading` steps (`jitstudio.qt.startup`)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QProgressBar, QStackedWidget, QWidget,
)

from .. import __version__
from .features import DEFAULT_FEATURES, Feature, WindowApi, offering
from .icons import icon
from .menus import QtMainMenus
from .pages import QtPage
from .preferences import QtPreferencesDialog, apply_editor_preferences
from .session import ProjectSession
from .settings import Settings
from .startup import DeferredLoading, after_first_paint
from .tabs import QtPageTabs
from .tree import QtElementTree
from .welcome import QtWelcomePage

if TYPE_CHECKING:
    from ..project import Project

EXAMPLE = "shop"
DOCK_FEATURES = QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable \
    | QDockWidget.DockWidgetFeature.DockWidgetFloatable
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
# Below their own minimum a bottom dock's lists scroll: it must not set the window's minimum size.
BOTTOM_DOCK_MINIMUM = QSize(200, 60)
# A restored window stays this far inside the screen's free area, for the window manager's frame.
FRAME_ALLOWANCE = QSize(16, 40)


def import_pages() -> None:
    """The element and file pages, with the function editor and the project model they are built on."""
    from .pages import element_pages, file_page  # noqa: F401


def prepare_highlighters() -> None:
    from .widgets.highlighter import prepare_lexers

    prepare_lexers()


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None,
                 features: Iterable[type[Feature]] = DEFAULT_FEATURES):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.session: ProjectSession | None = None
        self._tabs_to_reopen: tuple[list[str], str | None] = ([], None)
        self.painted = False
        self.loading = DeferredLoading(self)
        self.loading.add("pages", import_pages)
        self.loading.add("highlighters", prepare_highlighters)
        self.loading.sig_step_failed.connect(lambda step, text: self.statusBar().showMessage(
            f"Loading {step} failed: " + text.strip().splitlines()[-1]))
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
        self.progress = QProgressBar(maximumWidth=140, textVisible=False)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)

        self.menus = QtMainMenus(self.menuBar())
        self.actions_by_name: dict[str, QAction] = {}
        self.docks: list[QDockWidget] = []
        self.api = WindowApi(self, self)
        self.tree = QtElementTree()
        self.tree_dock = self.add_dock("Elements", "elementsDock", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.recent_menu = self._add_frame_actions()
        for feature in features:
            self.api.add_feature(feature)
        self.resizeDocks([self.tree_dock], [290], Qt.Orientation.Horizontal)
        self.resizeDocks([d for d in self.docks if self.dockWidgetArea(d) == BOTTOM][:1], [150], Qt.Orientation.Vertical)

        self.tree.sig_open_element.connect(self.open_element_when_ready)
        self.welcome.sig_open_app.connect(lambda p: self.open_app(Path(p)))
        self.welcome.sig_open_dialog.connect(self.open_dialog)
        self.welcome.sig_new_from_example.connect(self.new_from_example_dialog)
        self.tabs.currentChanged.connect(self._current_changed)
        self._restore_layout()
        self.show_welcome()
        after_first_paint(self, self._painted)

    def _painted(self) -> None:
        """The frame is on screen: load the app's project, then the rest."""
        self.painted = True
        if self.session is not None and self.session.project is None and not self.session.is_loading():
            self.session.reload_async()
        self._load_the_rest()

    def _load_the_rest(self) -> None:
        """Start the loading steps once the window is painted and the app (if one is open) is in the tree."""
        if self.painted and not (self.session is not None and self.session.is_loading()):
            self.loading.start()

    def _add_frame_actions(self):
        add = self.api.add_action
        add("new_app", "New app from the &example…", self.new_from_example_dialog, menu="File", section="open")
        add("open", "&Open app…", self.open_dialog, menu="File", section="open", shortcut=QKeySequence.StandardKey.Open)
        recent = QMenu("Open &recent", self.menus.menus["File"])
        self.api.add_menu_item("File", "open", recent)
        for name, text, slot, shortcut in (
                ("save", "&Save", self.save_current, QKeySequence.StandardKey.Save),
                ("save_all", "Save a&ll", self.save_all, "Ctrl+Shift+S"),
                ("close_tab", "&Close tab", self.close_current, QKeySequence.StandardKey.Close),
                ("close_app", "Close app", self.close_app, None)):
            add(name, text, slot, menu="File", section="save", shortcut=shortcut)
        add("preferences", "&Preferences…", self.preferences_dialog, menu="File", section="preferences", shortcut="Ctrl+,")
        add("quit", "&Quit", self.close, menu="File", section="quit", shortcut=QKeySequence.StandardKey.Quit)
        add("find", "&Find in tree", self.find_in_tree, menu="Edit", section="find", shortcut="Ctrl+P")
        add("reload", "&Reload from disk", self.reload_project, menu="Edit", section="find", shortcut="Ctrl+R")
        add("about", "&About jitstudio", self.about, menu="Help", section="about")
        return recent

    def add_dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """A dock listed in View; in an area that has docks already it joins their tabs, behind the first."""
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        dock.setFeatures(DOCK_FEATURES)
        if area == BOTTOM:
            hint = widget.minimumSizeHint()
            widget.setMinimumSize(max(1, min(hint.width(), BOTTOM_DOCK_MINIMUM.width())),
                                  max(1, min(hint.height(), BOTTOM_DOCK_MINIMUM.height())))
        same_area = [d for d in self.docks if self.dockWidgetArea(d) == area]
        self.addDockWidget(area, dock)
        if same_area:
            self.tabifyDockWidget(same_area[-1], dock)
        self.docks.append(dock)
        if self.session is not None:
            dock.show()
        self._raise_first_bottom_dock()
        self.api.add_menu_item("View", "docks", dock.toggleViewAction())
        return dock

    def _raise_first_bottom_dock(self) -> None:
        bottom = next((d for d in self.docks if self.dockWidgetArea(d) == BOTTOM), None)
        if bottom is not None:
            bottom.raise_()

    def get_feature(self, name: str) -> Feature:
        return self.api.get_feature(name)

    # -- the open app
    @property
    def project(self) -> Project | None:
        return self.session.project if self.session else None

    def show_welcome(self) -> None:
        self.welcome.set_recent(self.settings.recent_apps())
        self._refresh_recent_menu()
        self.centre.setCurrentWidget(self.welcome)
        for dock in self.docks:
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
        self._tabs_to_reopen = self.settings.open_tabs(root)
        self.session.sig_project_changed.connect(self._project_changed)
        self.session.sig_loading.connect(self._loading)
        self.session.sig_load_failed.connect(self._load_failed)
        self.settings.add_recent(root)
        self._refresh_recent_menu()
        for dock in self.docks:
            dock.setVisible(True)
        self._raise_first_bottom_dock()
        self.centre.setCurrentWidget(self.empty)
        self.api.sig_app_opened.emit(root)
        if wait:
            self.session.load_now()
        elif self.painted or not self.isVisible():
            self.session.reload_async()
        else:
            self.tree.set_loading(True)  # the project loads once the frame has been painted
        return True

    def close_app(self) -> bool:
        if not self.tabs.confirm_close_all():
            return False
        self._remember_tabs()
        self.tabs.close_all()
        if self.session is not None:
            self.session.deleteLater()
        self.session = None
        self.api.sig_app_closed.emit()
        self.show_welcome()
        return True

    def reload_project(self) -> None:
        if self.session is not None:
            self.session.reload_async()

    def reload_now(self) -> None:
        if self.session is not None:
            self.session.load_now()

    def _loading(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.tree.set_loading(busy)
        if busy:
            self.statusBar().showMessage("Loading app…")
        else:
            self.statusBar().clearMessage()

    def _load_failed(self, text: str) -> None:
        self.statusBar().showMessage("Loading failed: " + text.strip().splitlines()[-1])
        self._load_the_rest()

    def _project_changed(self, project: Project) -> None:
        self.setWindowTitle(f"{project.title} — jitstudio")
        self.tree.set_project(project)
        self.api.sig_project_changed.emit(project)
        for page in self.tabs.pages():
            page.project_changed(project)
        if self.centre.currentWidget() is self.empty and self.tabs.count():
            self.centre.setCurrentWidget(self.tabs)
        self._load_the_rest()
        self._reopen_remembered_tabs()

    def mark_failing_elements(self, counts: dict[str, int]) -> None:
        self.tree.set_failure_counts(counts)

    # -- pages
    def add_page(self, page: QtPage) -> QtPage:
        page.sig_status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        asking: Any = page  # it has the members of what it offers
        if page.offers("open-element"):
            asking.sig_open_element.connect(self.open_element)
        if page.offers("open-function"):
            asking.sig_open_function.connect(self.open_function)
        if page.offers("open-file"):
            asking.sig_open_file.connect(lambda path, line: self.open_location(path, line))
        self.api.sig_page_added.emit(page)
        apply_editor_preferences(page)
        self.tabs.add_page(page)
        self.centre.setCurrentWidget(self.tabs)
        return page

    def open_page(self, key: str) -> QtPage | None:
        """The page of `key` in front, made by the page kind a feature registered when it is not open."""
        page = self.tabs.find(key)
        if page is None:
            page = self.api.create_page(key)
            if page is None:
                return None
            self.add_page(page)
        self.tabs.setCurrentWidget(page)
        self.centre.setCurrentWidget(self.tabs)
        return page

    def open_element_when_ready(self, full_name: str) -> None:
        """From the tree: open the element's page now, or once the pages being loaded in the background are."""
        if not self.loading.started or self.loading.is_done("pages"):
            self.open_element(full_name)
            return

        def open_held_click() -> None:
            self.statusBar().clearMessage()
            self.open_element(full_name)

        self.statusBar().showMessage(f"Opening {full_name}…")
        self.loading.when_done("pages", open_held_click)

    def open_element(self, full_name: str) -> QtPage | None:
        page = self.tabs.find(full_name)
        if page is None:
            if self.project is None or self.project.get(full_name) is None:
                return None
            from .pages.element_pages import page_for

            page = self.add_page(page_for(self.project, full_name))
        self.tabs.setCurrentWidget(page)
        self.centre.setCurrentWidget(self.tabs)
        self.tree.select(full_name)
        return page

    def open_function(self, owner: str, function: str) -> QtPage | None:
        """Open a service's page on one of its functions in the function editor."""
        page = self.open_element(owner)
        editor = offering(page, "edit-function")
        if editor is not None:
            editor.edit_function(function)
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
        from .pages.file_page import QtFilePage

        page = self.tabs.find(str(Path(path).resolve())) or self.add_page(QtFilePage(self.project, Path(path)))
        self.tabs.setCurrentWidget(page)
        page.go_to(path, line, col)
        return page

    def current_page(self) -> QtPage | None:
        return self.tabs.currentWidget() if self.centre.currentWidget() is self.tabs else None

    # -- the tabs an app had open, reopened with it
    def _remember_tabs(self) -> None:
        if self.session is not None:
            current = self.tabs.currentWidget()
            keys = [page.key for page in self.tabs.pages() if page.key]
            self.settings.save_open_tabs(self.session.root, keys, current.key if isinstance(current, QtPage) else None)

    def _reopen_remembered_tabs(self) -> None:
        """After the app's first load: its tabs of last time, once the pages can be made."""
        keys, current = self._tabs_to_reopen
        self._tabs_to_reopen = ([], None)
        if keys:
            self.loading.when_done("pages", lambda: self._reopen_tabs(keys, current))

    def _reopen_tabs(self, keys: list[str], current: str | None) -> None:
        for key in keys:
            if self.project is None:
                return
            if self.project.get(key) is not None:
                self.open_element(key)
            elif Path(key).is_file():
                self.open_location(key, 1)
            else:
                self.open_page(key)
        page = self.tabs.find(current) if current else None
        if page is not None:
            self.tabs.setCurrentWidget(page)

    def _current_changed(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        self.api.sig_current_page_changed.emit(page)
        if page is not None and page.key and self.project is not None and self.project.get(page.key):
            self.tree.select(page.key)
        if self.tabs.count() == 0 and self.session is not None:
            self.centre.setCurrentWidget(self.empty)

    def save_current(self) -> bool:
        page = self.current_page()
        if page is None:
            return True
        page.take_typing()
        return page.save() if page.is_dirty() else True

    def save_all(self) -> bool:
        page = self.current_page()
        if page is not None:
            page.take_typing()
        return all(page.save() for page in self.tabs.pages() if page.is_dirty())

    def close_current(self) -> None:
        page = self.current_page()
        if page is not None:
            self.tabs.close_page(page)

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

    def preferences_dialog(self) -> QtPreferencesDialog:
        dialog = self.findChild(QtPreferencesDialog) or QtPreferencesDialog(self.settings, self)
        dialog.show()
        dialog.raise_()
        return dialog

    def about(self) -> None:
        QMessageBox.about(self, "About jitstudio", f"<b>jitstudio {__version__}</b><p>A desktop IDE and local runtime for event-driven low-code apps laid out the JitAI way.</p>")

    # -- layout and closing
    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.fit_to_screen()
        if state is not None:
            self.restoreState(state)

    def fit_to_screen(self) -> None:
        """Shrink and move the window into its screen's free area (a layout saved on a larger screen, or at
        a smaller scale factor, would open partly off screen)."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        width = max(min(self.width(), area.width() - FRAME_ALLOWANCE.width()), self.minimumSizeHint().width())
        height = max(min(self.height(), area.height() - FRAME_ALLOWANCE.height()), self.minimumSizeHint().height())
        self.resize(width, height)
        x = max(area.left(), min(self.x(), area.right() + 1 - width - FRAME_ALLOWANCE.width()))
        y = max(area.top(), min(self.y(), area.bottom() + 1 - height - FRAME_ALLOWANCE.height()))
        self.move(x, y)

    def closeEvent(self, event) -> None:
        if not self.tabs.confirm_close_all():
            event.ignore()
            return
        if self.session is not None:
            self.settings.save_window_state(self.saveGeometry(), self.saveState())
            self._remember_tabs()
        self.tabs.close_all()
        self.api.sig_window_closing.emit()
        event.accept()
