"""The main window's menus and shortcuts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from .icons import icon
from .tree import build_add_menu

if TYPE_CHECKING:
    from .main_window import MainWindow


def _action(window: "MainWindow", text: str, slot, shortcut=None, icon_name: str | None = None, name: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    action.setObjectName(name or text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(window: "MainWindow") -> dict[str, QAction]:
    bar = window.menuBar()
    acts = {
        "open": _action(window, "&Open app…", window.open_dialog, QKeySequence.StandardKey.Open),
        "new_app": _action(window, "New app from the &example…", window.new_from_example_dialog),
        "save": _action(window, "&Save", window.save_current, QKeySequence.StandardKey.Save),
        "save_all": _action(window, "Save a&ll", window.save_all, "Ctrl+Shift+S"),
        "close_tab": _action(window, "&Close tab", window.close_current, QKeySequence.StandardKey.Close),
        "close_app": _action(window, "Close app", window.close_app),
        "quit": _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit),
        "find": _action(window, "&Find in tree", window.find_in_tree, "Ctrl+P"),
        "reload": _action(window, "&Reload from disk", window.reload_project, "Ctrl+R"),
        "run": _action(window, "&Run app", window.run_app, "F5", "play"),
        "test_run": _action(window, "&Test run this event", window.test_run_current, "Ctrl+F5", "play"),
        "stop": _action(window, "&Stop", window.stop_run, "Shift+F5", "stop"),
        "records": _action(window, "Execution &records of this event", window.records_current, icon_name="records"),
        "all_records": _action(window, "&Execution records (all events)", lambda: window.open_records(None), "Ctrl+Shift+E", icon_name="records"),
        "about": _action(window, "&About jitstudio", window.about),
    }
    new_shortcut = QAction(window)
    new_shortcut.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
    new_shortcut.triggered.connect(window.show_new_menu)
    window.addAction(new_shortcut)
    acts["new"] = new_shortcut

    file_menu = bar.addMenu("&File")
    new_menu = build_add_menu(window, window.new_element)
    new_menu.setTitle("&New")
    new_menu.setIcon(icon("plus"))
    file_menu.addMenu(new_menu)
    file_menu.addAction(acts["new_app"])
    file_menu.addAction(acts["open"])
    window.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    for key in ("save", "save_all", "close_tab", "close_app"):
        file_menu.addAction(acts[key])
    file_menu.addSeparator()
    file_menu.addAction(acts["quit"])

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(acts["find"])
    edit_menu.addAction(acts["reload"])

    run_menu = bar.addMenu("&Run")
    for key in ("run", "test_run", "stop"):
        run_menu.addAction(acts[key])
    run_menu.addSeparator()
    run_menu.addAction(acts["records"])

    window.view_menu = bar.addMenu("&View")
    window.view_menu.addAction(acts["all_records"])
    window.view_menu.addSeparator()
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(acts["about"])
    return acts
