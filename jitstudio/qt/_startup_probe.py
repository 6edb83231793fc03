"""Start-up probe: with JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1 the IDE reports when its main window has first
been painted, when its element tree is usable and when what it loads after the first paint has loaded; then
it lets the background work it started finish, closes the window and quits with exit code 0.

The reports are lines on stdout, `MARKER {json}`:
- `JITSTUDIO_FIRST_PAINT`: the first paint pass of the main window has finished;
- `JITSTUDIO_TREE_USABLE`: the open app's elements are in the tree and the event loop is free to take a
  click (only when an app was opened);
- `JITSTUDIO_LOADED`: the window's loading steps are done (`steps`; `failed` names those that failed).
Each has `monotonic`: `time.monotonic()` at that moment (on Linux, macOS and Windows that clock is
system-wide, so a parent process can subtract its own launch time), and `since_start`: seconds since this
process started (from /proc where there is one, else since the probe was installed). The first paint's
report also has `window`: the main window's class.

`install(app)` arms the probe on a QApplication (it does nothing unless the variable is set; installing twice
is harmless). `python -m jitstudio.qt._startup_probe [ARGS]` runs the `jitstudio` command, whose IDE arms
the probe before it builds its window; the desktop bundle's entry point does the same.
"""
from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from .startup import EVERY_STEP, DeferredLoading

ENV = "JITSTUDIO_EXIT_AFTER_FIRST_PAINT"
MARKER = "JITSTUDIO_FIRST_PAINT"
TREE_MARKER = "JITSTUDIO_TREE_USABLE"
LOADED_MARKER = "JITSTUDIO_LOADED"
WAIT_FOR_WORKERS_MS = 15000
IDLE_POLL_MS = 20

_INSTALLED_AT = time.monotonic()


def enabled() -> bool:
    return os.environ.get(ENV, "") == "1"


def seconds_since_process_start() -> float:
    """Seconds since this process began (the kernel's start time, to 1/100 s), or since this module loaded."""
    try:
        with open(f"/proc/{os.getpid()}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of stat: start time, ticks after boot
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _INSTALLED_AT


def report(marker: str, **fields: object) -> None:
    line = {"monotonic": time.monotonic(), "since_start": round(seconds_since_process_start(), 3), **fields}
    print(f"{marker} {json.dumps(line)}", flush=True)


class _FirstPaint(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.window: QMainWindow | None = None
        self.tree_reported = False
        self.give_up = QTimer(self, singleShot=True, interval=WAIT_FOR_WORKERS_MS)
        self.give_up.timeout.connect(self._close_and_quit)
        self.idle = QTimer(self, interval=IDLE_POLL_MS)
        self.idle.timeout.connect(self._quit_when_idle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            if isinstance(window, QMainWindow) and window.isVisible():
                self.window = window
                # Report once the whole paint pass (window and children) is over.
                QTimer.singleShot(0, self, self._painted)
        return False

    def _painted(self) -> None:
        report(MARKER, window=type(self.window).__name__)
        self.app.removeEventFilter(self)
        self.give_up.start()
        window: object = self.window
        api, loading = getattr(window, "api", None), getattr(window, "loading", None)
        if getattr(window, "session", None) is not None and api is not None:
            if getattr(window, "project", None) is not None:
                QTimer.singleShot(0, self, self._tree_usable)
            else:
                api.sig_project_changed.connect(self._project_loaded)
        if loading is None:
            self.idle.start()
        else:
            loading.when_done(EVERY_STEP, lambda: self._loaded(loading))

    def _project_loaded(self, _project: object) -> None:
        QTimer.singleShot(0, self, self._tree_usable)  # the tree is filled; the next turn could take a click

    def _tree_usable(self) -> None:
        if not self.tree_reported:
            self.tree_reported = True
            report(TREE_MARKER)

    def _loaded(self, loading: DeferredLoading) -> None:
        report(LOADED_MARKER, steps=sorted(loading.done), failed=sorted(loading.failed))
        for step, text in loading.failed.items():
            print(f"loading step {step} failed:\n{text}", file=sys.stderr, flush=True)
        self.idle.start()

    def _quit_when_idle(self) -> None:
        """Background work the window started finishes and delivers its results first, as if a person had
        waited a moment before closing the window."""
        if QThreadPool.globalInstance().activeThreadCount() == 0:
            self._close_and_quit()

    def _close_and_quit(self) -> None:
        self.idle.stop()
        self.give_up.stop()
        if self.window is not None:
            self.window.close()
        QTimer.singleShot(0, self.app.quit)


def install(app: QApplication) -> bool:
    """Arm the probe on `app` if JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1; True if it is armed."""
    if not enabled():
        return False
    if app.findChild(_FirstPaint) is None:
        app.installEventFilter(_FirstPaint(app))
    return True


def main(argv: list[str] | None = None) -> int:
    """The `jitstudio` command; its IDE arms the probe on its QApplication before its window exists."""
    from .. import launcher

    return launcher.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
