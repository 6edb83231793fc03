"""IDE features join the main window through its feature API: a feature brings page kinds, actions that
follow what the current page offers, menu entries and docks, and the window knows none of them. The record
browser, test runs, problems, messages and runs are such features."""
import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

import jitstudio.qt.main_window as main_window_module
from jitstudio.qt.features import Feature
from jitstudio.qt.features.new_elements import NewElementsFeature
from jitstudio.qt.features.records import RecordsFeature
from jitstudio.qt.features.test_run import EventTestRunFeature
from jitstudio.qt.main_window import MainWindow
from jitstudio.qt.pages import QtEventPage, QtFilePage, QtPage
from jitstudio.qt.pages.base import CAPABILITIES
from jitstudio.qt.pages.element_pages import QtElementPage
from jitstudio.qt.records import QtRecordsPage
from qt_helpers import click


class NotesPage(QtPage):
    capabilities = frozenset({"test-run"})

    def __init__(self, key: str):
        super().__init__(key)
        self.runs = 0

    def run_test(self) -> None:
        self.runs += 1

    def stop_test(self) -> bool:
        return False


class NotesFeature(Feature):
    name = "notes"

    def register(self) -> None:
        self.api.add_page_kind("notes", NotesPage)
        self.action = self.api.add_action("notes", "&Notes", lambda: self.api.open_page("notes:today"), menu="View",
                                          section="pages", shortcut="Ctrl+Alt+N", icon_name="records")
        self.dock = self.api.add_dock("Notes", "notesDock", QLabel("notes"))
        self.opened = []
        self.api.sig_app_opened.connect(self.opened.append)


class ModelsOnlyFeature(Feature):
    name = "models-only"

    def register(self) -> None:
        self.action = self.api.add_action("models_only", "Models only", lambda: None, menu="Help", section="about",
                                          enabled_when=lambda page: page is not None and page.key.startswith("models."))


def texts(window, menu: str) -> list[str]:
    return ["—" if a.isSeparator() else a.text() for a in window.menus.menus[menu].actions()]


def action(window, menu: str, text: str):
    return next(a for a in window.menus.menus[menu].actions() if a.text() == text)


def test_the_menus_keep_their_entries_in_their_sections(window):
    assert texts(window, "File") == ["&New", "New app from the &example…", "&Open app…", "Open &recent", "—", "&Save",
                                     "Save a&ll", "&Close tab", "Close app", "—", "&Preferences…", "—", "&Quit"]
    assert [text.split("\t")[0] for text in texts(window, "Edit")] == [
        "&Undo", "&Redo", "—", "Cu&t", "&Copy", "&Paste", "Select &all", "—", "&Find…", "R&eplace…", "Find ne&xt",
        "Find pre&vious", "&Go to line…", "&Find in tree", "&Reload from disk"]
    assert texts(window, "Run") == ["&Run app", "&Test run this event", "&Stop", "—", "Execution &records of this event"]
    assert texts(window, "View") == ["&Execution records (all events)", "—", "Elements", "Problems", "Messages", "Run output"]
    assert texts(window, "Help") == ["&About jitstudio"]
    shortcuts = {name: a.shortcut().toString() for name, a in window.actions_by_name.items()}
    assert shortcuts["run"] == "F5" and shortcuts["test_run"] == "Ctrl+F5" and shortcuts["stop"] == "Shift+F5"
    assert shortcuts["all_records"] == "Ctrl+Shift+E" and shortcuts["new"] == "Ctrl+N"


def test_a_feature_brings_a_page_kind_a_menu_entry_and_a_dock(qtbot, window, shop):
    notes = window.api.add_feature(NotesFeature)
    assert window.get_feature("notes") is notes
    assert texts(window, "View")[:3] == ["&Execution records (all events)", "&Notes", "—"]
    assert texts(window, "View")[-1] == "Notes" and notes.action.shortcut().toString() == "Ctrl+Alt+N"
    action(window, "View", "&Notes").trigger()
    page = window.current_page()
    assert isinstance(page, NotesPage) and page.key == "notes:today"
    notes.action.trigger()
    assert window.current_page() is page and window.tabs.count() == 1
    assert window.open_page("nobody:registered") is None

    dock = window.findChild(QDockWidget, "notesDock")
    shown = dock.toggleViewAction()
    assert dock is notes.dock and shown.isChecked()
    assert dock in window.tabifiedDockWidgets(window.findChild(QDockWidget, "problemsDock"))
    window.close_app()
    assert not shown.isChecked()
    window.open_app(shop, wait=True)
    assert shown.isChecked() and notes.opened == [shop.resolve()]


def test_an_action_follows_what_the_current_page_offers(qtbot, window):
    test_run = window.actions_by_name["test_run"]
    models_only = window.api.add_feature(ModelsOnlyFeature).action
    assert not test_run.isEnabled() and not models_only.isEnabled()
    model = window.open_element("models.Order")
    assert not test_run.isEnabled() and models_only.isEnabled()
    window.open_element("events.FillOrderNo")
    assert test_run.isEnabled() and not models_only.isEnabled()

    window.api.add_page_kind("notes", NotesPage)
    notes = window.open_page("notes:today")
    assert test_run.isEnabled()
    test_run.trigger()  # the test-run feature runs whatever page offers a test run
    assert notes.runs == 1
    window.tabs.setCurrentWidget(model)
    assert not test_run.isEnabled() and models_only.isEnabled()
    window.tabs.close_all()
    assert not test_run.isEnabled() and not models_only.isEnabled()


def test_the_record_browser_arrives_through_the_feature_api(qtbot, window):
    try:
        action(window, "View", "&Execution records (all events)").trigger()
        every = window.current_page()
        assert isinstance(every, QtRecordsPage) and every.key == "records:*" and every.filter_bar.filters().event is None

        event = window.open_element("events.OrderStatusAudit")
        click(qtbot, event.records_button)
        filtered = window.current_page()
        assert isinstance(filtered, QtRecordsPage) and filtered is not every
        assert filtered.filter_bar.event_name() == "events.OrderStatusAudit"

        window.tabs.setCurrentWidget(event)
        assert window.actions_by_name["records"].isEnabled()
        action(window, "Run", "Execution &records of this event").trigger()
        assert window.current_page() is filtered and window.tabs.count() == 3
        assert not window.actions_by_name["records"].isEnabled()  # a records page has no records of its own
    finally:
        window.tabs.close_all()


def test_a_window_without_features_is_the_frame_alone(qtbot, shop):
    window = MainWindow(features=())
    qtbot.addWidget(window)
    window.open_app(shop, wait=True)
    try:
        assert [d.objectName() for d in window.findChildren(QDockWidget)] == ["elementsDock"]
        assert texts(window, "View") == ["Elements"] and texts(window, "Run") == []
        assert "records" not in window.actions_by_name and window.open_page("records:*") is None
        assert window.open_element("events.FillOrderNo") is not None

        window.api.add_feature(RecordsFeature)
        assert isinstance(window.open_page("records:events.FillOrderNo"), QtRecordsPage)
        assert texts(window, "Run") == ["Execution &records of this event"]
    finally:
        window.tabs.close_all()


def test_the_new_element_wizards_arrive_through_the_feature_api(qtbot, shop):
    window = MainWindow(features=())
    qtbot.addWidget(window)
    window.open_app(shop, wait=True)
    assert "new" not in window.actions_by_name and "&New" not in texts(window, "File")
    window.tree.sig_new_element.emit("event:model")  # the + button's entries reach nothing: no wizard opens
    assert QApplication.activeModalWidget() is None

    window.api.add_feature(NewElementsFeature)
    assert texts(window, "File")[:2] == ["&New", "New app from the &example…"]
    assert window.actions_by_name["new"].shortcut().toString() == "Ctrl+N"
    opened: list[str] = []

    def cancel():
        wizard = QApplication.activeModalWidget()
        opened.append(type(wizard).__name__)
        wizard.reject()

    QTimer.singleShot(0, cancel)
    window.tree.sig_new_element.emit("service")
    assert opened == ["NewServiceWizard"]  # the tree's + reaches the wizard


def test_a_feature_without_a_name_or_a_register_is_refused_where_it_is_written():
    with pytest.raises(TypeError, match="Silent has no register"):
        class Silent(Feature):
            name = "silent"
    with pytest.raises(TypeError, match="Nameless has no name"):
        class Nameless(Feature):
            def register(self) -> None:
                pass


def test_a_feature_is_registered_once_after_what_it_requires(qtbot, shop):
    window = MainWindow(features=())
    qtbot.addWidget(window)
    with pytest.raises(LookupError, match="run"):
        window.api.add_feature(EventTestRunFeature)
    window.api.add_feature(RecordsFeature)
    with pytest.raises(ValueError):
        window.api.add_feature(RecordsFeature)


@pytest.mark.parametrize("page_class", [QtPage, QtEventPage, QtElementPage, QtFilePage, QtRecordsPage])
def test_pages_have_what_they_offer(page_class):
    for capability in page_class.capabilities:
        assert capability in CAPABILITIES
        for member in CAPABILITIES[capability]:
            assert hasattr(page_class, member), f"{page_class.__name__} offers {capability} but has no {member}"


def test_pages_offer_what_the_features_use():
    assert {"test-run", "records", "runner", "open-element", "open-function"} <= QtEventPage.capabilities
    assert {"open-element", "edit-function"} <= QtElementPage.capabilities
    assert {"open-file", "runner"} <= QtRecordsPage.capabilities
    assert not QtFilePage.capabilities


def test_the_window_knows_no_feature():
    tree = ast.parse(Path(main_window_module.__file__).read_text())
    imported = {(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert not {module for module, _ in imported if module and module.split(".")[0] in ("records", "docks", "runner", "wizards")}
    assert not {module for module, _ in imported if module and module.startswith("features.")}
    assert {name for module, name in imported if module == "features"} <= {"DEFAULT_FEATURES", "Feature", "WindowApi", "offering"}
    menus = ast.parse((Path(main_window_module.__file__).parent / "menus.py").read_text())
    assert not [n for n in ast.walk(menus) if isinstance(n, ast.ImportFrom) and "main_window" in (n.module or "")]
