"""`jitstudio [DIR]`: the IDE on an app folder, else on the most recent app, else the welcome page."""
from __future__ import annotations

import argparse
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
    theme.add_argument("--dark", action="store_true", help="use the dark palette")
    theme.add_argument("--light", action="store_true", help="use the light palette")
    return parser


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
    app = application()
    _startup_probe.install(app)
    from .main_window import MainWindow
    from .theme import apply_theme

    apply_theme(app, True if args.dark else False if args.light else None)
    window = MainWindow()
    window.show()  # before the app opens: its project loads once the frame has been painted
    if args.dir:
        window.open_app(Path(args.dir))
    elif not args.welcome and window.settings.recent_apps():
        window.open_app(window.settings.recent_apps()[0])
    status = app.exec()
    wait_for_workers()
    return status
