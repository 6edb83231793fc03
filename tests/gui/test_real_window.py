"""The IDE in a real window on a virtual X display (Xvfb, with openbox when there is one), driven by real
mouse and keyboard input from xdotool (tests/gui/ide_driver.py runs in the IDE process and says where to
click): start, create a model event with the wizard, add the notification card, switch it on, save, Test
run, open the run's record. Checks the files written and the runtime's records database; leaves a
screenshot of the screen in the test's tmp dir."""
from __future__ import annotations

import json
import os
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MISSING = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]


def _start_xvfb(log: Path) -> tuple[subprocess.Popen, str]:
    """Xvfb on a display number it picks itself (-displayfd), so that suites running side by side never share one."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=log.open("w"))
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        ready, _, _ = select.select([numbers], [], [], 20)
        number = numbers.readline().strip() if ready else ""
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start: " + log.read_text())
    return server, f":{number}"


@pytest.fixture
def display(tmp_path):
    """A fresh Xvfb display (1600x1000) with a window manager when one is installed; its name, e.g. ':1'."""
    if MISSING:
        pytest.skip(f"needs {' and '.join(MISSING)} (apt-get install xvfb xdotool; .ci/run installs them)")
    server, name = _start_xvfb(tmp_path / "xvfb.log")
    processes = [server]
    try:
        manager = shutil.which("openbox")
        if manager:
            processes.append(subprocess.Popen([manager], env={**os.environ, "DISPLAY": name},
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(0.5)
        yield name
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_main_flow_in_a_real_window(display, shop, tmp_path):
    out, screenshot = tmp_path / "walk.json", tmp_path / "screen.png"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_RUNTIME_DIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("WAYLAND_DISPLAY", None)
    ide = subprocess.run([sys.executable, "-X", "faulthandler", str(HERE / "ide_driver.py"), str(shop), str(out),
                          str(screenshot)], env=env, cwd=REPO, capture_output=True, text=True, timeout=240)
    log = f"exit {ide.returncode}\nstdout:\n{ide.stdout[-3000:]}\nstderr:\n{ide.stderr[-5000:]}"
    assert out.is_file(), log
    seen = json.loads(out.read_text())
    assert "error" not in seen, seen.get("error", "") + "\n" + log
    assert ide.returncode == 0, log

    event = shop / "events" / "ShippedNotice"
    data = json.loads((event / "e.json").read_text())
    assert data["sender"] == "models.Order" and data["operate"] == "AddAfter"
    assert data["enable"] == 1
    inner = (event / "inner.py").read_text()
    assert "app.message.send(" in inner and "Order added" in inner

    record_id = seen["record_shown"]
    with sqlite3.connect(shop / ".jitstudio" / "records.db") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(execution_records)")]
        row = db.execute("SELECT * FROM execution_records WHERE id = ?", (record_id,)).fetchone()
    assert row is not None, f"record {record_id} is not in records.db"
    record = dict(zip(columns, row))
    assert "ShippedNotice" in json.dumps(record, default=str)
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000
