"""Starting the IDE where there is no display says how to run it (a desktop session, Xvfb, or the offscreen
platform) and exits with status 2, instead of Qt aborting the process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jitstudio.launcher import ide_installed

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux"),
    pytest.mark.skipif(not ide_installed(), reason="the IDE extra is not installed"),
]


def run_ide(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`jitstudio ARGS` with nothing of the caller's environment but PATH, a fresh HOME and `env`."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "PYTHONPATH": str(REPO), **env}
    code = "import sys; from jitstudio.launcher import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=clean, capture_output=True,
                          text=True, timeout=120)


def test_without_a_display_the_ide_exits_with_a_message_saying_how_to_run_it(tmp_path):
    result = run_ide(tmp_path, "--welcome")
    assert result.returncode == 2, result.stderr
    assert "no display" in result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in result.stderr and "xvfb-run" in result.stderr


def test_asking_for_the_xcb_platform_without_a_display_gets_the_same_message(tmp_path):
    result = run_ide(tmp_path, "--welcome", QT_QPA_PLATFORM="xcb")
    assert result.returncode == 2, result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in result.stderr


def test_the_command_line_still_works_without_a_display(tmp_path):
    result = run_ide(tmp_path, "--help")
    assert result.returncode == 0 and "usage" in result.stdout.lower()


def test_the_display_check_lets_offscreen_and_real_displays_through():
    from jitstudio.qt.app import display_missing

    assert display_missing({}, "linux")
    assert display_missing({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not display_missing({"DISPLAY": ":0"}, "linux")
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not display_missing({}, "darwin")
