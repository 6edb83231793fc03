"""Start-up order: the window paints before the app's project loads, the element tree is usable before the
rest (pages, highlighters, the record browser) has loaded, a click on the tree during loading opens its page
once the pages are in, and the start-up path imports none of the heavy modules."""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QModelIndex

import jitstudio.qt.main_window as main_window_module
from jitstudio.qt.main_window import MainWindow
from jitstudio.qt.startup import EVERY_STEP, DeferredLoading
from jitstudio.qt.tree.element_tree import FULL_NAME_ROLE

REPO = Path(__file__).resolve().parents[2]
WAIT_MS = 20_000


def _index_of(tree, full_name: str) -> QModelIndex:
    return next(i for i in tree._walk(QModelIndex()) if i.data(FULL_NAME_ROLE) == full_name)


def test_the_tree_is_usable_before_the_pages_have_loaded_and_an_early_click_opens_its_page(qtbot, shop, monkeypatch):
    pages_may_load = threading.Event()

    def slow_pages() -> None:
        assert pages_may_load.wait(WAIT_MS / 1000)

    monkeypatch.setattr(main_window_module, "import_pages", slow_pages)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_app(shop)
    try:
        assert window.project is None and not window.session.is_loading()  # it loads once the frame is painted
        qtbot.waitUntil(lambda: window.painted, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.project is not None and window.loading.started, timeout=WAIT_MS)
        assert "events.FillOrderNo" in window.tree.visible_full_names()
        assert not window.loading.is_done("pages") and not window.loading.finished
        assert not window.tree.loading_hint.isVisible()

        view = window.tree.view
        view.activated.emit(_index_of(window.tree, "models.Order"))
        qtbot.wait(50)
        assert window.tabs.count() == 0  # held until the pages are in, not dropped

        pages_may_load.set()
        qtbot.waitUntil(lambda: window.tabs.count() == 1, timeout=WAIT_MS)
        assert window.current_page().key == "models.Order"
        qtbot.waitUntil(lambda: window.loading.finished, timeout=WAIT_MS)
        assert window.loading.failed == {}
        assert {"pages", "highlighters", "records", "wizards"} <= window.loading.done
    finally:
        pages_may_load.set()
        window.tabs.close_all()


def test_after_loading_a_click_opens_at_once(qtbot, shop):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_app(shop)
    qtbot.waitUntil(lambda: window.loading.finished, timeout=WAIT_MS)
    window.tree.view.activated.emit(_index_of(window.tree, "events.FillOrderNo"))
    assert window.current_page().key == "events.FillOrderNo"
    window.tabs.close_all()


def test_the_failure_watcher_and_the_messages_start_once_loaded(qtbot, shop):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_app(shop)
    failures = window.get_feature("records").failures
    messages = window.get_feature("messages").pane
    assert failures.watcher is not None and not failures.watcher.timer.isActive()
    assert messages.root == shop.resolve() and not messages.timer.isActive()
    qtbot.waitUntil(lambda: window.loading.finished, timeout=WAIT_MS)
    assert failures.watcher.timer.isActive() and messages.timer.isActive()
    window.close_app()
    assert failures.watcher is None and not messages.timer.isActive()


def test_loading_steps_run_in_order_one_at_a_time_and_a_failure_does_not_stop_them(qtbot):
    loading = DeferredLoading()
    running, order, after = [], [], []

    def step(name: str):
        def work() -> str:
            running.append(name)
            assert len(running) == 1, running
            running.remove(name)
            if name == "broken":
                raise ValueError("no such module")
            return name
        return work

    for name in ("first", "broken", "last"):
        loading.add(name, step(name), order.append)
    loading.when_done("last", lambda: after.append("last"))
    loading.when_done(EVERY_STEP, lambda: after.append("all"))
    loading.when_done("unknown", lambda: after.append("unknown"))
    assert after == ["unknown"]
    loading.start()
    assert not loading.done  # the first step starts on the next turn of the event loop
    qtbot.waitUntil(lambda: loading.finished, timeout=WAIT_MS)
    assert order == ["first", "last"] and after == ["unknown", "last", "all"]
    assert "ValueError: no such module" in loading.failed["broken"]
    loading.add("late", step("late"), order.append)
    qtbot.waitUntil(lambda: loading.is_done("late"), timeout=WAIT_MS)
    assert order[-1] == "late"


def test_the_start_up_path_imports_nothing_heavy():
    code = ("import sys; from jitstudio.qt.app import application; from jitstudio.qt.main_window import MainWindow; "
            "application(); MainWindow(); "
            "print([m for m in sys.modules if m.split('.')[0] in ('superqt', 'sqlalchemy', 'pygments', 'libcst', "
            "'pydantic', 'qtpy') or m.startswith(('jitstudio.project', 'jitstudio.runtime', 'jitstudio.cli', "
            "'jitstudio.codesync', 'jitstudio.qt.pages.element_pages', 'jitstudio.qt.records.page', 'PySide6.QtCharts'))])")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_probe_reports_paint_then_tree_then_the_rest(tmp_path, shop):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JITSTUDIO_")}
    env.update(QT_QPA_PLATFORM="offscreen", JITSTUDIO_EXIT_AFTER_FIRST_PAINT="1", PYTHONPATH=str(REPO),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "jitstudio.qt._startup_probe", str(shop)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    reports = [line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith("JITSTUDIO_")]
    assert [marker for marker, _ in reports] == ["JITSTUDIO_FIRST_PAINT", "JITSTUDIO_TREE_USABLE", "JITSTUDIO_LOADED"]
    times = [json.loads(report)["monotonic"] for _, report in reports]
    assert times == sorted(times)
    loaded = json.loads(reports[-1][1])
    assert loaded["failed"] == [] and "pages" in loaded["steps"]
