"""A seeded random walk of user actions on a MainWindow with an app open: open elements, switch tabs, type
into fields and cards, toggle switches, undo and redo, save, close tabs (saving or not), edit files behind
the IDE's back, run wizards, open records. After each action it checks that no Python exception reached Qt;
after each save, that the files on disk hold what the page shows; after each switch click, that e.json holds
the switch's state. `Monkey.run` returns the log of actions taken; a failure names the seed and the log."""
from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from jitstudio.qt.funceditor import QtFunctionEditor
from jitstudio.qt.funceditor._inputs import ChoiceEdit, CodeBlockEdit
from jitstudio.qt.pages import QtEventPage, QtPage
from jitstudio.qt.widgets.toggle import ToggleSwitch

WORDS = ("order", "paid", "x", "42", "total + 1", "'text'", "None", "[1, 2]", "status == 'new'", "ä漢字", "",
         "eventOutData", "(", "a b", "True", "2024-01-31")
NEW_ELEMENT_KEYS = ("event:model", "event:normal", "event:workflow", "event:assistant", "event:agent",
                    "model", "service", "workflow", "agent", "assistant")


class MonkeyFailure(AssertionError):
    pass


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled()


def function_editor_of(page: QtPage | None) -> QtFunctionEditor | None:
    """The function editor the page shows now (an event's inner function, a service's function tab)."""
    if page is None:
        return None
    editors = [e for e in page.findChildren(QtFunctionEditor) if e.isVisible()]
    return editors[0] if editors else None


class Monkey:
    def __init__(self, qtbot, window, root: Path, seed: int):
        self.qtbot, self.window, self.root = qtbot, window, Path(root)
        self.seed = seed
        self.rng = random.Random(seed)
        self.log: list[str] = []
        self.answer = "discard"
        window.tabs.ask = lambda _parent, _names: self.answer
        self.actions: list[tuple[Callable[[], Any], int]] = [
            (self.open_element, 8), (self.switch_tab, 6), (self.type_in_field, 12), (self.edit_card, 10),
            (self.insert_card, 3), (self.toggle_switch, 6), (self.switch_mode, 3), (self.undo_redo, 7),
            (self.save, 9), (self.save_all, 2), (self.close_tab, 5), (self.edit_on_disk, 4), (self.wait, 4),
            (self.run_wizard, 2), (self.open_records, 2), (self.reload, 2), (self.revert, 2),
        ]

    # ----- running -------------------------------------------------------------------------------

    def run(self, count: int) -> list[str]:
        actions, weights = zip(*self.actions)
        with self.qtbot.captureExceptions() as exceptions:
            for number in range(count):
                action = self.rng.choices(actions, weights)[0]
                self.log.append(f"{number}: {action.__name__}")
                action()
                QApplication.processEvents()
                if exceptions:
                    self.fail(f"a Python exception reached Qt: {exceptions[0][1]!r}", exceptions[0])
        return self.log

    def fail(self, message: str, exc_info=None) -> None:
        import traceback

        detail = "".join(traceback.format_exception(*exc_info)) if exc_info else ""
        raise MonkeyFailure(f"seed {self.seed}: {message}\n{detail}\nlast actions:\n" + "\n".join(self.log[-25:]))

    def note(self, text: str) -> None:
        self.log[-1] += f" {text}"

    # ----- finding things ------------------------------------------------------------------------

    def page(self) -> QtPage | None:
        return self.window.current_page()

    def pick(self, items):
        items = list(items)
        return self.rng.choice(items) if items else None

    def ejson_path(self, page: QtPage) -> Path:
        return self.root.joinpath(*page.key.split(".")) / "e.json"

    def text_fields(self, page: QWidget) -> list[QLineEdit | QPlainTextEdit]:
        editable: list[QLineEdit | QPlainTextEdit] = [*page.findChildren(QLineEdit), *page.findChildren(QPlainTextEdit)]
        fields = [w for w in editable if shown(w) and not w.isReadOnly() and not isinstance(w.parentWidget(), QComboBox)]
        return sorted(fields, key=lambda w: w.objectName())

    def type_words(self, widget: QLineEdit | QPlainTextEdit) -> None:
        widget.setFocus()
        if self.rng.random() < 0.5:
            widget.selectAll()
        text = self.rng.choice(WORDS)
        if text.isascii():
            self.qtbot.keyClicks(widget, text)
        else:  # QTest types ASCII only: paste the rest, as an input method would commit it
            (widget.insert if isinstance(widget, QLineEdit) else widget.insertPlainText)(text)
        ending = self.rng.choice(("return", "tab", "none", "none"))
        self.note(f"{widget.objectName() or type(widget).__name__} <- {text!r} + {ending}")
        if ending == "return":
            self.qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ending == "tab":
            self.qtbot.keyClick(widget, Qt.Key.Key_Tab)

    # ----- actions -------------------------------------------------------------------------------

    def open_element(self) -> None:
        project = self.window.project
        if project is None:
            return
        name = self.pick(sorted(project.elements))
        self.note(str(name))
        self.window.tree.sig_open_element.emit(name)
        if self.rng.random() < 0.2 and name.startswith("services."):
            page = self.window.tabs.find(name)
            service = project.get(name)
            if page is not None and getattr(service, "methods", None):
                function = self.pick(sorted(service.methods))
                self.note(f"function {function}")
                page.edit_function(function)

    def switch_tab(self) -> None:
        tabs = self.window.tabs
        if tabs.count():
            index = self.rng.randrange(tabs.count())
            self.note(tabs.tabText(index))
            tabs.setCurrentIndex(index)

    def type_in_field(self) -> None:
        page = self.page()
        widget = self.pick(self.text_fields(page)) if page is not None else None
        if widget is not None:
            self.type_words(widget)

    def edit_card(self) -> None:
        editor = function_editor_of(self.page())
        if editor is None or editor.mode() != "visual":
            return
        fields = [(card_id, name, field) for card_id, row in sorted(editor.cards_view.rows.items())
                  for name, field in row.editors.items() if shown(field)]
        chosen = self.pick(fields)
        if chosen is None:
            return
        card_id, name, field = chosen
        self.note(f"{card_id}.{name}")
        if isinstance(field, ChoiceEdit):
            if field.count():
                index = self.rng.randrange(field.count())
                field.setCurrentIndex(index)
                field.activated.emit(index)
        elif isinstance(field, CodeBlockEdit):
            field.setFocus()
            self.qtbot.keyClicks(field, self.rng.choice(("x = 1", "pass", "  ")))
            self.qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        else:
            target = field.focusProxy() or field
            if isinstance(target, QLineEdit):
                self.type_words(target)

    def insert_card(self) -> None:
        editor = function_editor_of(self.page())
        if editor is None:
            return
        kind, fields = self.pick([("log", {"level": "info", "args": {"0": '"monkey"'}}),
                                  ("assign", {"target": "value", "value": "1"}),
                                  ("return", {"value": "None"})])
        rows = sorted(editor.cards_view.rows)
        if rows and self.rng.random() < 0.6:
            editor.cards_view.select(self.pick(rows))
        self.note(kind)
        editor._insert_from_palette(kind, fields)

    def toggle_switch(self) -> None:
        page = self.page()
        if page is None:
            return
        switch = self.pick(sorted((s for s in page.findChildren(ToggleSwitch) if shown(s)), key=lambda s: s.objectName()))
        if switch is None:
            return
        self.note(switch.objectName() or switch.text())
        self.qtbot.mouseClick(switch, Qt.MouseButton.LeftButton, pos=QPoint(8, switch.height() // 2))
        if isinstance(page, QtEventPage) and switch is page.enable_switch:
            on_disk = json.loads(self.ejson_path(page).read_text()).get("enable", 1)
            if bool(on_disk) != switch.isChecked():
                self.fail(f"the Enabled switch shows {switch.isChecked()} but e.json has enable={on_disk}")

    def switch_mode(self) -> None:
        editor = function_editor_of(self.page())
        if editor is not None:
            self.note(editor.mode())
            self.qtbot.mouseClick(editor.mode_switch, Qt.MouseButton.LeftButton,
                                  pos=QPoint(8, editor.mode_switch.height() // 2))

    def undo_redo(self) -> None:
        widget = QApplication.focusWidget()
        editor = function_editor_of(self.page())
        undo = self.rng.random() < 0.65
        self.note("undo" if undo else "redo")
        if editor is not None and (widget is None or self.rng.random() < 0.5):
            (editor.undo_action if undo else editor.redo_action).trigger()
        elif widget is not None and widget.window() is self.window:
            modifiers = Qt.KeyboardModifier.ControlModifier | (Qt.KeyboardModifier.NoModifier if undo else Qt.KeyboardModifier.ShiftModifier)
            self.qtbot.keyClick(widget, Qt.Key.Key_Z, modifiers)

    def save(self) -> None:
        page = self.page()
        if page is None:
            return
        self.note(f"{page.key} dirty={page.is_dirty()}")
        if page.is_dirty():
            self.saving(page, self.window.actions_by_name["save"].trigger)

    def save_all(self) -> None:
        dirty = [p for p in self.window.tabs.pages() if p.is_dirty()]
        self.note(f"{len(dirty)} dirty")
        if dirty:
            self.saving(dirty[0], self.window.actions_by_name["save_all"].trigger)

    def close_tab(self) -> None:
        page = self.page()
        if page is None:
            return
        self.answer = self.pick(("save", "discard", "cancel"))
        self.note(f"{page.key} answer={self.answer} dirty={page.is_dirty()}")
        close = self.window.actions_by_name["close_tab"].trigger
        if page.is_dirty() and self.answer == "save":
            self.saving(page, close)
        else:
            close()

    def edit_on_disk(self) -> None:
        project = self.window.project
        if project is None:
            return
        element = self.pick(sorted(project.elements.values(), key=lambda e: e.full_name))
        files = [p for p in element.files() if p.suffix in (".py", ".json") and p.name != "__init__.py"]
        path = self.pick(files)
        if path is None or not path.is_file():
            return
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            text += f"# edited behind the IDE's back ({self.rng.randrange(1000)})\n"
        else:
            try:
                data = json.loads(text)
            except ValueError:
                return
            if not isinstance(data, dict):
                return
            data["title"] = f"{data.get('title', '')} *"[-60:]
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        self.note(str(path.relative_to(self.root)))
        path.write_text(text, encoding="utf-8")

    def wait(self) -> None:
        milliseconds = self.rng.choice((50, 150, 300, 600))
        self.note(f"{milliseconds} ms")
        end = time.monotonic() + milliseconds / 1000
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.005)

    def run_wizard(self) -> None:
        from jitstudio.qt.wizards import WIZARDS

        key = self.pick(NEW_ELEMENT_KEYS)
        cls = WIZARDS[key]
        finish = self.rng.random() < 0.5
        name = f"Monkey{self.seed}x{len(self.log)}"
        self.note(f"{key} finish={finish}")

        def drive(wizard) -> int:
            wizard.show()
            wizard.name.setFocus()
            self.qtbot.keyClicks(wizard.name, name)
            for widget in self.text_fields(wizard)[:3]:
                if widget is not wizard.name and self.rng.random() < 0.3:
                    self.type_words(widget)
            for combo in [c for c in wizard.findChildren(QComboBox) if shown(c)][:3]:
                if combo.count() and self.rng.random() < 0.5:
                    combo.setCurrentIndex(self.rng.randrange(combo.count()))
                    combo.activated.emit(combo.currentIndex())
            if finish and wizard.finish.isEnabled():
                self.qtbot.mouseClick(wizard.finish, Qt.MouseButton.LeftButton)
            if wizard.result() != 1:
                wizard.reject()
            wizard.hide()
            return wizard.result()

        setattr(cls, "exec", drive)  # the wizard runs without a nested event loop, driven here
        try:
            created = self.window.get_feature("new_elements").new_element(key)
        finally:
            delattr(cls, "exec")
        self.note(f"created={created}")

    def open_records(self) -> None:
        page = self.page()
        if isinstance(page, QtEventPage) and self.rng.random() < 0.6:
            self.qtbot.mouseClick(page.records_button, Qt.MouseButton.LeftButton)
        else:
            self.window.actions_by_name["all_records"].trigger()

    def reload(self) -> None:
        self.window.actions_by_name["reload"].trigger()

    def revert(self) -> None:
        page = self.page()
        button = getattr(page, "revert_button", None)
        if button is not None and shown(button):
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    # ----- lost saves ----------------------------------------------------------------------------

    def unsaved_editors(self, page: QtPage) -> list[tuple[Path, Callable[[], str]]]:
        """(file, what the page shows of it) for each editor of the page with unsaved edits."""
        from jitstudio.qt.pages.element_pages import QtElementPage

        editors: list[tuple[Path, Callable[[], str]]] = []
        if isinstance(page, QtElementPage):
            editors += [(f.path, f.editor.text) for f in page.files if f.editor.is_modified()]
            function = page.function_tab.editor
        elif isinstance(page, QtEventPage):
            function = page.function_editor if page.function.is_inner() else None
        else:
            function = None
        if function is not None and function.is_dirty():
            editors.append((function.path, function.text))
        return editors

    def saving(self, page: QtPage, save: Callable[[], Any]) -> None:
        """Save through `save`; when the page then has no unsaved edits, its files must hold what it showed."""
        editors = self.unsaved_editors(page)
        save()
        if self.window.tabs.indexOf(page) >= 0 and page.is_dirty():
            return  # not saved (refused, or the user cancelled): nothing to check
        for path, text in editors:
            on_disk = path.read_text(encoding="utf-8") if path.is_file() else None
            if on_disk is None or on_disk.replace("\r\n", "\n") != text().replace("\r\n", "\n"):
                self.fail(f"lost save: {path.relative_to(self.root)} on disk differs from what {page.key} showed")
        if isinstance(page, QtEventPage) and self.window.tabs.indexOf(page) >= 0 and self.ejson_path(page).is_file():
            title = json.loads(self.ejson_path(page).read_text()).get("title", "")
            if title != page.title_edit.text():
                self.fail(f"lost save: {page.key} shows title {page.title_edit.text()!r}, e.json has {title!r}")
