"""How an IDE feature joins the main window: a `Feature` registers, through the `WindowApi` it is given, the
page kinds, actions, menu entries, docks and status-bar widgets it brings, and follows the window's signals.

The window knows no feature, and a feature knows the window only through this API: it opens pages by key,
and asks pages for what they offer by capability name (`jitstudio.qt.pages.base.CAPABILITIES`)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from ..menus import QtMainMenus, make_action
from ..pages.base import QtPage
from ..startup import EVERY_STEP, DeferredLoading
from ..tree import QtElementTree

if TYPE_CHECKING:
    from ...project import Project

PageFactory = Callable[[str], QtPage | None]
EnabledRule = str | Callable[[QtPage | None], bool]


class WindowHost(Protocol):
    """The part of the main window the API stands in front of."""

    actions_by_name: dict[str, QAction]
    menus: QtMainMenus
    loading: DeferredLoading

    @property
    def project(self) -> Project | None: ...
    def current_page(self) -> QtPage | None: ...
    def open_page(self, key: str) -> QtPage | None: ...
    def open_element(self, full_name: str) -> QtPage | None: ...
    def open_location(self, path: str, line: int, col: int = 1) -> QtPage | None: ...
    def add_dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget: ...
    def mark_failing_elements(self, counts: dict[str, int]) -> None: ...
    def reload_now(self) -> None: ...
    @property
    def tree(self) -> QtElementTree: ...


def offers(page: QtPage | None, capability: str) -> bool:
    return page is not None and page.offers(capability)


def offering(page: QtPage | None, capability: str) -> Any:
    """The page when it offers `capability` (then it has the members `CAPABILITIES` names), else None."""
    return page if offers(page, capability) else None


class WindowApi(QObject):
    """What a feature may do with the window it joins."""

    sig_page_added = Signal(object)  # QtPage, before it shows: connect to what it offers
    sig_current_page_changed = Signal(object)  # QtPage | None
    sig_project_changed = Signal(object)  # Project, after every load
    sig_app_opened = Signal(object)  # Path of the app folder, before its first load
    sig_app_closed = Signal()
    sig_window_closing = Signal()  # stop what runs: the window is going away

    def __init__(self, host: WindowHost, window: QMainWindow):
        super().__init__(window)
        self._host, self._window = host, window
        self._page_kinds: dict[str, PageFactory] = {}
        self._rules: list[tuple[QAction, Callable[[QtPage | None], bool]]] = []
        self.features: dict[str, Feature] = {}
        self.sig_current_page_changed.connect(self._update_enabled)

    # -- features
    def add_feature(self, feature: type[Feature]) -> Feature:
        missing = [name for name in feature.requires if name not in self.features]
        if missing:
            raise LookupError(f"the {feature.name!r} feature needs {', '.join(missing)} registered first")
        if feature.name in self.features:
            raise ValueError(f"a feature named {feature.name!r} is registered already")
        instance = feature(self)
        self.features[feature.name] = instance
        instance.register()
        return instance

    def get_feature(self, name: str) -> Feature:
        return self.features[name]

    # -- the open app and its pages
    @property
    def project(self) -> Project | None:
        return self._host.project

    @property
    def app_root(self) -> Path | None:
        project = self._host.project
        return project.root if project is not None else None

    def current_page(self) -> QtPage | None:
        return self._host.current_page()

    def add_page_kind(self, prefix: str, factory: PageFactory) -> None:
        """Pages keyed `prefix:…` are made by `factory(key)` when `open_page` finds none open."""
        if prefix in self._page_kinds:
            raise ValueError(f"pages keyed {prefix}: are made by another feature")
        self._page_kinds[prefix] = factory

    def create_page(self, key: str) -> QtPage | None:
        prefix, colon, _rest = key.partition(":")
        factory = self._page_kinds.get(prefix) if colon else None
        return factory(key) if factory is not None else None

    def open_page(self, key: str) -> QtPage | None:
        """Show the page of `key`, made by its page kind when it is not open yet."""
        return self._host.open_page(key)

    def open_element(self, full_name: str) -> QtPage | None:
        return self._host.open_element(full_name)

    def open_location(self, path: str, line: int, col: int = 1) -> QtPage | None:
        return self._host.open_location(path, line, col)

    def mark_failing_elements(self, counts: dict[str, int]) -> None:
        """Badge elements in the element tree with their failure counts."""
        self._host.mark_failing_elements(counts)

    def reload_now(self) -> None:
        """Load the app from disk on this thread, now (after a feature wrote files itself)."""
        self._host.reload_now()

    @property
    def element_tree(self) -> QtElementTree:
        """The element tree on the left: its signals, its + button."""
        return self._host.tree

    @property
    def dialog_parent(self) -> QWidget:
        """The window, as the parent of a feature's dialogs and menus."""
        return self._window

    # -- loading after the first paint
    def add_loading_step(self, name: str, in_background: Callable[[], object],
                         then: Callable[[object], None] | None = None) -> None:
        """Work the window does once it has been painted and the app's elements are in the tree, after the
        steps added before: `in_background()` on a worker thread (imports, reading files), then `then(result)`
        on the GUI thread."""
        self._host.loading.add(name, in_background, then)

    def when_loaded(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the loading steps are done (at once when they are): for work that should not
        hold up the first paint and the tree, such as polling the record store."""
        self._host.loading.when_done(EVERY_STEP, callback)

    # -- what the window shows
    def show_status(self, text: str, msecs: int = 5000) -> None:
        self._window.statusBar().showMessage(text, msecs)

    def add_status_widget(self, widget: QWidget) -> None:
        self._window.statusBar().addPermanentWidget(widget)

    def add_dock(self, title: str, name: str, widget: QWidget,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.BottomDockWidgetArea) -> QDockWidget:
        """A dock (objectName `name`, kept in the saved layout), tabbed with the others of its area, listed in
        View, shown while an app is open."""
        return self._host.add_dock(title, name, widget, area)

    def add_action(self, name: str, text: str, slot: Callable[[], object], *, menu: str | None = None,
                   section: str | None = None, shortcut=None, icon_name: str | None = None,
                   enabled_when: EnabledRule | None = None, before: str | None = None) -> QAction:
        """An action, found by `name` in `actions_by_name`; in a main menu's section (else a window shortcut).
        `enabled_when` is a capability the current page must offer, or a test of the current page."""
        if name in self._host.actions_by_name:
            raise ValueError(f"an action named {name!r} exists already")
        action = make_action(self._window, text, slot, shortcut, icon_name)
        self._host.actions_by_name[name] = action
        if menu is None:
            self._window.addAction(action)
        else:
            self.add_menu_item(menu, section, action, before=before)
        if enabled_when is not None:
            rule = (lambda page, c=enabled_when: offers(page, c)) if isinstance(enabled_when, str) else enabled_when
            self._rules.append((action, rule))
            action.setEnabled(bool(rule(self.current_page())))
        return action

    def add_menu_item(self, menu: str, section: str | None, item: QAction | QMenu, before: str | None = None) -> QAction:
        """Add an action or a submenu to a main menu (File, Edit, Run, View, Help); `before` names an action."""
        sections = self._host.menus.sections(menu)
        return self._host.menus.add(menu, section or sections[-1], item, self._host.actions_by_name.get(before or ""))

    def _update_enabled(self, page: QtPage | None) -> None:
        for action, rule in self._rules:
            action.setEnabled(bool(rule(page)))


class Feature(QObject):
    """One IDE feature. Subclasses name themselves, list the features they build on, and in `register()` add
    what they bring through `self.api`; other features reach them with `api.get_feature(name)`."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self, api: WindowApi):
        super().__init__(api)
        self.api = api

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "register", None)):
            raise TypeError(f"the feature {cls.__name__} has no register() adding what it brings to the window")
        if not cls.name:
            raise TypeError(f"the feature {cls.__name__} has no name")

    if TYPE_CHECKING:
        def register(self) -> None: ...

