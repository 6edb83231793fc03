"""Start-up probe: with JITSTUDIO_EXIT_AFTER_FIRST_PAINT=1 the IDE reports when its main window has first
been painted, lets the background work it started finish, closes the window and quits with exit code 0.

The report is one line on stdout, `JITSTUDIO_FIRST_PAINT {json}`, with
- `monotonic`: `time.monotonic()` when the first paint pass of the main window had finished (on Linux,
  macOS and Windows that clock is system-wide, so a parent process can subtract its own launch time), and
- `since_start`: seconds since this process started (from /proc where there is one, else since the probe
  was installed), and `window`: the main window's class.

`install(app)` arms the probe on a QApplication (it does nothing unless the variable is set; installing twice
is harmless). `python -m jitstudio.qt._startup_probe [ARGS]` runs the `jitstudio` command with the probe
armed before the IDE builds its window; the desktop bundle's entry point does the same.
"""
from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

ENV = "JITSTUDIO_EXIT_AFTER_FIRST_PAINT"
MARKER = "JITSTUDIO_FIRST_PAINT"
WAIT_FOR_WORKERS_MS = 15000

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


class _FirstPaint(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.window: QMainWindow | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            if isinstance(window, QMainWindow) and window.isVisible():
                self.window = window
                # Report once the whole paint pass (window and children) is over, then quit.
                QTimer.singleShot(0, self._report_and_quit)
        return False

    def _report_and_quit(self) -> None:
        report = {
            "monotonic": time.monotonic(),
            "since_start": round(seconds_since_process_start(), 3),
            "window": type(self.window).__name__,
        }
        print(f"{MARKER} {json.dumps(report)}", flush=True)
        self.app.removeEventFilter(self)
        # Background work the window started (loading the app) finishes and delivers its results first, as
        # if a person had waited a moment before closing the window.
        QThreadPool.globalInstance().waitForDone(WAIT_FOR_WORKERS_MS)
        QTimer.singleShot(0, self._close_and_quit)

    def _close_and_quit(self) -> None:
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
    """The `jitstudio` command, with the probe armed on the IDE's QApplication before its window exists."""
    args = sys.argv[1:] if argv is None else argv
    from .. import cli, launcher

    ide = not (args and (args[0] in cli.commands() or args[0] in ("-h", "--help", "--version")))
    if ide and enabled():
        from .app import application

        install(application())
    return launcher.main(args)


if __name__ == "__main__":
    sys.exit(main())
