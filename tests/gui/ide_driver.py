"""Runs the IDE (`jitstudio APP_DIR`) in this process and walks its main flow on the X display in DISPLAY with
real input from xdotool (clicks at the widgets' screen positions, typed text, Return, Ctrl+S): the model event
wizard, the notification card, Enabled, Test run, the run's record. The wizard's two combo boxes are set
directly (their popups are the one part left out). Only tests/gui/test_real_window.py starts it.

Usage: python ide_driver.py APP_DIR OUT_JSON SCREENSHOT. OUT_JSON gets what the walk saw (or its error)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

EVENT = "ShippedNotice"
STEP_TIMEOUT = 40.0


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def click(widget: QWidget, pos: QPoint | None = None) -> None:
    """A real left click at `pos` (the widget's centre by default), through the X server."""
    point = widget.mapToGlobal(pos if pos is not None else widget.rect().center())
    xdotool("mousemove", "--sync", str(point.x()), str(point.y()))
    xdotool("click", "1")


def type_text(text: str) -> None:
    xdotool("type", "--delay", "25", text)


def choose(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


class Walk:
    """Steps of the flow as a generator: each yields a condition, polled until true, before it goes on."""

    def __init__(self, app_dir: Path, out: Path, screenshot: Path):
        self.app_dir, self.out, self.screenshot = app_dir, out, screenshot
        self.seen: dict[str, Any] = {"steps": []}
        self.steps = self.flow()
        self.waiting: Callable[[], bool] = lambda: True
        self.deadline = time.monotonic() + STEP_TIMEOUT
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.poll)

    def window(self):
        from jitstudio.qt.main_window import MainWindow

        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def poll(self) -> None:
        try:
            if not self.waiting():
                if time.monotonic() > self.deadline:
                    raise TimeoutError(f"step timed out after {self.seen['steps'][-1:]}")
                return
            self.waiting = next(self.steps)
            self.deadline = time.monotonic() + STEP_TIMEOUT
        except StopIteration:
            self.finish()
        except Exception:
            self.seen["error"] = traceback.format_exc()
            self.take_screenshot()
            self.finish()

    def step(self, name: str) -> None:
        self.seen["steps"].append(name)

    def flow(self) -> Iterator[Callable[[], bool]]:
        window = self.window()
        self.step("start")
        yield lambda: window.project is not None and window.loading.finished and window.isVisible()
        window.tabs.ask = lambda _parent, _names: "discard"

        self.step("wizard")
        QTimer.singleShot(0, lambda: window.get_feature("new_elements").new_element("event:model"))
        yield lambda: self.wizard() is not None and self.wizard().isVisible()
        wizard = self.wizard()
        yield lambda: wizard.isActiveWindow()
        click(wizard.name)
        yield lambda: wizard.name.hasFocus()
        type_text(EVENT)
        yield lambda: wizard.name.text() == EVENT
        choose(wizard.form.model, "models.Order")
        choose(wizard.form.operate, "AddAfter")
        yield lambda: wizard.finish.isEnabled()
        click(wizard.finish)
        yield lambda: window.tabs.find(f"events.{EVENT}") is not None
        page = window.tabs.find(f"events.{EVENT}")
        self.seen["created"] = page.key

        self.step("notification card")
        editor = page.function_editor
        yield lambda: editor is not None and editor.isVisible()
        if not editor.palette.isVisible():
            click(editor.palette_button)
            yield lambda: editor.palette.isVisible()
        item = editor.palette.find("Message", "Send notification")
        editor.palette.tree.scrollToItem(item)
        rect = editor.palette.tree.visualItemRect(item)
        click(editor.palette.tree.viewport(), rect.center())
        yield lambda: any(row.card.kind.value == "message" for row in editor.cards_view.rows.values())
        row = next(r for r in editor.cards_view.rows.values() if r.card.kind.value == "message")
        title = row.editors["title"]
        target = title.focusProxy() or title
        click(target)
        yield lambda: target.hasFocus()
        type_text("Order added")
        xdotool("key", "Return")
        yield lambda: "Order added" in editor.text()

        self.step("enable and save")
        switch = page.enable_switch
        click(switch, QPoint(10, switch.height() // 2))
        yield lambda: switch.isChecked()
        xdotool("key", "ctrl+s")
        yield lambda: not page.is_dirty()
        self.seen["saved_inner"] = (self.app_dir / "events" / EVENT / "inner.py").read_text()

        self.step("test run")
        click(page.test_button)
        yield lambda: page.test_panel.isVisible() and page.test_panel.run_button.isEnabled()
        click(page.test_panel.run_button)
        yield lambda: page.test_panel.runner.is_running() or page.test_panel.last_result is not None
        yield lambda: not page.test_panel.runner.is_running()
        result = page.test_panel.last_result or {}
        record_id = result.get("recordId", result.get("record_id"))
        self.seen["test_result"] = result
        if record_id is None:
            raise AssertionError(f"the test run gave no record: {page.test_panel.status.text()}")

        self.step("open the record")
        click(page.records_button)
        yield lambda: window.current_page() is not None and window.current_page().key != page.key
        records = window.current_page()
        yield lambda: records.model.rows.row_of(record_id) >= 0
        index = records.model.index(records.model.rows.row_of(record_id), 0)
        records.table.scrollTo(index)
        click(records.table.viewport(), records.table.visualRect(index).center())
        yield lambda: records.detail.record_id() == record_id
        self.seen["record_shown"] = record_id
        pause = time.monotonic() + 1.0
        yield lambda: time.monotonic() > pause

        self.step("screenshot")
        self.take_screenshot()

    def take_screenshot(self) -> None:
        if shutil.which("import"):
            subprocess.run(["import", "-window", "root", str(self.screenshot)], check=True, timeout=30)
        else:  # the X server's root window, as Qt reads it back
            QApplication.primaryScreen().grabWindow(0).save(str(self.screenshot))

    def wizard(self):
        from jitstudio.qt.wizards import ModelEventWizard

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, ModelEventWizard)), None)

    def finish(self) -> None:
        self.timer.stop()
        self.out.write_text(json.dumps(self.seen, indent=2, default=str))
        for widget in QApplication.topLevelWidgets():
            if widget.isModal() and widget.isVisible():
                widget.reject() if hasattr(widget, "reject") else widget.close()
        QTimer.singleShot(0, self.window().close)


def main() -> int:
    app_dir, out, screenshot = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    from jitstudio.qt import app as ide

    ide.application()
    walk = Walk(app_dir, out, screenshot)
    QTimer.singleShot(0, walk.timer.start)
    return ide.main([str(app_dir)])


if __name__ == "__main__":
    sys.exit(main())
