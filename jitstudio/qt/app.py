"""`jitstudio [DIR]`: the IDE on an app folder, else on the most recent app, else the welcome page."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from . import _startup_probe
from .workers import wait_for_workers


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jitstudio", description="Open the jitstudio IDE.")
    parser.add_argument("dir", nargs="?", help="the app folder to open (default: the most recent app)")
    parser.add_argument("--welcome", action="store_true", help="start on the welcome page")
    theme = parser.add_mutually_exclusive_group()
    theme.add_argument("--dark", action="store_true", help="use the dark palette this time (see File → Preferences)")
    theme.add_argument("--light", action="store_true", help="use the light palette this time (see File → Preferences)")
    return parser


NO_DISPLAY = """jitstudio: no display to open the IDE on (DISPLAY and WAYLAND_DISPLAY are not set).
Run it inside a desktop session, or under a virtual X server (xvfb-run jitstudio),
or without any window for scripts and tests: QT_QPA_PLATFORM=offscreen jitstudio"""


def display_missing(environ=os.environ, platform: str = sys.platform) -> bool:
    """On Linux, Qt aborts the process when its window system has no display: tell before it tries."""
    if not platform.startswith("linux"):
        return False
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if qpa not in ("", "xcb", "wayland", "wayland-egl"):
        return False
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "jitstudio", *(argv or [])])
    app.setApplicationName("jitstudio")
    app.setOrganizationName("jitstudio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("dev.jitstudio.JitStudio")
    icon = Path(__file__).resolve().parents[2] / "resources" / "icons" / "app" / "jitstudio.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.dir and not Path(args.dir).is_dir():
        print(f"jitstudio: {args.dir} is not a folder (commands: jitstudio --help)", file=sys.stderr)
        return 2
    if QApplication.instance() is None and display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = application()
    _startup_probe.install(app)
    from .main_window import MainWindow
    from .preferences import apply_preferences
    from .settings import Settings

    settings = Settings()
    apply_preferences(app, settings.preferences(), theme="dark" if args.dark else "light" if args.light else None)
    window = MainWindow(settings)
    window.fit_to_screen()
    window.show()  # before the app opens: its project loads once the frame has been painted
    if args.dir:
        window.open_app(Path(args.dir))
    elif not args.welcome and window.settings.recent_apps():
        window.open_app(window.settings.recent_apps()[0])
    status = app.exec()
    wait_for_workers()
    return status
